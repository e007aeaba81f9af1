// The feed readers, pure: CSV syntax, Microsoft's update names, dates, the Learn page's tables,
// CISA's catalog, and how a --from source is recognised.
import { describe, expect, it } from 'vitest';
import { parseBuildCsv } from '../src/data-update/build-csv.js';
import { parseCsv } from '../src/data-update/csv.js';
import { DataUpdateError, formatProblem, type SourceRef } from '../src/data-update/errors.js';
import type { Fetched } from '../src/data-update/fetch.js';
import { parseKev } from '../src/data-update/kev.js';
import { parseLearnHtml } from '../src/data-update/learn-html.js';
import { parseLongDate, parseUpdateName, parseUsDate } from '../src/data-update/names.js';
import { sniffKind } from '../src/data-update/sources.js';
import { BROKEN_KEV, KEV_JSON, LEARN_HTML, REAL_CSV } from './fixtures/data-update/feeds.js';

const FILE: SourceRef = { label: 'feed.csv', remote: false };
const URL_SOURCE: SourceRef = { label: 'https://example.invalid/feed', remote: true };

function refusal(fn: () => unknown): DataUpdateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DataUpdateError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('CSV syntax', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF and a BOM', () => {
    const recs = parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n\r\n"two\nlines",z\n');
    expect(recs).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 4, fields: ['two\nlines', 'z'] },
    ]);
  });

  it('refuses an unclosed quote and text after a closing quote, naming the line', () => {
    expect(() => parseCsv('a,b\n"open,c\n')).toThrow(/not closed/);
    expect(() => parseCsv('a,b\n"x"y,c\n')).toThrow(/after the closing quote/);
    try {
      parseCsv('a\nb\n"x"y\n');
    } catch (e) {
      expect((e as { line: number }).line).toBe(3);
    }
  });
});

describe("Microsoft's update names", () => {
  it.each([
    ['Exchange 2019 CU15 Aug26SU', 'Exchange Server 2019', 'CU15', 'CU15 Aug26SU', 'SU'],
    ['Exchange Server SE RTM Sep26SU', 'Exchange Server SE', 'RTM', 'RTM Sep26SU', 'SU'],
    ['Exchange SE RTM', 'Exchange Server SE', 'RTM', 'RTM', 'RTM'],
    ['Exchange 2016 CU23 Nov24SUv2', 'Exchange Server 2016', 'CU23', 'CU23 Nov24SUv2', 'SU'],
    ['Exchange 2019 CU14 Apr25HU', 'Exchange Server 2019', 'CU14', 'CU14 Apr25HU', 'HU'],
    ['Exchange 2019 CU13 (2023H1)', 'Exchange Server 2019', 'CU13', 'CU13', 'CU'],
    ['Exchange 2013 SP1', 'Exchange Server 2013', 'SP1', 'SP1', 'CU'],
    ['Exchange 2013 SP1 Mar21SU', 'Exchange Server 2013', 'SP1', 'SP1 Mar21SU', 'SU'],
    ['Exchange 2010 SP3 RTM', 'Exchange Server 2010', 'SP3', 'SP3', 'SP'],
    ['Exchange 2010 SP3 RU8v2', 'Exchange Server 2010', 'SP3', 'SP3 RU8v2', 'RU'],
    [
      'Update Rollup 8 v1 for Exchange Server 2010 SP3 (recalled)',
      'Exchange Server 2010',
      'SP3',
      'SP3 RU8v1',
      'RU',
    ],
    ['Update Rollup 19 forExchange Server 2007 SP3', 'Exchange Server 2007', 'SP3', 'SP3 RU19', 'RU'],
    ['Update Rollup 5 for Exchange Server 2010', 'Exchange Server 2010', 'RTM', 'RTM RU5', 'RU'],
    ['Exchange Server 2019 Preview', 'Exchange Server 2019', 'Preview', 'Preview', 'Preview'],
  ])('%s', (raw, product, line, name, kind) => {
    expect(parseUpdateName(raw)).toEqual({ product, line, name, kind });
  });

  it.each([
    'Exchange 2019 CU15 Hotfix',
    'Exchange 2016 CU23 Sep26SU extra',
    'Outlook 2019',
    'Exchange 2021 RTM',
    'Exchange 2016 RU3',
  ])('refuses %s', (raw) => {
    expect(parseUpdateName(raw)).toBeNull();
  });

  it('reads US and long dates, and refuses days that do not exist', () => {
    expect(parseUsDate('3/2/2021')).toBe('2021-03-02');
    expect(parseUsDate('02/14/2023')).toBe('2023-02-14');
    expect(parseUsDate('2/30/2023')).toBeNull();
    expect(parseUsDate('2023-02-14')).toBeNull();
    expect(parseLongDate('September 8, 2026')).toBe('2026-09-08');
    expect(parseLongDate('December, 2015')).toBe('2015-12');
    expect(parseLongDate('Sept 8, 2026')).toBe('2026-09-08');
    expect(parseLongDate('Smarch 8, 2026')).toBeNull();
  });
});

