// The feed readers, pure: CSV syntax, Microsoft's update names, dates, the Learn page's tables,
// CISA's catalog, and how a --from source is recognised.
import { describe, expect, it } from 'vitest';
import { parseBuildCsv } from '../src/data-update/build-csv.js';
import { parseCsv } from '../src/core/csv.js';
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

  it.each([
    ['a stray quote', 'a,b\nx"y,c\nok,1\n', 2, 'a quote inside an unquoted field'],
    ['text after a closing quote', 'a,b\n"x"y,c\nok,1\n', 2, 'text after the closing quote of a field'],
    ['a quote never closed', 'a,b\n"open,c\nok,1\n', 2, 'a quoted field is not closed'],
    ['a field too long', `a,b\n${'x'.repeat(5_000)},c\nok,1\n`, 2, 'a field longer than 4000 characters'],
  ])('%s makes one bad record; the next line is read', (_what, text, line, error) => {
    const recs = parseCsv(text);
    expect(recs.find((r) => r.error !== undefined)).toMatchObject({
      line,
      error: expect.stringContaining(error) as string,
    });
    expect(recs.at(-1)).toEqual({ line: 3, fields: ['ok', '1'] });
  });

  it('a quoted field left open across lines costs only its first line', () => {
    const recs = parseCsv(`a,b\n"${'x\n'.repeat(2_100)}`);
    expect(recs[1]).toMatchObject({
      line: 2,
      error: expect.stringMatching(/longer than 4000 characters/) as string,
    });
    expect(recs).toHaveLength(2 + 2_099); // every line after it is read again as a record of its own
  });

  it('takes CR alone as a line end, and stays linear on a file of bad quotes', () => {
    expect(parseCsv('a,b\rc,d\r').map((r) => r.line)).toEqual([1, 2]);
    const started = Date.now();
    expect(parseCsv('"x\n'.repeat(10_000)).every((r) => r.error !== undefined)).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
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

  it('cleans cells of zero-width characters and BOMs, and matches a header written differently', () => {
    const feed = parseBuildCsv(
      '\uFEFF"product  NAME",\u200bBuild Number ,date,Blog\r\n' +
        '"Exchange SE RTM Sep26SU",15.2.2562.50\u200b,9/8/2026,"https://x/, y"\r\n' +
        ',,,\r\n',
      FILE,
    );
    expect(feed.rows).toEqual([
      { line: 2, name: 'Exchange SE RTM Sep26SU', build: '15.2.2562.50', date: '9/8/2026', kb: '' },
    ]);
    expect(feed).toMatchObject({ unreadable: [], cleaned: 1 });
  });

  it.each([
    [
      'a field too many',
      'Exchange SE RTM Oct26SU, hotfix,15.2.2562.55,10/13/2026,KB5140001,',
      '"Exchange SE RTM Oct26SU": 6 fields where the header has 5 (a comma too many?)',
    ],
    [
      'a row cut short',
      'Exchange SE RTM Aug26SU,15.2.25',
      '"Exchange SE RTM Aug26SU": 2 field(s) where the header has 5: no "Date" (a row cut short?)',
    ],
    [
      'bad quoting',
      'Exchange SE RTM "Oct26SU",15.2.2562.55,10/13/2026,,',
      '"Exchange SE RTM": not valid CSV: a quote inside an unquoted field',
    ],
  ])(
    'sets aside a row with %s, naming file, line and reason, and reads the others',
    (_what, row, message) => {
      const feed = parseBuildCsv(
        `${REAL_CSV}${row}\nExchange SE RTM Oct26SU,15.2.2562.55,10/13/2026,,\n`,
        FILE,
      );
      expect(feed.unreadable.map(formatProblem)).toEqual([`feed.csv:255: ${message}`]);
      expect(feed.unreadable[0]?.fault).toBe('syntax');
      expect(feed.rows.at(-1)).toMatchObject({ line: 256, build: '15.2.2562.55' });
    },
  );

  it('accepts a row without the optional columns at its end', () => {
    const feed = parseBuildCsv(
      'Product Name,Build Number,Date,KB,Blog\nExchange SE RTM,15.2.2562.17,7/1/2025\nExchange SE RTM,15.2.2562.17,7/1/2025,KB5047155\n',
      FILE,
    );
    expect(feed.unreadable).toEqual([]);
    expect(feed.rows.map((r) => r.kb)).toEqual(['', 'KB5047155']);
  });

  it.each([
    ['Name,Version\nx,1\n', /the header has no "Product Name" column \(found: "Name,Version"\)/],
    ['', /empty: expected the header/],
    ['Product Name,Build Number,Date\n', /the CSV lists no builds/],
    ['"Product Name,Build Number,Date\n', /the header is not readable: a quoted field is not closed/],
  ])('refuses a file that is not the list: %j', (text, message) => {
    const e = refusal(() => parseBuildCsv(text, URL_SOURCE));
    expect(formatProblem(e.problems[0] ?? { source: null, message: '' })).toMatch(message);
    expect(e.exitCode).toBe(1);
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
      /an HTML page without a table with the columns "Product name", "Release date" and "Build number": an error or sign-in page/,
    );
    const errorPage = '<html><head><title>502 Bad\u001b[31m Gateway</title></head><body>nginx</body></html>';
    expect(refusal(() => parseLearnHtml(errorPage, URL_SOURCE)).problems.map(formatProblem)[0]).toContain(
      '(title "502 Bad\\u001b[31m Gateway")',
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

  it('refuses what is not the catalog: broken JSON, a foreign document, an empty list, entries without CVE ids', () => {
    expect(() => parseKev(BROKEN_KEV, URL_SOURCE)).toThrow(/not valid JSON .*truncated/);
    expect(() => parseKev('{"data": []}', URL_SOURCE)).toThrow(/no "vulnerabilities" list/);
    expect(() => parseKev('{"vulnerabilities": []}', URL_SOURCE)).toThrow(/lists no vulnerabilities/);
    const shapeless = JSON.stringify({
      vulnerabilities: [{ id: 1 }, { id: 2 }, { cveID: 'CVE-2021-26855' }],
    });
    expect(() => parseKev(shapeless, URL_SOURCE)).toThrow(
      /2 of 3 entries have no CVE id \(cveID\): not the KEV catalog, or damaged/,
    );
  });

  it('skips a malformed Exchange entry with a warning and uses the others; other vendors are not its business', () => {
    const exchange = { vendorProject: 'Microsoft', product: 'Exchange Server' };
    const bad = JSON.stringify({
      catalogVersion: '2026.09.10\u009b31m',
      dateReleased: 20260910,
      newField: { anything: true },
      vulnerabilities: [
        { cveID: 'not-a-cve', vendorProject: 'Fortinet', product: 'FortiOS', dateAdded: 'soon' },
        { cveID: 'CVE-2026-21527', ...exchange, dateAdded: '2026-13-01' },
        { cveID: 'CVE-2021-26855\u001b[2J', ...exchange, dateAdded: '2021-11-03' },
        { cveID: 'CVE-2021-34473', ...exchange },
        { cveID: ' cve-2022-41040 ', ...exchange, dateAdded: '2022-09-30', cwes: ['CWE-918'] }, // no name, extra field
        { cveID: 'CVE-2023-21529', ...exchange, dateAdded: '2026-04-13', vulnerabilityName: 'A\u202eB\nC' },
      ],
    });
    const kev = parseKev(bad, FILE);
    expect(kev.skipped.map(formatProblem)).toEqual([
      'feed.csv: dateReleased: not a date: "20260910"; the catalog is taken as of the day it was read',
      'feed.csv: vulnerabilities[1] CVE-2026-21527: dateAdded is not a date: "2026-13-01"',
      'feed.csv: vulnerabilities[2]: a Microsoft Exchange entry whose cveID is not a CVE id: "CVE-2021-26855\\u001b[2J"',
      'feed.csv: vulnerabilities[3] CVE-2021-34473: no dateAdded',
    ]);
    expect(kev.skipped.every((x) => x.fault === 'entry')).toBe(true);
    expect([...kev.exchange.values()]).toEqual([
      { cve: 'CVE-2022-41040', dateAdded: '2022-09-30', name: '' },
      { cve: 'CVE-2023-21529', dateAdded: '2026-04-13', name: 'A B C' },
    ]);
    expect(kev).toMatchObject({ catalogVersion: '2026.09.10 31m', released: null, total: 6 });
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

  it('refuses an empty file, and anything else, saying what it expected', () => {
    expect(() => sniffKind(as(' \r\n'))).toThrow(/empty: a failed or interrupted download\?/);
    expect(() => sniffKind(as('build,date\n15.2.2562.50,2026-09-08\n'))).toThrow(
      /cannot tell what this is: expected ExchangeBuildNumbers\.csv/,
    );
  });
});
