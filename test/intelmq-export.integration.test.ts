// IntelMQ events: one per Exchange endpoint that needs action, with the harmonization's field
// names (flat dotted keys, extra.* for the rest), the fields Shadowserver's Vulnerable Exchange
// Server feed gives IntelMQ (severity, destination.url, extra.tag), every key and value checked
// against IntelMQ's harmonization (a copy in test/fixtures/intelmq/; IntelMQ itself cannot be
// installed here), and intelmq.jsonl written by the report, one event per line also for Python's
// str.splitlines().
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classify } from '../src/classify/index.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import {
  intelmqEvent,
  intelmqLine,
  intelmqTime,
  INTELMQ_DOCUMENTATION,
  type IntelMqEvent,
  type IntelMqRunInfo,
} from '../src/export/intelmq.js';
import { writeReports } from '../src/outputs/write-reports.js';
import type { ResultRecord } from '../src/core/result-schema.js';
import { record, writeRun } from './fixtures/history/runs.js';
import { runCli } from './helpers/cli.js';
import {
  harmonizationProblems,
  HARMONIZATION_33,
  pythonSplitlines,
} from './helpers/intelmq-harmonization.js';

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

const kb = loadKnowledgeBase();
/** A record whose verdict is the real classification of `build` (data as of 2026-08-20). */
function classified(build: string, over: Partial<ResultRecord> = {}): ResultRecord {
  const base = record({ ip: '192.0.2.20' });
  return { ...base, exchange: classify(kb, build, 'exact', { today: '2026-11-27' }), ...over };
}

/** Every exported key is a harmonization field (or below extra) and its value has the field's type. */
function expectHarmonized(e: IntelMqEvent | null): void {
  expect(e).not.toBeNull();
  expect(harmonizationProblems(e ?? {})).toEqual([]);
}

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
    expectHarmonized(e);
    expect(e).toMatchObject({
      'extra.severity': 'critical',
      'extra.tag': 'exchange;cve-2023-21529;cve-2024-21410;cve-2025-59249',
      'destination.url': 'https://192.0.2.10/autodiscover/autodiscover.xml',
      'feed.documentation': INTELMQ_DOCUMENTATION,
    });
    // Without the IntelMQ 3.5 option there is no top-level severity: older IntelMQ would refuse it.
    expect(e).not.toHaveProperty('severity');
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

