// The endpoint pool's own cost per task: the engine's (p-limit, src/engine/endpoint-pool.ts)
// against the hand-written pool it replaced (a Promise.race over the set in flight, which
// subscribes to every task in flight on each turn), in the scan's loop shape — pull from a lazy
// source only when a slot is free, run, drain at the end. The tasks do nothing but wait one turn
// of the event loop, so the figure is the pool's; an endpoint's network round trips take
// milliseconds. In this process, alternating the two, the median of several rounds each.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createEndpointPool } from '../../../src/engine/endpoint-pool.js';
import { round, type BenchContext } from '../context.js';

export interface PoolFigures {
  tasks: number;
  concurrency: number;
  rounds: number;
  /** Microseconds per task, median over the rounds. */
  pLimitMicros: number;
  handWrittenMicros: number;
  /** The same loop with no pool at all (tasks awaited one by one): the floor both stand on. */
  baselineMicros: number;
}

const ROUNDS = 5;

// The engine's targets come from an async iterable; this one has nothing to wait for.
// eslint-disable-next-line @typescript-eslint/require-await
async function* source(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i;
}

const task = async (): Promise<void> => {
  await nextTurn();
};

async function withPLimit(n: number, concurrency: number): Promise<void> {
  const pool = createEndpointPool(concurrency);
  for await (const _item of source(n)) {
    await pool.ready();
    pool.run(task);
  }
  await pool.drain();
}

/** The engine's loop before p-limit (src/engine/scan.ts up to this change). */
async function handWritten(n: number, concurrency: number): Promise<void> {
  const inflight = new Set<Promise<void>>();
  for await (const _item of source(n)) {
    while (inflight.size >= concurrency) await Promise.race(inflight);
    const t: Promise<void> = task().finally(() => inflight.delete(t));
    inflight.add(t);
  }
  await Promise.all(inflight);
}

/** One task at a time, no pool: what the loop and the tasks cost by themselves. */
async function baseline(n: number): Promise<void> {
  for await (const _item of source(n)) await task();
}

async function microsPerTask(run: () => Promise<void>, n: number): Promise<number> {
  const t = performance.now();
  await run();
  return ((performance.now() - t) * 1000) / n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

export async function pool(ctx: BenchContext): Promise<PoolFigures> {
  const n = ctx.options.sizes.poolTasks;
  const concurrency = ctx.options.sizes.concurrency;
  ctx.log(
    `pool: ${n.toLocaleString('en-GB')} tasks, ${concurrency} in flight, p-limit against the hand-written pool`,
  );
  const times = { pLimit: [] as number[], hand: [] as number[], base: [] as number[] };
  // A warm-up of each, then alternating rounds so that machine noise falls on both alike.
  await withPLimit(Math.min(n, 10_000), concurrency);
  await handWritten(Math.min(n, 10_000), concurrency);
  for (let r = 0; r < ROUNDS; r++) {
    times.pLimit.push(await microsPerTask(() => withPLimit(n, concurrency), n));
    times.hand.push(await microsPerTask(() => handWritten(n, concurrency), n));
    times.base.push(await microsPerTask(() => baseline(n), n));
  }
  const figures: PoolFigures = {
    tasks: n,
    concurrency,
    rounds: ROUNDS,
    pLimitMicros: round(median(times.pLimit)),
    handWrittenMicros: round(median(times.hand)),
    baselineMicros: round(median(times.base)),
  };
  ctx.log(
    `  per task: p-limit ${figures.pLimitMicros} µs, hand-written ${figures.handWrittenMicros} µs (no pool, one at a time: ${figures.baselineMicros} µs)`,
  );
  return figures;
}
