// The life of a run directory around one engine run, in the only safe order:
// lock → (create | cut torn tail + load done keys) → append records → fsync → run.json → unlock.
// `owa-audit scan` and `scan --resume` are thin wrappers over beginRun/resumeRun + runEngine + endRun.
import type { ResultRecord } from '../core/result-schema.js';
import { join } from 'node:path';
import { prepareResume } from './resume.js';
import { recordHandOff } from './hand-off.js';
import { openResultsSink, type ResultsSink, type ResultsSinkOptions } from './results-sink.js';
import { createRun, markEnded, markResumed, RESULTS_FILE, type NewRun } from './run-dir.js';
import { type RunMeta } from './run-meta.js';
import { lockRun, type RunLock } from './run-lock.js';
import { addToTally, copyTally, emptyTally, type Tally } from './tally.js';

export interface OpenRun {
  readonly dir: string;
  readonly meta: RunMeta;
  /** Resume only: endpoints already recorded. Pass to runEngine's `skip`. */
  readonly skip: ((key: string) => boolean) | undefined;
  /** Counts over every record of the run so far, this session's included. */
  tally(): Tally;
  /**
   * Hand one record to results.jsonl and count it. Use as (part of) runEngine's onRecord. Resolves
   * once the record is handed over, not written (hand-off.ts: a bounded number wait for the disk);
   * endRun writes them all. Rejects once a write failed.
   */
  write(record: ResultRecord): Promise<void>;
}

interface OpenRunState extends OpenRun {
  sink: ResultsSink;
  lock: RunLock;
  live: Tally;
  /** Requests of earlier sessions (resume after kill -9: run.json may lag the records). */
  earlierRequests: number;
}

function openRun(
  dir: string,
  meta: RunMeta,
  sink: ResultsSink,
  lock: RunLock,
  seed: Tally,
  skip?: (key: string) => boolean,
): OpenRunState {
  const live = copyTally(seed);
  const records = recordHandOff(sink);
  return {
    dir,
    meta,
    skip,
    sink,
    lock,
    live,
    earlierRequests: seed.requests,
    tally: () => copyTally(live),
    async write(record) {
      await records.handOff(record);
      // A failed write fails endRun, so run.json never counts a record missing from the file.
      addToTally(live, record);
    },
  };
}

/** Release the lock if opening fails half-way. */
async function releasingOnError<T>(lock: RunLock, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    await lock.release().catch(() => undefined);
    throw err;
  }
}

/** A new run in `dir` (refused if `dir` already holds one). */
export async function beginRun(
  dir: string,
  init: NewRun,
  sinkOptions?: ResultsSinkOptions,
): Promise<OpenRun> {
  const meta = await createRun(dir, init);
  const lock = await lockRun(dir);
  return releasingOnError(lock, async () => {
    const sink = await openResultsSink(join(dir, RESULTS_FILE), sinkOptions);
    return openRun(dir, meta, sink, lock, emptyTally());
  });
}

/** Continue the run in `dir`: torn tail cut, finished endpoints skipped, counts carried over. */
export async function resumeRun(dir: string, sinkOptions?: ResultsSinkOptions): Promise<OpenRun> {
  const lock = await lockRun(dir);
  return releasingOnError(lock, async () => {
    const plan = await prepareResume(dir);
    const meta = await markResumed(dir, plan.meta);
    const sink = await openResultsSink(join(dir, RESULTS_FILE), sinkOptions);
    return openRun(dir, meta, sink, lock, plan.tally, plan.skip);
  });
}

/**
 * Flush results.jsonl, write the final run.json (finished, or stopped when the engine was
 * aborted) and release the lock. `requestsThisSession` is EngineSummary.requests.
 */
export async function endRun(
  run: OpenRun,
  outcome: { aborted: boolean; requestsThisSession: number },
): Promise<RunMeta> {
  const state = run as OpenRunState;
  try {
    await state.sink.close();
    const tally = state.live;
    return await markEnded(state.dir, state.meta, {
      state: outcome.aborted ? 'stopped' : 'finished',
      counts: tally.byStatus,
      requests: state.earlierRequests + outcome.requestsThisSession,
    });
  } finally {
    await state.lock.release().catch(() => undefined);
  }
}
