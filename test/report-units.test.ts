// Pure parts of the reports: text shaping, CSV quoting and formula defence, link policy, owner
// file names, priority order, tolerant readers, chart geometry.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExchangeVerdict, ResultRecord } from '../src/core/result-schema.js';
import { remediationFromVerdict } from '../src/report/actions.js';
import { barChart } from '../src/report/charts.js';
import { CSV_COLUMNS, csvField, csvRow } from '../src/report/csv.js';
import { cveLink, trustedLink } from '../src/report/links.js';
import { ownerSlug } from '../src/report/owner-files.js';
import { actionGroupOf, compareKeys, priorityKey } from '../src/report/priority.js';
import { recordFrom } from '../src/run-store/record-guard.js';
import { readResults, type ReadStats } from '../src/run-store/read-results.js';
import { runInfoFrom } from '../src/run-store/run-info.js';
import { displayText } from '../src/core/text.js';
import { formatDay, formatDuration } from '../src/core/time.js';
import { mixedRecords } from './fixtures/report/synthetic-run.js';

const tmp = mkdtempSync(join(tmpdir(), 'owa-audit-report-units-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function verdict(over: Partial<ExchangeVerdict>): ExchangeVerdict {
  return {
    product: 'Exchange Server 2019',
    build: '15.2.1544.43',
    precision: 'exact',
    release: 'CU14 Jul26SU',
    releaseDate: '2026-07-14',
    patchLevel: 'outdated',
    certainty: 'confirmed',
    supported: true,
    endOfSupport: null,
    latest: '15.2.1748.49',
    cves: [],
    ...over,
  };
}

describe('displayText', () => {
  it('reveals control, DEL, C1 and bidi characters as escapes', () => {
    expect(displayText('a\u0000b\u0007\u001b[31m\u007f\u0085')).toBe('a\\x00b\\x07\\x1b[31m\\x7f\\x85');
    expect(displayText('\u202egnp.exe\u202c\u200b')).toBe('\\u202egnp.exe\\u202c\\u200b');
    expect(displayText('tab\there')).toBe('tab\\x09here');
  });
  it('bounds length and says how much was left out', () => {
    const shown = displayText('A'.repeat(5000), 300);
    expect(shown.startsWith('A'.repeat(300))).toBe(true);
    expect(shown).toContain('(4700 more characters)');
    expect(shown.length).toBeLessThan(340);
  });
  it('keeps ordinary text, including non-ASCII letters, as is', () => {
    expect(displayText('Stadtwerke Münster <b>')).toBe('Stadtwerke Münster <b>');
  });
});

describe('dates and durations', () => {
  it('formats ISO and OpenSSL dates and shows anything else as text', () => {
    expect(formatDay('2026-12-13T08:11:59.000Z')).toBe('2026-12-13');
    expect(formatDay('Jan  1 00:00:00 2027 GMT')).toBe('2027-01-01');
    expect(formatDay('<b>not a date</b>')).toBe('<b>not a date</b>');
    expect(formatDay('12')).toBe('12');
  });
  it('formats durations', () => {
    expect(formatDuration(277_512)).toBe('4 min 38 s');
    expect(formatDuration(3 * 3600_000 + 60_000)).toBe('3 h 1 min');
    expect(formatDuration(-1)).toBe('—');
  });
});

describe('CSV', () => {
  it('defuses cells a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField('+cmd')).toBe(`'+cmd`);
    expect(csvField('-2+3')).toBe(`'-2+3`);
    expect(csvField('@SUM(1+1)')).toBe(`'@SUM(1+1)`);
    expect(csvField('\t=1')).toBe(`'\t=1`);
    expect(csvField('\r+1')).toBe(`"'\r+1"`);
    expect(csvField('15.1.2507.6')).toBe('15.1.2507.6');
  });
  it('quotes per RFC 4180 and writes numbers and booleans bare', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField(' padded ')).toBe('" padded "');
    expect(csvField(null)).toBe('');
    expect(csvField(443)).toBe('443');
    expect(csvField(false)).toBe('false');
  });
  it('writes control characters other than tab/CR/LF as escapes and bounds cell length', () => {
    expect(csvField('a\u0000b\u001b')).toBe('a\\x00b\\x1b');
    const long = csvField('x'.repeat(10_000));
    expect(long.length).toBeLessThan(4100);
    expect(long.endsWith('…[cut]')).toBe(true);
  });
  it('has stable, unique column names and one field per column in every row', () => {
    const names = CSV_COLUMNS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.slice(0, 7)).toEqual(['endpoint_key', 'target', 'host', 'ip', 'port', 'scheme', 'status']);
    for (const r of mixedRecords()) {
      const row = csvRow(r);
      expect(row.endsWith('\r\n')).toBe(true);
    }
  });
});

