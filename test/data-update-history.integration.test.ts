// The feed reader against the real world: every version of ExchangeBuildNumbers.csv Microsoft ever
// published (test/fixtures/data-update/ms-csv-history/, README there) through `data update --from
// FILE`. Each is accepted; exactly its bad rows are skipped and reported by line and kind; nothing
// the data says changes (the files are older than the data). Then through the built CLI: what the
// user reads, a feed with 10,000 bad rows (bounded output), and hostile text (no control
// characters reach the terminal).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import type { RowFault } from '../src/data-update/errors.js';
import { formatUpdateSummary } from '../src/data-update/summary.js';
import { runDataUpdate } from '../src/data-update/update.js';
import type { ExchangeVerdict } from '../src/core/result-schema.js';
import { fixture, REAL_CSV } from './fixtures/data-update/feeds.js';
import { startCli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp-dirs.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const HISTORY = fixture('ms-csv-history/');
const shipped = loadKnowledgeBase({ userDataDir: null });
const dirs = tempDirs('owa-audit-feed-history-');

const at = (fault: RowFault, ...lines: number[]): [number, RowFault][] => lines.map((l) => [l, fault]);
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The bad rows of each version, by line and kind (none for a file not listed). */
const BAD_ROWS: Record<string, [number, RowFault][]> = {
  '2017-03-29-478659d.csv': at('conflict', 124), // 15.1.845.34 labelled CU6
  '2020-06-19-a953ac2.csv': at('date', 156), // 6/16/20200
  '2020-12-21-fb1a908.csv': at('syntax', 168), // a field too many
  '2023-11-21-4661a29.csv': at('date', 157, 158, ...range(219, 225), ...range(273, 285)), // KB in the date column, one empty date
  '2023-11-21-c0e3554.csv': at('date', 280), // empty date
  '2023-11-21-dd2b61b.csv': at('date', 280),
};
/** Cells with a zero-width space before the KB number. */
const CLEANED: Record<string, number> = {
  '2016-09-03-c8d05b4.csv': 4,
  '2016-09-16-3edd10f.csv': 4,
  '2016-09-16-4b4c4af.csv': 4,
  '2016-09-22-e1f3f13.csv': 4,
  '2016-12-20-ed0f0cd.csv': 2,
};
/** The versions as recent as the shipped data (Aug26SU): not old copies. */
const CURRENT = new Set(['2026-08-19-1f75386.csv', '2026-08-19-a2c819b.csv']);

const files = readdirSync(HISTORY)
  .filter((f) => f.endsWith('.csv'))
  .sort();

function withoutDates(b: { released: string }): object {
  return { ...b, released: undefined };
}

describe("every published version of Microsoft's CSV", () => {
  it('the fixtures are the 44 versions, as published', () => {
    expect(files).toHaveLength(44);
    const first = readFileSync(join(HISTORY, files[0] ?? ''), 'utf8');
    expect(first.startsWith('\uFEFFProduct Name,Build Number,Date,KB\r\n')).toBe(true);
  });

  it.each(files)('%s is accepted, its bad rows skipped and reported', async (file) => {
    const r = await runDataUpdate({ from: [join(HISTORY, file)], userDataDir: dirs.fresh('user'), now: NOW });
    expect(r.written).toBe(true);
    expect(r.summary.skipped.listed.map((x) => [x.line, x.fault])).toEqual(BAD_ROWS[file] ?? []);
    expect(r.summary.sources[0]).toMatchObject({
      id: 'gebn',
      skipped: BAD_ROWS[file]?.length ?? 0,
      cleaned: CLEANED[file] ?? 0,
    });
    expect(r.summary.sources[0]?.notCurrent === null).toBe(CURRENT.has(file));
    if (!CURRENT.has(file)) expect(r.summary.snapshots.builds).toBe(shipped.asOf);
    // Older than the data: nothing to add, and no row changed what the data says.
    expect(r.summary.added).toEqual([]);
    expect(r.kb.builds.map(withoutDates)).toEqual(shipped.builds.map(withoutDates));
  });

  it.each([
    [
      '2017-03-29-478659d.csv',
      ':124: "Exchange 2016 CU6": 15.1.845.34 is Exchange Server 2016 CU5 (CU5) in the data, not Exchange Server 2016 CU6; the data is kept',
    ],
    ['2020-06-19-a953ac2.csv', ':156: "Exchange 2016 CU17": the date "6/16/20200" is not a date'],
    [
      '2020-12-21-fb1a908.csv',
      ':168: "Exchange 2019 CU8": 5 fields where the header has 4 (a comma too many?)',
    ],
    [
      '2023-11-21-4661a29.csv',
      ':157: "Exchange 2013 CU23 Feb23SU": the date "KB5023038" is a KB number (the date and KB columns swapped?)',
    ],
    ['2023-11-21-c0e3554.csv', ':280: "Exchange 2019 CU13 (2023H1)": the date is empty'],
  ])('%s: the reason is readable', async (file, message) => {
    const r = await runDataUpdate({
      from: [join(HISTORY, file)],
      userDataDir: dirs.fresh('dry'),
      now: NOW,
      dryRun: true,
    });
    expect(formatUpdateSummary(r.summary)).toContain(`${join(HISTORY, file)}${message}\n`);
  });
});

/** The skipped-row warnings of stderr (not the data-age warning, which depends on the wall clock). */
const warnings = (stderr: string): string[] => stderr.split('\n').filter((l) => l.includes('skipped as bad'));

async function owaAudit(
  args: string[],
  dataDir: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return startCli(args, { env: { OWA_AUDIT_DATA_DIR: dataDir }, timeoutMs: 30_000 }).done;
}

describe('through the CLI', () => {
  it('reports the bad rows of a real version beyond the listing limit by count, and classify still reads the data', async () => {
    const dataDir = dirs.fresh('cli');
    const file = join(HISTORY, '2023-11-21-4661a29.csv');
    const r = await owaAudit(['data', 'update', '--from', file], dataDir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^Updated: 1 source\(s\)\.\n {2}gebn +.*4661a29\.csv {2}\(284 rows; 22 skipped: 22 date, 38 KB\)\n/,
    );
    expect(r.stdout).toMatch(
      /not taken as current: an old copy: its newest build is from 2023-01-10, the data's from 2026-08-11; the builds' as-of date stays/,
    );
    expect(r.stdout).toContain('Skipped as bad, the rest used (22):\n');
    expect(r.stdout).toContain('  … and 2 more (in all: 22 date).\n');
    expect(warnings(r.stderr)).toEqual([
      `owa-audit: warning: ${file}: 22 of 284 row(s) skipped as bad; the rest was used.`,
    ]);

    const slip = await owaAudit(
      ['data', 'update', '--from', join(HISTORY, '2017-03-29-478659d.csv')],
      dataDir,
    );
    expect(slip.code, slip.stderr).toBe(0);
    const c = await owaAudit(['classify', '--json', '15.1.845.34'], dataDir);
    expect(c.code, c.stderr).toBe(0);
    const [v] = JSON.parse(c.stdout) as ExchangeVerdict[];
    expect(v).toMatchObject({ product: 'Exchange Server 2016', release: 'CU5', precision: 'exact' });
  });

  it('a feed with 10,000 bad rows prints a bounded summary; with mostly bad rows, a bounded refusal', async () => {
    const dataDir = dirs.fresh('many');
    const body = REAL_CSV.slice(REAL_CSV.indexOf('\n') + 1);
    const bad = Array.from(
      { length: 10_000 },
      (_, i) => `Exchange SE RTM Sep26SU,15.2.2562.50,9/8/2026${i},,\n`,
    );
    const accepted = join(dirs.root, 'many-bad.csv');
    writeFileSync(accepted, `${REAL_CSV}${body.repeat(40)}${bad.join('')}`); // 10,120 good rows (repeated), 10,000 bad
    const r = await owaAudit(['data', 'update', '--dry-run', '--from', accepted], dataDir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').length).toBeLessThan(60);
    expect(r.stdout).toContain('  … and 9980 more (in all: 10000 date).\n');
    expect(warnings(r.stderr)).toHaveLength(1);
    const started = Date.now();
    const { summary } = await runDataUpdate({
      from: [accepted],
      userDataDir: dataDir,
      now: NOW,
      dryRun: true,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(summary.skipped.total).toBe(10_000);
    expect(summary.skipped.listed).toHaveLength(200); // what --json prints

    const refused = join(dirs.root, 'mostly-bad.csv');
    writeFileSync(refused, `${REAL_CSV}${bad.join('')}`);
    const no = await owaAudit(['data', 'update', '--from', refused], dataDir);
    expect(no.code).toBe(2);
    expect(no.stderr).toMatch(/mostly-bad\.csv: 10000 of 10253 rows are bad \(more than half\)/);
    expect(no.stderr.split('\n').length).toBeLessThan(20);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('hostile text in a feed reaches the terminal with its control characters revealed', async () => {
    const file = join(dirs.root, 'hostile.csv');
    writeFileSync(
      file,
      `${REAL_CSV}Exchange\u001b]0;owned\u0007 SE RTM\u009b2J,15.2.2562.50\u202e,9/8/2026,KB\u001b[31m1,\n`,
    );
    const r = await owaAudit(['data', 'update', '--dry-run', '--from', file], dirs.fresh('hostile'));
    expect(r.code, r.stderr).toBe(0);
    // eslint-disable-next-line no-control-regex
    const controls = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;
    expect(r.stdout).not.toMatch(controls);
    expect(r.stderr).not.toMatch(controls);
    expect(r.stdout).toContain(
      ':255: "Exchange\\u001b]0;owned\\u0007 SE RTM\\x9b2J": the build number "15.2.2562.50\\u202e" is not a 4-part build',
    );
  });
});