describe("Microsoft's build CSV", () => {
  it('reads every row of the real file with its source line', () => {
    const feed = parseBuildCsv(REAL_CSV, FILE);
    expect(feed.rows).toHaveLength(REAL_CSV.trim().split('\n').length - 1);
    expect(feed.rows.find((r) => r.build === '15.2.2562.41')).toEqual({
      line: 254,
      name: 'Exchange SE RTM May26HU',
      build: '15.2.2562.41',
      date: '5/7/2026',
      kb: 'KB5081755',
    });
  });

  it('finds columns by header name, whatever their order', () => {
    const feed = parseBuildCsv(
      'Date,Build Number,Product Name\n9/8/2026,15.2.2562.50,Exchange SE RTM Sep26SU\n',
      FILE,
    );
    expect(feed.rows[0]).toMatchObject({ name: 'Exchange SE RTM Sep26SU', build: '15.2.2562.50', kb: '' });
  });

  it('refuses a row with a field too many, naming file, line and row', () => {
    const e = refusal(() =>
      parseBuildCsv(`${REAL_CSV}Exchange SE RTM Oct26SU, hotfix,15.2.2562.55,10/13/2026,KB5140001,\n`, FILE),
    );
    expect(formatProblem(e.problems[0] ?? { source: null, message: '' })).toBe(
      'feed.csv:255: "Exchange SE RTM Oct26SU": 6 fields where the header has 5 (a comma too many or too few?)',
    );
    expect(e.exitCode).toBe(2);
  });

  it('refuses a file without the expected header', () => {
    expect(() => parseBuildCsv('Name,Version\nx,1\n', URL_SOURCE)).toThrow(/no "product name" column/);
    expect(refusal(() => parseBuildCsv('Name,Version\nx,1\n', URL_SOURCE)).exitCode).toBe(1);
  });
});