describe('links', () => {
  it('links only https URLs of Microsoft and CISA', () => {
    expect(trustedLink('https://support.microsoft.com/help/5121576')).toBe(
      'https://support.microsoft.com/help/5121576',
    );
    expect(trustedLink('https://learn.microsoft.com/en-us/exchange/x')).not.toBeNull();
    expect(trustedLink('http://support.microsoft.com/help/1')).toBeNull();
    expect(trustedLink('https://microsoft.com.evil.example/')).toBeNull();
    expect(trustedLink('https://evilmicrosoft.com/')).toBeNull();
    expect(trustedLink('https://user@support.microsoft.com/')).toBeNull();
    expect(trustedLink('javascript:alert(1)')).toBeNull();
    expect(trustedLink('not a url')).toBeNull();
    expect(trustedLink(null)).toBeNull();
  });
  it('builds MSRC links only for well-formed CVE ids', () => {
    expect(cveLink('CVE-2021-26855')).toBe(
      'https://msrc.microsoft.com/update-guide/vulnerability/CVE-2021-26855',
    );
    expect(cveLink('CVE-2021-26855"><script>')).toBeNull();
    expect(cveLink('ADV24199947')).toBe('https://msrc.microsoft.com/update-guide/vulnerability/ADV24199947');
  });
});

