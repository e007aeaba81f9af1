// Keeping the history bounded: which runs the retention rules keep (pure), the deletion with its
// results and the compaction of the file on a real database, and `owa-audit history prune`
// through the built CLI (dry run, JSON, refusals with exit status 2).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pruneHistory, runsToPrune } from '../src/history/prune.js';
import { recordRunInHistory } from '../src/history/record-run.js';
import { HistoryStore, type StoredRun } from '../src/history/store.js';
import { hostHistory } from '../src/history/host-history.js';
import { endpointKey } from '../src/core/result-schema.js';
import { runCli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp-dirs.js';
import { daysFrom, record, writeRun } from './fixtures/history/runs.js';

const { fresh } = tempDirs('owa-history-prune-');

const T0 = '2026-10-02T09:00:00.000Z';

function stored(id: number, name: string, startedAt: string): StoredRun {
  return {
    id,
    name,
    startedAt,
    finishedAt: null,
    state: 'finished',
    runDir: null,
    authReference: null,
    dataVersion: null,
    dataAsOf: null,
    endpoints: 0,
    exchange: 0,
    vulnerable: 0,
    recordedAt: startedAt,
  };
}

describe('runsToPrune', () => {
  const runs = [
    stored(1, 'weekly', daysFrom(T0, 0)),
    stored(2, 'weekly', daysFrom(T0, 7)),
    stored(3, 'monthly', daysFrom(T0, 8)),
    stored(4, 'weekly', daysFrom(T0, 14)),
    stored(5, 'weekly', daysFrom(T0, 21)),
    stored(6, 'monthly', daysFrom(T0, 38)),
  ];
  const ids = (list: StoredRun[]): number[] => list.map((r) => r.id);

  it('keeps the newest N runs of each scan', () => {
    expect(ids(runsToPrune(runs, { keep: 2 }))).toEqual([1, 2]);
    expect(ids(runsToPrune(runs, { keep: 1 }))).toEqual([1, 2, 3, 4]);
    expect(ids(runsToPrune(runs, { keep: 9 }))).toEqual([]);
  });

  it('keeps runs started on or after a date', () => {
    expect(ids(runsToPrune(runs, { since: daysFrom(T0, 14) }))).toEqual([1, 2, 3]);
  });

  it('keeps a run when any rule keeps it', () => {
    // monthly #3 is old but among the newest 2 of its scan.
    expect(ids(runsToPrune(runs, { keep: 2, since: daysFrom(T0, 14) }))).toEqual([1, 2]);
  });

  it('considers only the runs of --scan', () => {
    expect(ids(runsToPrune(runs, { keep: 1, scan: 'monthly' }))).toEqual([3]);
  });

  it('never deletes a run whose start time does not parse', () => {
    const odd = [...runs, stored(7, 'weekly', 'garbage')];
    expect(ids(runsToPrune(odd, { since: daysFrom(T0, 40) }))).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

/** Four weekly runs of 300 endpoints; the first endpoint is vulnerable from the first run on. */
async function weeklyHistory(): Promise<string> {
  const path = join(fresh('db'), 'history.db');
  for (let w = 0; w < 4; w++) {
    const at = daysFrom(T0, 7 * w);
    const records = Array.from({ length: 300 }, (_, i) =>
      record({
        ip: `192.0.2.${(i % 250) + 1}`,
        port: i < 250 ? 443 : 8443,
        ...(i === 0 ? { kev: ['CVE-2023-21529'] } : {}),
        observedAt: at,
      }),
    );
    await recordRunInHistory(writeRun(fresh('run'), { startedAt: at, records }), { path });
  }
  return path;
}

describe('pruneHistory', () => {
  it('deletes the runs with their results and shrinks the file; history then counts from the oldest run kept', async () => {
    const path = await weeklyHistory();
    const store = HistoryStore.open(path);
    try {
      const dry = pruneHistory(store, { keep: 2 }, { dryRun: true });
      expect(dry.runs.map((r) => r.startedAt)).toEqual([T0, daysFrom(T0, 7)]);
      expect(dry.results).toBe(600);
      expect(store.listRuns()).toHaveLength(4);

      const key = endpointKey(record({ ip: '192.0.2.1' }));
      const last = daysFrom(T0, 21);
      const current = { observedAt: last, status: 'exchange', patchLevel: 'vulnerable' };
      expect(hostHistory(store.observations(key, last, null), current).daysExposed).toBe(21);

      const done = pruneHistory(store, { keep: 2 });
      expect(done.runs).toHaveLength(2);
      expect(done.results).toBe(600);
      expect(done.kept).toBe(2);
      expect(store.listRuns().map((r) => r.startedAt)).toEqual([daysFrom(T0, 14), last]);
      const left = store.db.prepare('SELECT COUNT(*) AS n FROM results').get() as { n: number };
      expect(left.n).toBe(600);
      expect(done.bytesAfter).toBeLessThan(done.bytesBefore);
      expect(hostHistory(store.observations(key, last, null), current).daysExposed).toBe(7);
    } finally {
      store.close();
    }
  });
});

describe('owa-audit history prune', () => {
  it('--dry-run --json reports what would go and deletes nothing; a real prune deletes it', async () => {
    const path = await weeklyHistory();
    const dry = await runCli([
      'history',
      'prune',
      '--history',
      path,
      '--before',
      '2026-10-10',
      '--dry-run',
      '--json',
    ]);
    expect(dry.code, dry.stderr).toBe(0);
    const out = JSON.parse(dry.stdout) as {
      dryRun: boolean;
      runs: StoredRun[];
      results: number;
      kept: number;
    };
    expect(out.dryRun).toBe(true);
    expect(out.runs.map((r) => r.startedAt)).toEqual([T0, daysFrom(T0, 7)]);
    expect(out.kept).toBe(2);

    const list = await runCli(['history', 'list', '--history', path, '--json']);
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(4);

    const real = await runCli(['history', 'prune', '--history', path, '--keep', '3']);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toMatch(/deleted 1 run\(s\) with 300 result\(s\); 3 run\(s\) kept; .* MiB → .* MiB/);
    expect(real.stderr).toMatch(/count from the oldest run kept/);
    const after = await runCli(['history', 'list', '--history', path, '--json']);
    expect((JSON.parse(after.stdout) as unknown[]).length).toBe(3);
  });

  it('refuses missing or bad rules with exit status 2, naming the option', async () => {
    const path = join(fresh('db'), 'never.db');
    const none = await runCli(['history', 'prune', '--history', path]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/history prune: say what to keep/);
    const keep = await runCli(['history', 'prune', '--history', path, '--keep', '0']);
    expect(keep.code).toBe(2);
    expect(keep.stderr).toMatch(/--keep: not a whole number of runs of at least 1: 0/);
    const before = await runCli(['history', 'prune', '--history', path, '--before', 'last tuesday']);
    expect(before.code).toBe(2);
    expect(before.stderr).toMatch(/--before: not a date/);
    // A history that does not exist is not created by pruning it.
    const missing = await runCli(['history', 'prune', '--history', path, '--keep', '1']);
    expect(missing.code).toBe(0);
    expect(missing.stderr).toMatch(/nothing to prune/);
    expect(existsSync(path)).toBe(false);
  });

  it('a history that cannot be read is one line and exit status 1, on every history command', async () => {
    const junk = join(fresh('db'), 'junk.db');
    writeFileSync(junk, 'not a database at all '.repeat(200));
    const run = writeRun(fresh('run'), {
      startedAt: T0,
      records: [record({ ip: '192.0.2.1', observedAt: T0 })],
    });
    for (const args of [
      ['history', 'list', '--history', junk],
      ['history', 'prune', '--history', junk, '--keep', '1'],
      ['history', 'import', run, '--history', junk],
      ['diff', run, '--history', junk],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toBe(`owa-audit: ${junk}: not a usable history database: file is not a database\n`);
    }
  });
});