describe('the Learn page', () => {
  const feed = parseLearnHtml(LEARN_HTML, { label: 'learn.html', remote: false });

  it('reads the build tables only, skipping separators, with KB numbers from the links', () => {
    expect(feed.rows.map((r) => r.build)).toContain('15.2.2562.50');
    expect(feed.rows.some((r) => r.name.includes('note'))).toBe(false);
    expect(feed.rows.every((r) => r.name !== '')).toBe(true);
    expect(feed.rows.find((r) => r.build === '15.2.2562.50')).toMatchObject({
      name: 'Exchange Server SE RTM Sep26SU',
      date: 'September 8, 2026',
      kb: 'KB5130001',
    });
    // en-us in the link, &nbsp; in the name
    expect(feed.rows.find((r) => r.build === '15.2.2562.41')?.kb).toBe('KB5081755');
    expect(feed.rows.find((r) => r.build === '15.2.2562.17')?.name).toBe('Exchange Server SE RTM');
    expect(feed.rows.find((r) => r.build === '14.3.224.1')?.name).toBe(
      'Update Rollup 8 v1 for Exchange Server 2010 SP3 ( recalled )',
    );
  });

  it('gives each row the line of the page it starts on', () => {
    const lines = LEARN_HTML.split('\n');
    const row = feed.rows.find((r) => r.build === '15.2.1748.52');
    expect(lines[(row?.line ?? 0) - 1]).toBe('<tr>');
    expect(lines[row?.line ?? 0]).toContain('CU15 Sep26SU');
  });

  it('refuses a page without a build table, and stays linear on unclosed tags', () => {
    expect(() => parseLearnHtml('<html><table><tr><td>x</td></tr></table></html>', URL_SOURCE)).toThrow(
      /no table with the columns/,
    );
    const header = '<table><tr><th>Product name</th><th>Release date</th><th>Build number</th>';
    const unclosed = `${header}${'<tr><td>Exchange SE RTM<td>July 1, 2025<td>15.2.2562.17'.repeat(4_000)}`;
    const started = Date.now();
    expect(parseLearnHtml(unclosed, URL_SOURCE).rows).toHaveLength(4_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(() => parseLearnHtml(`${header}${'<tr><td>x'.repeat(6_000)}`, URL_SOURCE)).toThrow(
      /more than 5000 rows/,
    );
  });
});

describe("CISA's KEV catalog", () => {
  it('keeps the Microsoft Exchange entries only, with version and release day', () => {
    const kev = parseKev(KEV_JSON, FILE);
    expect(kev).toMatchObject({ catalogVersion: '2026.09.10', released: '2026-09-10', total: 14 });
    expect([...kev.exchange.keys()].sort()).toEqual([
      'CVE-2020-0688',
      'CVE-2021-26855',
      'CVE-2021-31207',
      'CVE-2021-34473',
      'CVE-2021-42321',
      'CVE-2022-41040',
      'CVE-2022-41082',
      'CVE-2023-21529',
      'CVE-2024-21410',
      'CVE-2026-21527',
    ]);
    expect(kev.exchange.get('CVE-2026-21527')?.dateAdded).toBe('2026-09-09');
  });

  it('refuses broken JSON, a foreign document, and a malformed Exchange entry', () => {
    expect(() => parseKev(BROKEN_KEV, URL_SOURCE)).toThrow(/not valid JSON .*truncated/);
    expect(() => parseKev('{"data": []}', URL_SOURCE)).toThrow(/no "vulnerabilities" list/);
    const bad = JSON.stringify({
      vulnerabilities: [
        { cveID: 'not-a-cve', vendorProject: 'Fortinet', product: 'FortiOS', dateAdded: 'soon' },
        {
          cveID: 'CVE-2026-21527',
          vendorProject: 'Microsoft',
          product: 'Exchange Server',
          dateAdded: '2026-13-01',
        },
      ],
    });
    const e = refusal(() => parseKev(bad, FILE));
    expect(formatProblem(e.problems[0] ?? { source: null, message: '' })).toBe(
      'feed.csv: vulnerabilities[1] CVE-2026-21527: dateAdded is not a date: "2026-13-01"',
    );
  });
});

describe('recognising a --from source by its content', () => {
  const as = (text: string): Fetched => ({
    source: FILE,
    text,
    bytes: text.length,
    sha256: '',
    retrievedAt: '',
    snapshotDay: '',
  });

  it('tells the three kinds apart', () => {
    expect(sniffKind(as(REAL_CSV))).toBe('build-csv');
    expect(sniffKind(as(LEARN_HTML))).toBe('learn-html');
    expect(sniffKind(as(KEV_JSON))).toBe('kev-json');
    expect(sniffKind(as(BROKEN_KEV))).toBe('kev-json'); // then refused by the KEV reader, with its reason
  });

  it('refuses anything else, saying what it expected', () => {
    expect(() => sniffKind(as('build,date\n15.2.2562.50,2026-09-08\n'))).toThrow(
      /cannot tell what this is: expected ExchangeBuildNumbers\.csv/,
    );
  });
});
