// A whole update in-process, from local files: what lands in the user data directory, what a
// refusal leaves (nothing), dry runs, successive updates, the as-of date, and `data status`.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classify } from '../src/classify/classify.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import { DataUpdateError, formatProblem } from '../src/data-update/errors.js';
import { dataStatus, formatDataStatus } from '../src/data-update/status.js';
import { formatUpdateSummary } from '../src/data-update/summary.js';
import { runDataUpdate } from '../src/data-update/update.js';
import { InputError } from '../src/core/errors.js';
import {
  BROKEN_KEV,
  KEV_JSON,
  LEARN_HTML,
  NON_MONOTONIC_CSV,
  REAL_CSV,
  SEP26_CSV,
} from './fixtures/data-update/feeds.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const TODAY = '2026-11-27';
const root = mkdtempSync(join(tmpdir(), 'owa-audit-update-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** Writes feed files dated `day` (their snapshot day) and returns their paths. */
function files(feeds: Record<string, string>, day = '2026-09-12'): string[] {
  const dir = join(root, `feeds-${++n}`);
  freshDir(dir);
  return Object.entries(feeds).map(([name, text]) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    const t = new Date(`${day}T10:00:00Z`);
    utimesSync(p, t, t);
    return p;
  });
}

function freshDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

/** Every file of a directory with its content hash: "untouched" means this is equal before and after. */
function snapshot(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir).map((f) => [
      f,
      createHash('sha256')
        .update(readFileSync(join(dir, f)))
        .digest('hex'),
    ]),
  );
}