describe('owner file names', () => {
  it('are safe slugs with a hash that separates names that slug alike', () => {
    const a = ownerSlug('ACME Ltd');
    const b = ownerSlug('Acme, Ltd.');
    expect(a).toMatch(/^acme-ltd-[0-9a-f]{8}$/);
    expect(b).toMatch(/^acme-ltd-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(ownerSlug('Stadtwerke Münster & Söhne')).toMatch(/^stadtwerke-munster-sohne-[0-9a-f]{8}$/);
    expect(ownerSlug('../../etc/passwd')).toMatch(/^etc-passwd-[0-9a-f]{8}$/);
    expect(ownerSlug('東京')).toMatch(/^owner-[0-9a-f]{8}$/);
    expect(ownerSlug('x'.repeat(200)).length).toBeLessThanOrEqual(49);
  });
});

describe('priority', () => {
  const kevConfirmed = verdict({
    patchLevel: 'vulnerable',
    supported: false,
    cves: [{ id: 'CVE-2021-26855', kev: true, certainty: 'confirmed', fixedIn: null }],
  });
  const kevMany = verdict({
    patchLevel: 'vulnerable',
    cves: [
      { id: 'CVE-2021-26855', kev: true, certainty: 'confirmed', fixedIn: null },
      { id: 'CVE-2021-34473', kev: true, certainty: 'confirmed', fixedIn: null },
    ],
  });
  const kevPossible = verdict({
    patchLevel: 'vulnerable',
    certainty: 'possible',
    cves: [
      { id: 'CVE-2021-26855', kev: true, certainty: 'possible', fixedIn: null },
      { id: 'CVE-2021-34473', kev: true, certainty: 'possible', fixedIn: null },
      { id: 'CVE-2022-41040', kev: true, certainty: 'possible', fixedIn: null },
    ],
  });
  const eol2010 = verdict({
    product: 'Exchange Server 2010',
    patchLevel: 'current',
    supported: false,
    endOfSupport: '2020-10-13',
  });
  const eol2019 = verdict({ patchLevel: 'current', supported: false, endOfSupport: '2025-10-14' });
  const outdated = verdict({
    cves: [{ id: 'CVE-2025-59249', kev: false, certainty: 'confirmed', fixedIn: '15.2.1544.36' }],
  });
  const outdatedNoCve = verdict({});
  const unknown = verdict({ patchLevel: 'unknown' });
  const current = verdict({ patchLevel: 'current' });

  it('groups KEV first, then end of life, outdated, unknown, nothing', () => {
    expect([kevConfirmed, eol2010, outdated, unknown, current].map(actionGroupOf)).toEqual([
      'kev',
      'eol',
      'outdated',
      'verify',
      'none',
    ]);
  });
  it('orders the most severe first within a group', () => {
    const shuffled = [
      current,
      outdatedNoCve,
      eol2019,
      kevPossible,
      unknown,
      outdated,
      eol2010,
      kevConfirmed,
      kevMany,
    ];
    const sorted = [...shuffled].sort((a, b) => compareKeys(priorityKey(a), priorityKey(b)));
    expect(sorted).toEqual([
      kevMany,
      kevConfirmed,
      kevPossible,
      eol2010,
      eol2019,
      outdated,
      outdatedNoCve,
      unknown,
      current,
    ]);
  });
});

describe('tolerant readers', () => {
  it('reads what fits the run.json model and leaves a missing or malformed field unknown', () => {
    const info = runInfoFrom(
      {
        name: 'x',
        authorisation: { by: 'CERT', reference: 7, contact: 'c@x', validUntil: '2026-12-31' },
        scanFile: { path: 'scans/x.yaml' },
        tool: { name: 'owa-audit', version: '1.2.3' },
        data: { version: 'd1', asOf: '2026-08-20' },
        startedAt: '2026-01-01T00:00:00Z',
        finishedAt: { not: 'a date' },
        settings: { rate: 5, hostGapMs: 700, concurrency: 'many', ports: [{ port: 443, scheme: 'https' }] },
        resumedAt: ['a', 'b'],
        somethingNewer: { kept: 'out of sight' },
      },
      'fallback',
    );
    expect(info.authorisation).toEqual({
      by: 'CERT',
      reference: null,
      contact: 'c@x',
      validUntil: '2026-12-31',
    });
    expect(info.scanFilePath).toBe('scans/x.yaml');
    expect(info.data).toEqual({ version: 'd1', asOf: '2026-08-20' });
    expect(info.startedAt).toBe('2026-01-01T00:00:00Z');
    expect(info.finishedAt).toBeNull();
    expect(info.settings).toEqual([
      { label: 'Request rate (per second, all hosts)', value: '5' },
      { label: 'Minimum gap per IP (ms)', value: '700' },
      { label: 'Ports', value: '443/https' },
    ]);
    expect(info.resumes).toBe(2);
    expect(runInfoFrom({}, 'dir-name').name).toBe('dir-name');
  });

  it('keeps well-formed records and drops what is not one', () => {
    const good = mixedRecords()[0];
    expect(recordFrom(good)).toEqual(good);
    expect(recordFrom({ ...good, schema: 'other' })).toBeNull();
    expect(recordFrom({ ...good, status: 'pwned' })).toBeNull();
    expect(recordFrom({ ...good, port: 70000 })).toBeNull();
    const odd = recordFrom({
      ...good,
      evidence: [{ signal: 'x-owa-version', url: 1, value: 'v' }, 'junk'],
      tls: 'nope',
      owner: { name: 7 },
    });
    expect(odd?.evidence).toEqual([]);
    expect(odd?.tls).toBeNull();
    expect(odd?.owner).toBeNull();
    const weird = recordFrom({
      ...good,
      status: 'error',
      exchange: null,
      error: { code: 'new-code', message: 'm' },
    });
    expect(weird?.error).toEqual({ code: 'internal-error', message: 'new-code: m' });
  });

  it('streams results.jsonl and skips torn, foreign and oversized lines', async () => {
    const records = mixedRecords().slice(0, 3);
    const file = join(tmp, 'results.jsonl');
    const lines = [
      JSON.stringify(records[0]),
      'not json',
      JSON.stringify({ schema: 'owa-audit/result@1' }),
      JSON.stringify({ ...records[1], junk: 'x'.repeat(5 * 1024 * 1024) }),
      '',
      JSON.stringify(records[2]),
      JSON.stringify(records[0]).slice(0, 40), // torn last line, no newline
    ];
    writeFileSync(file, lines.join('\n'));
    const stats: ReadStats = { records: 0, skippedLines: 0 };
    const seen: ResultRecord[] = [];
    for await (const r of readResults(file, stats)) seen.push(r);
    expect(seen.map((r) => r.target)).toEqual([records[0]?.target, records[2]?.target]);
    expect(stats).toEqual({ records: 2, skippedLines: 4 });
  });

  it('reads only the bytes asked for, and passes over the lines a reader does not want', async () => {
    const records = mixedRecords();
    const file = join(tmp, 'growing.jsonl');
    const text = records.map((r) => `${JSON.stringify(r)}\n`).join('');
    // Lines that span the reader's 256 kB chunks are read whole too.
    const big = `${JSON.stringify({ ...records[0], junk: 'y'.repeat(300 * 1024) })}\n`;
    const upTo = Buffer.byteLength(big) + Buffer.byteLength(text.slice(0, text.indexOf('\n') + 1));
    writeFileSync(file, `${big}${text}${JSON.stringify(records[1])}\n`); // the scan wrote more since
    const firstTwo: ResultRecord[] = [];
    for await (const r of readResults(file, undefined, { bytes: upTo })) firstTwo.push(r);
    expect(firstTwo.map((r) => r.target)).toEqual([records[0]?.target, records[0]?.target]);
    const stats: ReadStats = { records: 0, skippedLines: 0 };
    const unreachable: ResultRecord[] = [];
    for await (const r of readResults(file, stats, { only: (l) => l.includes('"status":"unreachable"') }))
      unreachable.push(r);
    expect(unreachable.length).toBe(records.filter((r) => r.status === 'unreachable').length);
    expect(stats).toEqual({ records: unreachable.length, skippedLines: 0 });
    for await (const r of readResults(file, undefined, { bytes: 0 })) throw new Error(`read ${r.target}`);
  });
});

describe('charts', () => {
  it('scales bars to the largest total and keeps small parts visible', () => {
    const chart = barChart(
      't',
      [
        { label: 'big', segments: [{ value: 1000, cls: 'a', label: 'a' }] },
        {
          label: 'small',
          segments: [
            { value: 1, cls: 'a', label: 'a' },
            { value: 0, cls: 'b', label: 'b' },
          ],
        },
      ],
      [],
    );
    const [big, small] = chart.rows;
    expect(big?.segments[0]?.width).toBeGreaterThan(100);
    expect(small?.segments).toHaveLength(1);
    expect(small?.segments[0]?.width).toBeGreaterThanOrEqual(2);
    expect(big?.value).toBe('1,000');
    expect(chart.empty).toBe(false);
  });
});

describe('verdict-only advice (knowledge base unavailable)', () => {
  it('still says what to do and what to check locally', () => {
    const r = remediationFromVerdict(
      verdict({
        patchLevel: 'vulnerable',
        certainty: 'possible',
        supported: false,
        endOfSupport: '2025-10-14',
        cves: [{ id: 'CVE-2024-21410', kev: true, certainty: 'possible', fixedIn: null }],
      }),
    );
    expect(r.headline).toContain('exploited');
    expect(r.steps.map((s) => s.text).join(' ')).toContain('15.2.1748.49');
    expect(r.steps.map((s) => s.text).join(' ')).toContain('out of support since 2025-10-14');
    expect(r.checkLocally).toContain('ExSetup.exe');
  });
});
