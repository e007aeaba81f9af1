// `merge` over small hand-made shard runs: the merged run holds every record once and reads like
// a scan (run.json, reports, history, diff); runs that do not fit together are refused with a
// message naming the runs and what differs, and nothing is left behind.
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.js';
import { loadRun } from '../src/run-store/run-dir.js';
import { type RunMeta } from '../src/run-store/run-meta.js';
import { HistoryStore, diffRunDirs, totalChanges } from '../src/history/index.js';
import { mergeRuns, type MergeRunsOptions } from '../src/merge/index.js';
import { endpointKey, type ResultRecord } from '../src/core/result-schema.js';
import { recordIdentity, shardOf } from '../src/shard/index.js';
import { record } from './fixtures/history/runs.js';

const N = 4;
const SOURCE = 'name: weekly\n# the scan file text\n';

// 40 addresses and 6 names (two endpoints each); owners on some.
const RECORDS: ResultRecord[] = [
  ...Array.from({ length: 40 }, (_, i) =>
    record({
      ip: `127.58.20.${i + 1}`,
      ...(i % 5 === 0 ? { error: 'connection-refused' as const } : {}),
      ...(i % 7 === 0 ? { kev: ['CVE-2021-26855'] } : {}),
      ...(i % 3 === 0 ? { owner: { name: 'Northwind', contact: 'soc@northwind.example' } } : {}),
    }),
  ),
  ...Array.from({ length: 6 }, (_, i) => [
    record({ ip: `127.58.21.${i + 1}`, host: `mail${i}.shard.test` }),
    record({ ip: `127.58.21.${i + 1}`, host: `mail${i}.shard.test`, port: 80, scheme: 'http' }),
  ]).flat(),
];

function shardOfRecord(r: ResultRecord): number {
  return shardOf(recordIdentity(r) ?? '', N);
}

function metaFor(index: number | null, records: readonly ResultRecord[], startedAt: string): RunMeta {
  const counts = { exchange: 0, 'exchange-online': 0, 'not-exchange': 0, unreachable: 0, error: 0 };
  for (const r of records) counts[r.status]++;
  return {
    schema: 'owa-audit/run@1',
    name: 'weekly',
    scanFile: { path: '/cert/scans/weekly.yaml', source: SOURCE },
    authorisation: {
      by: 'Example CERT',
      reference: 'CERT-2026-7',
      contact: 'scan@cert.example',
      validUntil: '2099-12-31',
    },
    settings: {
      rate: 5,
      concurrency: 8,
      hostGapMs: 500,
      timeoutMs: 3000,
      mode: 'standard',
      resolvers: [],
      ports: [{ port: 443, scheme: 'https' }],
      maxRequestsPerEndpoint: 5,
    },
    overrides: {},
    tool: { name: 'owa-audit', version: '0.1.0' },
    data: { version: '2026-08-20+test', asOf: '2026-08-20' },
    startedAt,
    finishedAt: new Date(Date.parse(startedAt) + 60_000).toISOString(),
    state: 'finished',
    counts,
    requests: records.reduce((s, r) => s + r.requests, 0),
    resumedAt: [],
    shard: index === null ? null : { index, count: N },
  };
}

