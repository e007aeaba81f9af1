// IntelMQ events: one per Exchange endpoint that needs action, with the harmonization's field
// names (flat dotted keys, extra.* for the rest), and intelmq.jsonl written by the report.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { intelmqEvent, intelmqTime, type IntelMqRunInfo } from '../src/export/intelmq.js';
import { writeReports } from '../src/report/index.js';
import { record, writeRun } from './fixtures/history/runs.js';

const run: IntelMqRunInfo = {
  name: 'weekly',
  provider: 'Example CERT',
  reference: 'CERT-2026-7',
  toolVersion: '0.1.0',
  dataVersion: '2026-08-20+test',
};
const owner = { name: 'Alpha Ltd', contact: 'SOC@Alpha.example' };

const base = mkdtempSync(join(tmpdir(), 'owa-intelmq-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Field names of IntelMQ's harmonization (intelmq/etc/harmonization.conf) that the export uses. */
const HARMONIZATION = new Set([
  'classification.identifier',
  'classification.taxonomy',
  'classification.type',
  'event_description.text',
  'feed.code',
  'feed.name',
  'feed.provider',
  'protocol.application',
  'protocol.transport',
  'source.abuse_contact',
  'source.fqdn',
  'source.ip',
  'source.port',
  'time.observation',
  'time.source',
]);

describe('intelmqEvent', () => {
  it('describes a vulnerable server with IntelMQ field names', () => {
    const r = record({
      ip: '192.0.2.10',
      host: 'Mail.Alpha.Example.',
      kev: ['CVE-2023-21529', 'CVE-2024-21410'],
      other: ['CVE-2025-59249'],
      supported: false,
      endOfSupport: '2025-10-14',
      owner,
      observedAt: '2026-11-27T01:16:03.120Z',
    });
    const e = intelmqEvent(r, run);
    expect(e).toMatchObject({
      __type: 'Event',
      'feed.name': 'weekly',
      'feed.provider': 'Example CERT',
      'classification.taxonomy': 'vulnerable',
      'classification.type': 'vulnerable-system',
      'classification.identifier': 'exchange-kev-vulnerable',
      'source.ip': '192.0.2.10',
      'source.fqdn': 'mail.alpha.example',
      'source.port': 443,
      'source.abuse_contact': 'soc@alpha.example',
      'protocol.application': 'https',
      'protocol.transport': 'tcp',
      'time.source': '2026-11-27T01:16:03+00:00',
      'extra.product': 'Exchange Server 2019',
      'extra.build': '15.2.1748.36',
      'extra.patch_level': 'vulnerable',
      'extra.certainty': 'confirmed',
      'extra.supported': false,
      'extra.end_of_support': '2025-10-14',
      'extra.cves': ['CVE-2023-21529', 'CVE-2024-21410', 'CVE-2025-59249'],
      'extra.kev_cves': ['CVE-2023-21529', 'CVE-2024-21410'],
      'extra.owner': 'Alpha Ltd',
      'extra.endpoint_key': 'https://192.0.2.10:443#mail.alpha.example.',
      'extra.scan_reference': 'CERT-2026-7',
    });
    for (const key of Object.keys(e ?? {})) {
      if (key === '__type' || key.startsWith('extra.')) continue;
      expect(HARMONIZATION, key).toContain(key);
    }
    expect(e?.['event_description.text']).toBe(
      'Exchange Server 2019 15.2.1748.36 (CU15 Aug25SU) misses fixes for 2 known-exploited vulnerabilities (CISA KEV).',
    );
  });

  it('classifies outdated and out-of-support servers; current supported ones and other endpoints are no event', () => {
    expect(
      intelmqEvent(record({ ip: '192.0.2.1', patchLevel: 'outdated', other: ['CVE-1'] }), run)?.[
        'classification.identifier'
      ],
    ).toBe('exchange-outdated');
    expect(
      intelmqEvent(record({ ip: '192.0.2.1', patchLevel: 'current', supported: false }), run)?.[
        'classification.identifier'
      ],
    ).toBe('exchange-end-of-support');
    expect(
      intelmqEvent(record({ ip: '192.0.2.1', patchLevel: 'unknown', supported: false }), run)?.[
        'classification.identifier'
      ],
    ).toBe('exchange-end-of-support');
    expect(intelmqEvent(record({ ip: '192.0.2.1', patchLevel: 'current' }), run)).toBeNull();
    expect(intelmqEvent(record({ ip: '192.0.2.1', patchLevel: 'unknown' }), run)).toBeNull();
    expect(intelmqEvent(record({ ip: '192.0.2.1', status: 'not-exchange' }), run)).toBeNull();
    expect(intelmqEvent(record({ ip: '192.0.2.1', status: 'exchange-online' }), run)).toBeNull();
    expect(intelmqEvent(record({ ip: '192.0.2.1', error: 'reset' }), run)).toBeNull();
  });

  it('leaves out what is unknown and takes only an e-mail address as abuse contact', () => {
    const e = intelmqEvent(
      record({
        ip: '192.0.2.1',
        scheme: 'http',
        port: 8080,
        patchLevel: 'outdated',
        owner: { name: 'B', contact: 'https://b.example/security' },
      }),
      run,
    );
    expect(e).not.toHaveProperty('source.fqdn');
    expect(e).not.toHaveProperty('source.abuse_contact');
    expect(e).toMatchObject({
      'protocol.application': 'http',
      'source.port': 8080,
      'extra.owner_contact': 'https://b.example/security',
    });
    expect(Object.values(e ?? {})).not.toContain(null);
  });

  it('writes time in IntelMQ DateTime form', () => {
    expect(intelmqTime('2026-11-27T01:16:03.999Z')).toBe('2026-11-27T01:16:03+00:00');
    expect(intelmqTime('not a date')).toBeNull();
  });
});

describe('report --format intelmq', () => {
  it('writes intelmq.jsonl with one event per endpoint that needs action, hostile text kept inside JSON strings', async () => {
    const dir = writeRun(join(base, 'run'), {
      startedAt: '2026-11-27T01:00:00.000Z',
      records: [
        record({ ip: '192.0.2.1', kev: ['CVE-2023-21529'] }),
        record({ ip: '192.0.2.2', patchLevel: 'outdated', release: 'CU14\n{"__type":"Report"}\u2028' }),
        record({ ip: '192.0.2.3', patchLevel: 'current' }),
        record({ ip: '192.0.2.4', status: 'not-exchange' }),
      ],
    });
    const files = await writeReports(dir, { formats: ['intelmq'], perOwner: false });
    expect(files.intelmq).toBe(join(dir, 'intelmq.jsonl'));
    expect(files.intelmqEvents).toBe(2);
    expect(files.html).toBeNull();
    const lines = readFileSync(join(dir, 'intelmq.jsonl'), 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2);
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => e['source.ip'])).toEqual(['192.0.2.1', '192.0.2.2']);
    expect(events[1]?.['extra.release']).toBe('CU14\n{"__type":"Report"}\u2028');
  });
});
