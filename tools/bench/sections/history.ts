// The scan history at a CERT's scale: a synthetic run of N endpoints recorded as four weekly runs
// (recording speed, bytes per endpoint per run — what the database grows by), a diff of the last
// two, the report of the last with and without the history (the per-host lines and CSV columns
// cost one indexed query per endpoint), and a prune to the newest run with the size it leaves.
// In this process: SQLite does the work, there is no network and no memory figure to isolate.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diffStoredRuns } from '../../../src/history/diff-runs.js';
import { historyFileBytes, pruneHistory } from '../../../src/history/prune.js';
import { recordRunInHistory } from '../../../src/history/record-run.js';
import { HistoryStore } from '../../../src/history/store.js';
import { writeReports } from '../../../src/outputs/write-reports.js';
import { mb, round, type BenchContext } from '../context.js';
import { MIXED_RUN, syntheticRunsAvailable, writeSyntheticRun } from '../synthetic-run.js';

const RUNS = 4;
const WEEK_MS = 7 * 86_400_000;

export interface HistoryFigures {
  endpoints: number;
  runs: number;
  /** Mean wall time to record one run. */
  recordSeconds: number;
  recordEndpointsPerSec: number;
  dbMb: number;
  /** Database bytes (with WAL) divided by endpoints × runs. */
  bytesPerEndpointRun: number;
  diffSeconds: number;
  /** writeReports html+csv of the last run, without and with the history. */
  reportSeconds: number;
  reportWithHistorySeconds: number;
  pruneSeconds: number;
  dbMbAfterPrune: number;
}

async function timed<T>(f: () => Promise<T> | T): Promise<[T, number]> {
  const t = performance.now();
  const v = await f();
  return [v, (performance.now() - t) / 1000];
}

export async function history(ctx: BenchContext): Promise<HistoryFigures[]> {
  if (!syntheticRunsAvailable()) {
    ctx.note(`history: skipped — the report fixture ${MIXED_RUN} is missing (it ships with a clone)`);
    return [];
  }
  const out: HistoryFigures[] = [];
  for (const n of ctx.options.sizes.historyEndpoints) {
    ctx.log(`history: ${n.toLocaleString('en-GB')} endpoints × ${RUNS} weekly runs (synthetic)`);
    const dir = await ctx.dir(`history-${n}`);
    const runDir = join(dir, 'run');
    const db = join(dir, 'history.db');
    await writeSyntheticRun(runDir, n);
    const runFile = join(runDir, 'run.json');
    const meta = JSON.parse(await readFile(runFile, 'utf8')) as Record<string, unknown>;
    const first = Date.parse(String(meta.startedAt));
    let recordTotal = 0;
    for (let w = 0; w < RUNS; w++) {
      // The same records as another week's run: a run is its scan name plus its start time.
      const startedAt = new Date(first + w * WEEK_MS).toISOString();
      const finishedAt = new Date(first + w * WEEK_MS + 3_600_000).toISOString();
      await writeFile(runFile, `${JSON.stringify({ ...meta, startedAt, finishedAt }, null, 2)}\n`);
      recordTotal += (await timed(() => recordRunInHistory(runDir, { path: db })))[1];
    }
    const dbBytes = historyFileBytes(db);
    const store = HistoryStore.open(db);
    let diffSeconds: number;
    try {
      const runs = store.listRuns();
      const [a, b] = [runs[runs.length - 2], runs[runs.length - 1]];
      if (a === undefined || b === undefined) throw new Error('history: runs missing after recording');
      diffSeconds = (await timed(() => diffStoredRuns(store, a, b)))[1];
    } finally {
      store.close();
    }
    const formats = ['html', 'csv'] as const;
    const [, reportSeconds] = await timed(() =>
      writeReports(runDir, { formats: [...formats], perOwner: false, historyPath: null }),
    );
    const [, reportWithHistorySeconds] = await timed(() =>
      writeReports(runDir, { formats: [...formats], perOwner: false, historyPath: db }),
    );
    const pruneStore = HistoryStore.open(db);
    let pruneSeconds: number;
    try {
      pruneSeconds = (await timed(() => pruneHistory(pruneStore, { keep: 1 })))[1];
    } finally {
      pruneStore.close();
    }
    const f: HistoryFigures = {
      endpoints: n,
      runs: RUNS,
      recordSeconds: round(recordTotal / RUNS),
      recordEndpointsPerSec: round(n / (recordTotal / RUNS)),
      dbMb: mb(dbBytes),
      bytesPerEndpointRun: Math.round(dbBytes / (n * RUNS)),
      diffSeconds: round(diffSeconds),
      reportSeconds: round(reportSeconds),
      reportWithHistorySeconds: round(reportWithHistorySeconds),
      pruneSeconds: round(pruneSeconds),
      dbMbAfterPrune: mb(historyFileBytes(db)),
    };
    // A 100,000-endpoint history is hundreds of MB; the figures are what the section is for.
    await rm(dir, { recursive: true, force: true });
    ctx.log(
      `  record ${f.recordSeconds} s/run (${f.recordEndpointsPerSec} endpoints/s), ${f.bytesPerEndpointRun} bytes per endpoint per run, ` +
        `diff ${f.diffSeconds} s, report ${f.reportSeconds} s → ${f.reportWithHistorySeconds} s with history, prune ${f.pruneSeconds} s (${f.dbMb} → ${f.dbMbAfterPrune} MB)`,
    );
    out.push(f);
  }
  return out;
}