describe("what a CERT pipeline expects (as from Shadowserver's Vulnerable Exchange Server feed)", () => {
  it('rates severity: critical for known-exploited, high out of support, medium for a supported server behind', () => {
    const sev = (r: ResultRecord): unknown => intelmqEvent(r, run)?.['extra.severity'];
    expect(sev(record({ ip: '192.0.2.1', kev: ['CVE-2023-21529'] }))).toBe('critical');
    expect(sev(record({ ip: '192.0.2.1', kev: ['CVE-2023-21529'], supported: false }))).toBe('critical');
    expect(sev(record({ ip: '192.0.2.1', patchLevel: 'outdated', other: ['CVE-1'] }))).toBe('medium');
    expect(sev(record({ ip: '192.0.2.1', patchLevel: 'outdated', supported: false }))).toBe('high');
    expect(sev(record({ ip: '192.0.2.1', patchLevel: 'current', supported: false }))).toBe('high');
    // Real verdicts: 2010's final build misses nothing newer but is out of support; 2013's final
    // build may be exposed to CVE-2024-21410 (KEV) unless Extended Protection is on.
    expect(sev(classified('14.3.513.0'))).toBe('high');
    expect(sev(classified('15.0.1497.48'))).toBe('critical');
    expect(intelmqEvent(classified('15.0.1497.44'), run)?.['extra.severity']).toBe('critical');
  });

  it('writes the top-level severity only for IntelMQ 3.5 and newer, where it exists', () => {
    const r = record({ ip: '192.0.2.1', patchLevel: 'outdated', other: ['CVE-2025-1'] });
    const plain = intelmqEvent(r, run);
    const newer = intelmqEvent(r, run, { topLevelSeverity: true });
    expect(plain).not.toHaveProperty('severity');
    expect(newer).toMatchObject({ severity: 'medium', 'extra.severity': 'medium' });
    // IntelMQ 3.3 has no such field: this is why it is an option.
    expect(HARMONIZATION_33.event).not.toHaveProperty('severity');
    expect(harmonizationProblems(newer ?? {})).toEqual(['severity: not a field of the harmonization']);
    const { severity, ...rest } = newer ?? {};
    expect(['critical', 'high', 'medium', 'low', 'info']).toContain(severity);
    expect(rest).toEqual(plain);
  });

  it('exports the final build of Exchange 2010 as end of support, saying nothing newer exists', () => {
    const r = classified('14.3.513.0');
    expect(r.exchange).toMatchObject({
      patchLevel: 'outdated',
      supported: false,
      latest: '14.3.513.0',
      cves: [],
    });
    const e = intelmqEvent(r, run);
    expectHarmonized(e);
    expect(e).toMatchObject({
      'classification.identifier': 'exchange-end-of-support',
      'extra.severity': 'high',
      'extra.tag': 'exchange',
      'extra.patch_level': 'outdated',
    });
    const text = String(e?.['event_description.text']);
    expect(text).toContain('Exchange Server 2010 14.3.513.0');
    expect(text).toContain(
      'is the final build of Exchange Server 2010, out of support since 2020-10-13: nothing newer exists',
    );
    expect(text).not.toMatch(/behind on security updates|0 CVEs/);
  });

  it('says "may be exposed" where a known-exploited CVE depends on a setting, "misses" where the build proves it', () => {
    // 2013's final build: CVE-2024-21410 is closed only by Extended Protection, which it supports.
    const final = intelmqEvent(classified('15.0.1497.48'), run);
    expectHarmonized(final);
    expect(final).toMatchObject({
      'classification.identifier': 'exchange-kev-vulnerable',
      'extra.severity': 'critical',
    });
    expect(final?.['event_description.text']).toBe(
      'Exchange Server 2013 15.0.1497.48 (CU23 Mar23SU) may be exposed to 1 known-exploited vulnerability (CISA KEV) unless a setting the build supports is on.',
    );
    // 2010 RU30: two KEV fixes missing for certain.
    expect(intelmqEvent(classified('14.3.496.0'), run)?.['event_description.text']).toBe(
      'Exchange Server 2010 14.3.496.0 (SP3 RU30) misses fixes for 2 known-exploited vulnerabilities (CISA KEV).',
    );
  });

  it('writes the host in ASCII (punycode) and the probed URL without its query', () => {
    const r = record({ ip: '192.0.2.30', host: 'Post.Bücher.Example.', patchLevel: 'outdated' });
    r.evidence = [
      { signal: 'owa-redirect', url: 'https://post.bücher.example/owa/', value: '/owa/auth/logon.aspx' },
      {
        signal: 'owa-asset-path',
        url: 'https://post.bücher.example:8443/owa/auth/logon.aspx?url=https%3a%2f%2fx&reason=0',
        value: '15.2.1748',
      },
    ];
    const e = intelmqEvent(r, run);
    expectHarmonized(e);
    expect(e).toMatchObject({
      'source.fqdn': 'post.xn--bcher-kva.example',
      'destination.url': 'https://post.xn--bcher-kva.example:8443/owa/auth/logon.aspx',
      'extra.target': 'Post.Bücher.Example.',
    });
    // Without a usable evidence URL: the endpoint's root, an IPv6 address in brackets.
    const bare = record({ ip: '2001:db8::5', port: 8443, patchLevel: 'outdated' });
    bare.evidence = [{ signal: 'x-owa-version', url: 'cut…', value: '15.2.1748.36' }];
    const b = intelmqEvent(bare, run);
    expectHarmonized(b);
    expect(b?.['destination.url']).toBe('https://[2001:db8::5]:8443/');
  });

  it('takes the address out of an owner contact written "Name <address>"', () => {
    for (const contact of [
      'Alpha SOC <SOC@Alpha.example>',
      '"Alpha, SOC" <soc@alpha.example>',
      '<mailto:soc@alpha.example>',
    ]) {
      const e = intelmqEvent(
        record({ ip: '192.0.2.1', kev: ['CVE-2023-21529'], owner: { name: 'A', contact } }),
        run,
      );
      expect(e?.['source.abuse_contact'], contact).toBe('soc@alpha.example');
      expect(e?.['extra.owner_contact']).toBe(contact);
      expectHarmonized(e);
    }
    const broken = intelmqEvent(
      record({
        ip: '192.0.2.1',
        kev: ['CVE-2023-21529'],
        owner: { name: 'A', contact: 'Alpha <soc@alpha.example' },
      }),
      run,
    );
    expect(broken).not.toHaveProperty('source.abuse_contact');
  });

  it('the harmonization check finds what IntelMQ would refuse', () => {
    expect(
      harmonizationProblems({
        __type: 'Event',
        severity: 'high',
        'source.fqdn': 'Mail.Example',
        'time.source': '2026-11-27T01:16:03Z',
        'source.port': '443',
        'destination.url': '/owa/',
        'classification.type': 'vulnerable',
        'protocol.transport': 'quic',
        'extra.Build': 'x',
        'feed.name': '-',
      }),
    ).toEqual([
      'severity: not a field of the harmonization',
      'source.fqdn: "Mail.Example" is not an FQDN as IntelMQ takes it (FQDN)',
      'time.source: "2026-11-27T01:16:03Z" is not a UTC DateTime ending in +00:00 (DateTime)',
      'source.port: "443" is not an integer (Integer)',
      'destination.url: "/owa/" is not a URL with a host (URL)',
      'classification.type: "vulnerable" is not an allowed type (ClassificationType)',
      expect.stringMatching(/^protocol.transport: does not match/),
      'extra.Build: not a valid key below extra',
      'feed.name: "-" would be dropped',
    ]);
  });

  it("keeps an event on one line for Python's splitlines, whatever a server sent", () => {
    const hostile = 'CU14\u2028{"__type":"Report"}\u0085x\u2029\u001c\u000b\r\n';
    const e = intelmqEvent(record({ ip: '192.0.2.2', patchLevel: 'outdated', release: hostile }), run);
    const line = intelmqLine(e ?? {});
    expect(pythonSplitlines(line)).toHaveLength(1);
    expect(JSON.parse(line)).toEqual(e);
    expect((JSON.parse(line) as Record<string, unknown>)['extra.release']).toBe(hostile);
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
    const files = await writeReports(dir, {
      formats: ['intelmq'],
      perOwner: false,
      now: new Date('2026-11-27T12:00:00Z'),
    });
    expect(files.intelmq).toBe(join(dir, 'intelmq.jsonl'));
    expect(files.intelmqEvents).toBe(2);
    expect(files.html).toBeNull();
    const lines = readFileSync(join(dir, 'intelmq.jsonl'), 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2);
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => e['source.ip'])).toEqual(['192.0.2.1', '192.0.2.2']);
    for (const e of events) expect(harmonizationProblems(e)).toEqual([]);
    expect(events[1]?.['extra.release']).toBe('CU14\n{"__type":"Report"}\u2028');
  });
});