async function refusal(p: Promise<unknown>): Promise<DataUpdateError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DataUpdateError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('a data update from local files', () => {
  const dir = join(root, 'user');

  it('writes the overlay every command then reads, and records what it did', async () => {
    const from = files({ 'builds.csv': SEP26_CSV, 'learn.html': LEARN_HTML, 'kev.json': KEV_JSON });
    const r = await runDataUpdate({ from, userDataDir: dir, now: NOW });
    expect(r.written).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['builds.json', 'cves.json', 'meta.json', 'update.json']);
    const kb = loadKnowledgeBase({ userDataDir: dir });
    expect(kb.dataVersion).toBe(r.kb.dataVersion);
    expect(kb.asOf).toBe('2026-09-10'); // builds as of 2026-09-12 (file date), KEV catalog released 2026-09-10
    expect(r.summary.snapshots).toEqual({ builds: '2026-09-12', kev: '2026-09-10' });
    expect(classify(kb, '15.2.2562.46', 'exact', { today: TODAY })).toMatchObject({
      patchLevel: 'outdated',
      latest: '15.2.2562.50',
    });
    expect(classify(kb, '15.2.2562.50', 'exact', { today: TODAY })).toMatchObject({
      patchLevel: 'current',
      precision: 'exact',
      release: 'RTM Sep26SU',
    });
    const record = JSON.parse(readFileSync(join(dir, 'update.json'), 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({
      format: 'owa-audit/data-update@1',
      dataVersion: kb.dataVersion,
      shippedDataVersion: loadKnowledgeBase({ userDataDir: null }).dataVersion,
      kevNotMapped: [], // every Exchange CVE of the catalog is in the data
    });
    expect(kb.meta.knownGaps?.join('\n')).toMatch(
      /not yet mapped to CVEs .*SE RTM Sep26SU \(15\.2\.2562\.50\)/,
    );
    expect(kb.meta.knownGaps?.some((g) => g.startsWith('KEV status after'))).toBe(false);
    expect(kb.meta.sources?.find((s) => s.id === 'kev')?.ref).toMatch(
      /^catalog 2026\.09\.10 released 2026-09-10; .*kev\.json/,
    );

    const text = formatUpdateSummary(r.summary);
    expect(text).toMatch(/New builds \(3\):/);
    expect(text).toMatch(/SE +RTM Sep26SU +15\.2\.2562\.50 +2026-09-08 +KB5130001 +\(gebn, mslearn\)/);
    expect(text).toMatch(/CVE-2026-21527 {2}now known exploited \(CISA added it 2026-09-09\)/);
    expect(text).not.toMatch(/In KEV, not mapped to fixing builds/);
    expect(text).toMatch(/3 new security update\(s\) not yet mapped to CVEs/);
    expect(text).toMatch(
      new RegExp(`Knowledge base ${kb.dataVersion.replace('+', '\\+')} \\(as of 2026-09-10`),
    );
  });

  it('skips a bad row with its file, line and reason, and uses the rest of the feeds', async () => {
    const r = await runDataUpdate({
      from: files({ 'b.csv': NON_MONOTONIC_CSV, 'kev.json': KEV_JSON }),
      userDataDir: join(root, 'skip'),
      now: NOW,
    });
    expect(r.written).toBe(true);
    expect(r.summary.skipped).toEqual({
      total: 1,
      listed: [
        {
          source: expect.stringMatching(/b\.csv$/) as string,
          line: 255,
          entry: '"Exchange SE RTM Oct26SU"',
          fault: 'conflict',
          message:
            'RTM Oct26SU 15.2.2562.44 (2026-10-13) and RTM Jul26SU 15.2.2562.45 (2026-07-14): a later update of a line must have a higher revision',
        },
      ],
    });
    expect(r.summary.sources[0]).toMatchObject({
      id: 'gebn',
      rows: 254,
      skipped: 1,
      faults: { conflict: 1 },
    });
    expect(r.kb.index.byBuild.has('15.2.2562.44')).toBe(false);
    expect(r.kb.cves.find((c) => c.id === 'CVE-2026-21527')?.kev).toBe(true);
    expect(formatUpdateSummary(r.summary)).toMatch(
      /gebn +.*b\.csv {2}\(254 rows; 1 skipped: 1 conflict, \d+ KB\)\n(.*\n)*\nSkipped as bad, the rest used \(1\):\n {2}.*b\.csv:255: "Exchange SE RTM Oct26SU": RTM Oct26SU 15\.2\.2562\.44/,
    );
  });

  it.each([
    [
      'an old row (a build the data has)',
      'Exchange 2019 CU15 Aug26SU,15.2.1748.49,8/11/20260,,',
      '2026-09-12',
      null,
    ],
    [
      'the row of a new update',
      'Exchange SE RTM Oct26SU,15.2.2562.55,10/13/20260,KB5140001,',
      '2026-08-20',
      'line 257 was skipped and names a build the data does not have ("15.2.2562.55")',
    ],
    [
      'a row without a readable build',
      '"Exchange SE RTM Oct26SU,15.2.2562.55',
      '2026-08-20',
      'line 257 was skipped and names no readable build',
    ],
  ])(
    'a slip on %s: the list makes the builds current only when what it skipped is known',
    async (_what, row, builds, why) => {
      const r = await runDataUpdate({
        from: files({ 'b.csv': `${SEP26_CSV}${row}\n` }),
        userDataDir: join(root, `slip-${++n}`),
        now: NOW,
      });
      expect(r.summary.skipped.total).toBe(1);
      expect(r.summary.added.map((b) => b.build)).toEqual(['15.2.1748.52', '15.2.2562.50']);
      expect(r.summary.snapshots.builds).toBe(builds);
      expect(r.summary.sources[0]?.notCurrent).toBe(why);
      if (why !== null)
        expect(formatUpdateSummary(r.summary)).toContain(
          `not taken as current: ${why}; the builds' as-of date stays`,
        );
    },
  );

  it("CISA's catalog: a malformed Exchange entry is skipped with a warning, extra and missing optional fields are fine", async () => {
    const catalog = JSON.parse(KEV_JSON) as {
      vulnerabilities: Record<string, unknown>[];
      [k: string]: unknown;
    };
    const entries = catalog.vulnerabilities.map((v) => {
      if (v.cveID === 'CVE-2026-21527') return { ...v, dateAdded: '09/09/2026' }; // not ISO: skipped
      const { vulnerabilityName: _n, shortDescription: _d, notes: _o, ...rest } = v;
      return { ...rest, cisaExploitAdd: '2026-09-10', newField: [1, 2] };
    });
    const r = await runDataUpdate({
      from: files({
        'kev.json': JSON.stringify({ ...catalog, title: undefined, count: 'many', vulnerabilities: entries }),
      }),
      userDataDir: join(root, 'kev-variants'),
      now: NOW,
    });
    expect(r.summary.skipped.listed).toEqual([
      expect.objectContaining({
        line: null,
        entry: expect.stringMatching(/^vulnerabilities\[\d+\] CVE-2026-21527$/) as string,
        fault: 'entry',
        message: 'dateAdded is not a date: "09/09/2026"',
      }),
    ]);
    expect(r.summary.sources[0]).toMatchObject({ id: 'kev', skipped: 1, faults: { entry: 1 } });
    // The other nine Exchange entries are used, without name, description or notes.
    expect(r.summary.sources[0]?.exchangeEntries).toBe(9);
    expect(r.summary.kevChanges.map((k) => k.cve)).not.toContain('CVE-2026-21527');
    expect(r.kb.cves.find((c) => c.id === 'CVE-2026-21527')?.kev).toBe(false);
  });

  it('refuses a source that is not the feed, whole, and leaves the data untouched', async () => {
    const before = snapshot(dir);
    const lines = REAL_CSV.split('\n');
    const cases: [Record<string, string>, RegExp][] = [
      [{ 'kev.json': BROKEN_KEV }, /kev\.json: not valid JSON .*truncated or damaged download/],
      [
        { 'short.csv': `${lines.slice(0, 41).join('\n')}\n`, 'kev.json': KEV_JSON },
        /short\.csv: 40 row\(s\), where the shipped data has \d+ builds from Microsoft's CSV \(at least \d+ rows expected\): a truncated or partial file/,
      ],
      [
        { 'years.csv': REAL_CSV.replace(/\/(\d{4}),/g, '/$10,') },
        /years\.csv: 244 of 253 rows are bad \(more than half\): a damaged file, or not the build list\? The first of them:/,
      ],
      [
        {
          'kev.json': KEV_JSON.replace(
            /"vendorProject": "Microsoft",\s*"product": "Exchange Server"/g,
            '"vendorProject": "Microsoft", "product": "Windows"',
          ),
        },
        /kev\.json: lists none of the \d+ Microsoft Exchange CVEs known to be exploited \(CVE-.*\): not CISA's whole catalog\?/,
      ],
    ];
    for (const [feeds, message] of cases) {
      const e = await refusal(runDataUpdate({ from: files(feeds), userDataDir: dir, now: NOW }));
      expect(e.exitCode).toBe(2);
      expect(formatProblem(e.problems[0] ?? { source: null, message: '' })).toMatch(message);
    }
    expect(snapshot(dir)).toEqual(before);
  });

  it('a KEV-only update keeps the builds of the previous one, and the as-of date follows the least recent part', async () => {
    const kevLater = KEV_JSON.replace(
      '"dateReleased": "2026-09-10T17:02:11.5213Z"',
      '"dateReleased": "2026-10-01T17:00:00.000Z"',
    );
    const r = await runDataUpdate({
      from: files({ 'kev.json': kevLater }, '2026-10-01'),
      userDataDir: dir,
      now: NOW,
    });
    expect(r.summary.added).toEqual([]);
    expect(r.summary.snapshots).toEqual({ builds: '2026-09-12', kev: '2026-10-01' });
    expect(r.kb.asOf).toBe('2026-09-12');
    expect(r.kb.index.byBuild.get('15.2.2562.50')?.name).toBe('RTM Sep26SU');
    expect(r.kb.cves.find((c) => c.id === 'CVE-2026-21527')).toMatchObject({
      kev: true,
      kevAdded: '2026-09-09',
    });
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]); // no lock, no staging left
  });

  it('a dry run checks and summarises but writes nothing, not even the directory', async () => {
    const fresh = join(root, 'never');
    const r = await runDataUpdate({
      from: files({ 'b.csv': SEP26_CSV }),
      userDataDir: fresh,
      now: NOW,
      dryRun: true,
    });
    expect(r.written).toBe(false);
    expect(r.summary.added.map((b) => b.build)).toEqual(['15.2.1748.52', '15.2.2562.50']);
    expect(existsSync(fresh)).toBe(false);
    expect(formatUpdateSummary(r.summary)).toMatch(/Nothing was written to/);
  });

  it('a new CU line is fixed, from its first build, for every CVE fixed before it: no false "older line" findings', async () => {
    const cu1 = `${REAL_CSV}Exchange SE CU1,15.2.2600.10,10/13/2026,KB5140010,\nExchange SE CU1 Nov26SU,15.2.2600.14,11/10/2026,KB5150001,\n`;
    const r = await runDataUpdate({
      from: files({ 'cu1.csv': cu1 }),
      userDataDir: join(root, 'cu1'),
      now: NOW,
    });
    const seCves = r.kb.cves.filter((c) => c.affects.includes('Exchange Server SE'));
    expect(r.summary.derivedRules).toHaveLength(seCves.length);
    expect(formatUpdateSummary(r.summary)).toMatch(
      /New CU line\(s\) SE CU1: fixed from the first build for \d+ CVE\(s\)/,
    );
    expect(classify(r.kb, '15.2.2600.14', 'exact', { today: TODAY })).toMatchObject({
      patchLevel: 'current',
      cves: [],
      release: 'CU1 Nov26SU',
    });
    expect(classify(r.kb, '15.2.2600.10', 'exact', { today: TODAY })).toMatchObject({
      patchLevel: 'outdated',
      cves: [],
    });
    // SE RTM did not get the November update: its line is no longer serviced.
    expect(classify(r.kb, '15.2.2562.46', 'exact', { today: TODAY }).patchLevel).toBe('outdated');
  });

  it('refuses two sources of one kind, and a source of no known kind', async () => {
    const e = await refusal(
      runDataUpdate({
        from: files({ 'a.csv': SEP26_CSV, 'b.csv': SEP26_CSV, 'c.txt': 'hello\n' }),
        userDataDir: join(root, 'x'),
        now: NOW,
      }),
    );
    const messages = e.problems.map(formatProblem);
    expect(messages).toContainEqual(
      expect.stringMatching(/b\.csv: a second Microsoft's ExchangeBuildNumbers\.csv .*give one of each/),
    );
    expect(messages).toContainEqual(expect.stringMatching(/c\.txt: cannot tell what this is/));
  });

  it('names the file of a damaged user overlay instead of overwriting it', async () => {
    const damaged = join(root, 'damaged');
    freshDir(damaged);
    writeFileSync(join(damaged, 'builds.json'), '{"builds": [{"build": "x"}]}');
    await expect(
      runDataUpdate({ from: files({ 'kev.json': KEV_JSON }), userDataDir: damaged, now: NOW }),
    ).rejects.toThrow(InputError);
    expect(readFileSync(join(damaged, 'builds.json'), 'utf8')).toBe('{"builds": [{"build": "x"}]}');
  });
});

