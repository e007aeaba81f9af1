// The text of a result record (src/run-store/record-json.ts): exactly JSON.stringify(record), with
// the shared deep-frozen verdict's text made once. Proven byte-identical on real verdicts of the
// shipped knowledge base, and proven not to serve a stale text for anything that can change.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { classify } from '../src/classify/index.js';
import { judge } from '../src/classify/classify.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import { recordJson } from '../src/run-store/record-json.js';
import { recordLine } from '../src/run-store/results-sink.js';
import { failedRecord, type ExchangeVerdict, type ResultRecord } from '../src/core/result-schema.js';

const kb = loadKnowledgeBase();
const today = '2026-12-07';

function recordWith(exchange: ExchangeVerdict | null, i = 1): ResultRecord {
  return {
    schema: 'owa-audit/result@1',
    target: `mail-${i}.example.org`,
    host: `mail-${i}.example.org`,
    ip: `192.0.2.${i}`,
    port: 443,
    scheme: 'https',
    status: exchange === null ? 'not-exchange' : 'exchange',
    observedAt: '2026-12-07T04:22:44.723Z',
    requests: 3,
    exchange,
    evidence: [
      { signal: 'x-owa-version', url: 'https://192.0.2.1/owa/', value: '15.1.2507.6' },
      // Hostile text: quotes, backslashes, a line break, a lone surrogate, non-ASCII.
      { signal: 'server-header', url: 'https://192.0.2.1/"a"\\b', value: 'Server: x\n\u2028\ud800 é "q"' },
    ],
    tls: {
      subject: 'CN=mail, O="Acme, Inc."',
      issuer: null,
      san: ['mail.example.org', 'ß.example'],
      notBefore: null,
      notAfter: '2044-01-01T00:00:00.000Z',
      sha256: 'ab',
      selfSigned: true,
      protocol: 'TLSv1.3',
      cipher: null,
    },
    owner: { name: 'ACME "Ltd"', contact: null },
    error: exchange === null ? null : { code: 'timeout', message: 'later request timed out' },
  };
}

/** Builds the shipped data judges differently: old (long CVE lists), current, CU-only, product-only, contradicted. */
const VERDICTS: [string, Parameters<typeof classify>[2], Parameters<typeof classify>[3]][] = [
  ['15.0.1497.2', 'exact', {}],
  ['15.1.2507.6', 'exact', { source: 'x-owa-version' }],
  ['15.2.1544.4', 'exact', { source: 'exporttool-manifest' }],
  ['15.1.2507', 'cu', { source: 'owa-asset-path' }],
  ['14.3.496.0', 'exact', { source: 'owa-legacy-asset-path' }],
  ['14', 'product', {}],
  ['15.2.1118.7', 'exact', { source: 'x-owa-version', contradicted: true }],
];

describe('recordJson', () => {
  it.each(VERDICTS)('is JSON.stringify(record) for the verdict of %s (%s)', (build, precision, basis) => {
    const verdict = classify(kb, build, precision, { today, ...basis });
    expect(Object.isFrozen(verdict)).toBe(true);
    for (let i = 1; i <= 3; i++) {
      // The first record makes the verdict's text, the next ones reuse it: all must be the same bytes.
      const record = recordWith(verdict, i);
      expect(recordJson(record)).toBe(JSON.stringify(record));
    }
    expect(recordLine(recordWith(verdict)).toString('utf8')).toBe(`${JSON.stringify(recordWith(verdict))}\n`);
  });

  it('is JSON.stringify(record) for records without a verdict', () => {
    const record = recordWith(null);
    expect(recordJson(record)).toBe(JSON.stringify(record));
    const failed = failedRecord(
      { target: '192.0.2.9', host: null, ip: '192.0.2.9', port: 443, scheme: 'https', owner: null },
      { code: 'connection-refused', message: 'ECONNREFUSED' },
      { requests: 1, tls: null, observedAt: '2026-12-07T04:22:44.723Z' },
    );
    expect(recordJson(failed)).toBe(JSON.stringify(failed));
  });

  it('never reuses the text of a verdict that can change (not deep-frozen)', () => {
    // judge() builds a fresh, unfrozen verdict; a caller may change it between two records.
    const verdict = judge(kb, '15.1.2507.6', 'exact', { today });
    const first = recordWith(verdict);
    expect(recordJson(first)).toBe(JSON.stringify(first));
    verdict.notes = [...(verdict.notes ?? []), 'a note added afterwards'];
    verdict.cves.pop();
    const second = recordWith(verdict);
    expect(recordJson(second)).toBe(JSON.stringify(second));
    expect(recordJson(second)).toContain('a note added afterwards');

    // Frozen on top but with a list inside that can still change: not cached either.
    const shallow = Object.freeze({ ...judge(kb, '15.1.2507.6', 'exact', { today }) });
    expect(recordJson(recordWith(shallow))).toBe(JSON.stringify(recordWith(shallow)));
    shallow.cves.length = 0;
    expect(recordJson(recordWith(shallow))).toBe(JSON.stringify(recordWith(shallow)));
    expect(recordJson(recordWith(shallow))).toContain('"cves":[]');
  });

  it('writes what JSON.stringify writes for records of another shape (key order, extra keys, undefined)', () => {
    const verdict = classify(kb, '15.1.2507.6', 'exact', { today });
    const base = recordWith(verdict);
    const { evidence, ...rest } = base;
    const reordered = { evidence, ...rest } as ResultRecord;
    const extra = { ...base, note: 'extra' } as ResultRecord;
    const missing = { ...base, tls: undefined } as unknown as ResultRecord;
    const withFunction = { ...base, owner: () => 'x' } as unknown as ResultRecord;
    for (const r of [reordered, extra, missing, withFunction]) expect(recordJson(r)).toBe(JSON.stringify(r));
  });

  it('holds a verdict and its text no longer than the verdict lives (no leak)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const seen = { collected: false };
    const registry = new FinalizationRegistry(() => (seen.collected = true));
    ((): void => {
      // A verdict of its own (judge, not the memo), frozen as classify freezes the ones it shares.
      const verdict = structuredClone(judge(kb, '15.0.1497.2', 'exact', { today }));
      const freeze = (v: unknown): void => {
        if (typeof v === 'object' && v !== null) {
          Object.freeze(v);
          Object.values(v).forEach(freeze);
        }
      };
      freeze(verdict);
      const record = recordWith(verdict);
      expect(recordJson(record)).toBe(JSON.stringify(record));
      expect(recordJson(recordWith(verdict, 2))).toBe(JSON.stringify(recordWith(verdict, 2)));
      registry.register(verdict, 'verdict');
    })();
    for (let i = 0; i < 50 && !seen.collected; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(seen.collected).toBe(true);
  });
});