describe('owa-audit report --intelmq-severity (built CLI)', () => {
  const dir = writeRun(join(base, 'cli-run'), {
    startedAt: '2026-11-27T01:00:00.000Z',
    records: [
      record({ ip: '192.0.2.1', kev: ['CVE-2023-21529'] }),
      record({ ip: '192.0.2.2', patchLevel: 'current' }),
    ],
  });
  const events = (): Record<string, unknown>[] =>
    readFileSync(join(dir, 'intelmq.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('adds the top-level severity on request, and only then', async () => {
    const plain = await runCli(['report', dir, '--format', 'intelmq', '--no-history']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(events().map((e) => [e['extra.severity'], e.severity])).toEqual([['critical', undefined]]);
    const newer = await runCli(['report', dir, '--format', 'intelmq', '--intelmq-severity', '--no-history']);
    expect(newer.code, newer.stderr).toBe(0);
    expect(newer.stdout.trim()).toBe(join(dir, 'intelmq.jsonl'));
    expect(events().map((e) => [e['extra.severity'], e.severity])).toEqual([['critical', 'critical']]);
  });

  it('refuses the option without the intelmq format (exit status 2)', async () => {
    const r = await runCli(['report', dir, '--format', 'csv', '--intelmq-severity', '--no-history']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('command line: --intelmq-severity: needs the intelmq format');
  });
});