async function writeRunDir(dir: string, meta: RunMeta, records: readonly ResultRecord[]): Promise<string> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'run.json'), `${JSON.stringify(meta, null, 2)}\n`);
  await writeFile(join(dir, 'results.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return dir;
}

let base = '';
let counter = 0;

/** N shard runs of RECORDS; `tweak` may change a shard's meta or records. */
async function shardRuns(
  tweak: (index: number, meta: RunMeta, records: ResultRecord[]) => void = () => undefined,
): Promise<string[]> {
  const set = join(base, `set-${++counter}`);
  const dirs: string[] = [];
  for (let k = 1; k <= N; k++) {
    const records = RECORDS.filter((r) => shardOfRecord(r) === k);
    const meta = metaFor(k, records, `2026-11-27T01:0${k}:00.000Z`);
    tweak(k, meta, records);
    dirs.push(await writeRunDir(join(set, `weekly-shard${k}of${N}`), meta, records));
  }
  return dirs;
}

const NO_REPORTS: Pick<MergeRunsOptions, 'reports'> = { reports: false };

async function refusal(opts: MergeRunsOptions): Promise<InputError> {
  try {
    await mergeRuns(opts);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('merge was expected to refuse');
}

async function readRecords(dir: string): Promise<ResultRecord[]> {
  const text = await readFile(join(dir, 'results.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ResultRecord);
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'owa-merge-'));
  await mkdir(join(base, 'empty'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('merging the shard runs of one scan', () => {
  it('the fixture spreads over every shard', () => {
    for (let k = 1; k <= N; k++)
      expect(
        RECORDS.some((r) => shardOfRecord(r) === k),
        `shard ${k}`,
      ).toBe(true);
  });

  it('holds every record once, with run metadata summed over the shards', async () => {
    const dirs = await shardRuns((k, meta) => {
      if (k === 3) meta.resumedAt = ['2026-11-27T01:30:00.000Z'];
    });
    const out = join(base, 'merged-ok');
    const result = await mergeRuns({
      runDirs: [...dirs].reverse(),
      outDir: out,
      ...NO_REPORTS,
      now: new Date('2026-11-27T02:00:00.000Z'),
    });
    const merged = await readRecords(out);
    expect(merged.map(endpointKey).sort()).toEqual(RECORDS.map(endpointKey).sort());
    expect(result.records).toBe(RECORDS.length);

    const meta = await loadRun(out);
    expect(meta.state).toBe('finished');
    expect(meta.shard).toBeNull();
    expect(meta.startedAt).toBe('2026-11-27T01:01:00.000Z');
    expect(meta.finishedAt).toBe('2026-11-27T01:05:00.000Z');
    expect(meta.requests).toBe(RECORDS.length * 3);
    expect(meta.counts.unreachable).toBe(8);
    expect(meta.counts.exchange).toBe(RECORDS.length - 8);
    expect(meta.settings.rate).toBe(5 * N);
    expect(meta.settings.hostGapMs).toBe(500);
    expect(meta.resumedAt).toEqual(['2026-11-27T01:30:00.000Z']);
    expect(meta.merged?.shardCount).toBe(N);
    expect(meta.merged?.missing).toEqual([]);
    expect(meta.merged?.shards.map((s) => s.index)).toEqual([1, 2, 3, 4]);
    expect(meta.merged?.shards.map((s) => s.dir)).toEqual(dirs);
    expect(meta.merged?.shards.reduce((s, x) => s + x.records, 0)).toBe(RECORDS.length);
    // Shard order in the file: shard 1's records first.
    expect(shardOfRecord(merged[0] as ResultRecord)).toBe(1);
    expect((await readdir(out)).sort()).toEqual(['results.jsonl', 'run.json']);
  });

  it('writes the reports, records the run in the history, and diffs like any run', async () => {
    const dirs = await shardRuns();
    const out = join(base, 'merged-reports');
    const history = join(base, 'history.db');
    const result = await mergeRuns({
      runDirs: dirs,
      outDir: out,
      historyPath: history,
      reports: { formats: ['html', 'csv', 'intelmq'] },
      now: new Date('2026-11-27T12:00:00Z'),
    });
    expect(result.recorded).toBe(true);
    expect(result.reports?.html).toBe(join(out, 'report.html'));
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('127.58.20.8'); // a vulnerable host (i = 7) is listed
    const csv = (await readFile(join(out, 'results.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(RECORDS.length + 1);
    // Owners in the records → per-owner reports, as a scan with owners writes them.
    expect(result.reports?.owners.map((o) => o.owner)).toEqual(['Northwind']);

    const store = HistoryStore.open(history);
    try {
      const run = store.findRun('weekly', '2026-11-27T01:01:00.000Z');
      expect(run?.endpoints).toBe(RECORDS.length);
      expect(run?.state).toBe('finished');
    } finally {
      store.close();
    }

    const whole = await writeRunDir(
      join(base, 'whole'),
      metaFor(null, RECORDS, '2026-11-20T01:00:00.000Z'),
      RECORDS,
    );
    const diff = await diffRunDirs(whole, out);
    expect(totalChanges(diff)).toBe(0);
  });

  it('with --partial, merges what is there into a stopped run that the history does not take', async () => {
    const dirs = await shardRuns((k, meta) => {
      if (k === 2) {
        meta.state = 'stopped';
        meta.finishedAt = null;
      }
    });
    const out = join(base, 'merged-partial');
    const result = await mergeRuns({
      runDirs: [dirs[0], dirs[1], dirs[3]] as string[],
      outDir: out,
      partial: true,
      historyPath: join(base, 'h2.db'),
      ...NO_REPORTS,
    });
    expect(result.meta.state).toBe('stopped');
    expect(result.meta.finishedAt).toBeNull();
    expect(result.meta.merged?.missing).toEqual([3]);
    expect(result.recorded).toBe(false);
    expect(result.warnings.join('\n')).toMatch(/shard 3 \(of 4\) missing/);
    expect(result.warnings.join('\n')).toMatch(/shard 2\/4\) did not finish \(state: stopped\)/);
    expect(result.warnings.join('\n')).toMatch(/not recorded in the scan history/);
    expect(result.records).toBe(RECORDS.filter((r) => shardOfRecord(r) !== 3).length);
  });

  it('accepts a single shard 1/1', async () => {
    const dir = await writeRunDir(
      join(base, 'single'),
      { ...metaFor(1, RECORDS, '2026-11-27T01:00:00.000Z'), shard: { index: 1, count: 1 } },
      RECORDS,
    );
    const result = await mergeRuns({ runDirs: [dir], outDir: join(base, 'merged-single'), ...NO_REPORTS });
    expect(result.meta.state).toBe('finished');
    expect(result.records).toBe(RECORDS.length);
  });
});

describe('runs that do not fit together are refused, naming the runs and the difference', () => {
  const cases: { name: string; make: () => Promise<string[]>; partial?: boolean; message: RegExp }[] = [
    {
      name: 'a different scan file',
      make: () =>
        shardRuns(
          (k, meta) =>
            k === 3 && (meta.scanFile = { ...meta.scanFile, source: `${SOURCE}ports: [443, 8443]\n` }),
        ),
      message:
        /different scan files cannot be merged \(the scan files differ in content\): .*weekly-shard1of4 .*sha256 [0-9a-f]{16}\) and .*weekly-shard3of4 /,
    },
    {
      name: 'a different scan name',
      make: () => shardRuns((k, meta) => k === 2 && (meta.name = 'monthly')),
      message:
        /different scan files cannot be merged \(the scan names differ\): .*scan "weekly".* and .*scan "monthly"/,
    },
    {
      name: 'a different data version',
      make: () =>
        shardRuns((k, meta) => k === 4 && (meta.data = { version: '2026-11-01+abc', asOf: '2026-11-01' })),
      message:
        /different data versions cannot be merged: .*shard1of4 has data 2026-08-20\+test as of 2026-08-20, .*shard4of4 has 2026-11-01\+abc .*owa-audit reclassify/,
    },
    {
      name: 'a shard given twice (overlapping shards)',
      make: async () => {
        const dirs = await shardRuns();
        const copy = join(base, `copy-${++counter}`);
        await cp(dirs[1] as string, copy, { recursive: true });
        return [...dirs, copy];
      },
      message: /shard 2\/4 is given twice, as .*shard2of4 and .*copy-\d+: the runs overlap/,
    },
    {
      name: 'a record in the wrong shard (overlap)',
      make: () =>
        shardRuns((k, _meta, records) => {
          if (k === 1) records.push(RECORDS.find((r) => shardOfRecord(r) === 2) as ResultRecord);
        }),
      message: /shard1of4\/results\.jsonl: https:\/\/127\.58\.\S+ belongs to shard 2\/4, not to shard 1\/4/,
    },
    {
      name: 'an endpoint recorded twice',
      make: () =>
        shardRuns((k, _meta, records) => {
          if (k === 3) records.push(records[0] as ResultRecord);
        }),
      message: /endpoint \S+ has two records \(twice in .*shard3of4\): the shard runs overlap/,
    },
    {
      name: 'a missing shard without --partial',
      make: async () => (await shardRuns()).filter((_, i) => i !== 2),
      message: /^command line: run-dir: shard 3 \(of 4\) missing: give all 4 shard runs, or pass --partial/,
    },
    {
      name: 'an unfinished shard without --partial',
      make: () => shardRuns((k, meta) => k === 4 && (meta.state = 'stopped')),
      message:
        /shard4of4 \(shard 4\/4\) did not finish \(state: stopped\); finish it with `owa-audit scan --resume .*shard4of4`, or pass --partial/,
    },
    {
      name: 'a run that is not a shard',
      make: () => shardRuns((k, meta) => k === 1 && (meta.shard = null)),
      message: /shard1of4 is not a shard run/,
    },
    {
      name: 'shards of different splits',
      make: () => shardRuns((k, meta) => k === 2 && (meta.shard = { index: 2, count: 3 })),
      message: /shard1of4 is shard 1\/4 but .*shard2of4 is shard 2\/3: shards of different splits/,
    },
    {
      name: 'a directory that is not a run',
      make: async () => [...(await shardRuns()), join(base, 'empty')],
      message: /empty\/run\.json: .*not a run directory/,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const dirs = await c.make();
      const out = join(base, `refused-${++counter}`);
      const e = await refusal({
        runDirs: dirs,
        outDir: out,
        ...NO_REPORTS,
        ...(c.partial === true ? { partial: true } : {}),
      });
      expect(e.exitCode).toBe(2);
      expect(e.format()).toMatch(c.message);
      expect(await stat(out).catch(() => null), 'a refused merge leaves no output directory').toBeNull();
    });
  }

  it('an output directory that holds a run, or is one of the inputs', async () => {
    const dirs = await shardRuns();
    expect((await refusal({ runDirs: dirs, outDir: dirs[0] as string, ...NO_REPORTS })).format()).toMatch(
      /--out: .* is one of the runs to merge/,
    );
    const taken = await writeRunDir(
      join(base, 'taken'),
      metaFor(null, RECORDS, '2026-11-20T01:00:00.000Z'),
      RECORDS,
    );
    expect((await refusal({ runDirs: dirs, outDir: taken, ...NO_REPORTS })).format()).toMatch(
      /--out: .*taken already holds a run/,
    );
  });
});