describe('data status', () => {
  it('shows both as-of dates, counts, what the user data adds, and the gaps', async () => {
    const dir = join(root, 'status');
    await runDataUpdate({
      from: files({ 'b.csv': SEP26_CSV, 'kev.json': KEV_JSON }),
      userDataDir: dir,
      now: NOW,
    });
    const s = await dataStatus({ userDataDir: dir, env: { OWA_AUDIT_DATA_DIR: dir }, today: TODAY });
    expect(s).toMatchObject({
      asOf: '2026-09-10',
      shipped: { asOf: '2026-08-20' },
      user: { dir, chosenBy: 'OWA_AUDIT_DATA_DIR', files: ['meta.json', 'builds.json', 'cves.json'] },
      adds: { kev: [{ cve: 'CVE-2026-21527', kevAdded: '2026-09-09' }], changedBuilds: [], cves: [] },
      warnings: [],
    });
    expect(s.adds.builds.map((b) => b.build)).toEqual(['15.2.1748.52', '15.2.2562.50']);
    expect(s.products.find((p) => p.product === 'Exchange Server SE')).toMatchObject({
      added: 1,
      newest: { build: '15.2.2562.50', name: 'RTM Sep26SU' },
    });
    expect(s.kev).toBe(loadKnowledgeBase({ userDataDir: null }).cves.filter((c) => c.kev).length + 1);
    const text = formatDataStatus(s);
    expect(text).toMatch(/^Knowledge base 2026-09-10\+[0-9a-f]{8}, as of 2026-09-10 \(78 day\(s\) old\)\./);
    expect(text).toMatch(/Shipped data: .*\(as of 2026-08-20, 2026-08-20\+[0-9a-f]{8}\)/);
    expect(text).toMatch(/Exchange Server SE +11 \(\+1\) +newest RTM Sep26SU 15\.2\.2562\.50 \(2026-09-08\)/);
    expect(text).toMatch(
      /The user data adds:\n {2}build 2019 CU15 Sep26SU 15\.2\.1748\.52 \(2026-09-08\)\n {2}build SE RTM Sep26SU/,
    );
    expect(text).toMatch(/KEV CVE-2026-21527 \(added 2026-09-09\)/);
    expect(text).not.toMatch(/In CISA's KEV catalog, not mapped to fixing builds/);

    // Without user data, and once the data has aged, it says so.
    const none = await dataStatus({ userDataDir: join(root, 'none'), env: {}, today: '2027-01-30' });
    expect(none.user).toMatchObject({ files: [], chosenBy: 'default' });
    expect(formatDataStatus(none)).toMatch(/User data: {4}none in .*`owa-audit data update` writes it there/);
    expect(none.warnings.join(' ')).toMatch(/163 days old/);

    // A tool upgrade that changes the shipped data is noticed.
    const recordFile = join(dir, 'update.json');
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(recordFile, JSON.stringify({ ...record, shippedDataVersion: '2026-08-20+00000000' }));
    const upgraded = await dataStatus({ userDataDir: dir, env: {}, today: TODAY });
    expect(upgraded.warnings[0]).toMatch(
      /shipped data changed since the last data update .*run `owa-audit data update`/,
    );
  });
});
