// The endpoint pool (p-limit underneath): never more than `concurrency` tasks in flight, a slot is
// offered only once one is free (so the scan pulls its next target no earlier), and drain waits for
// every task. Tasks are settled by hand: no timers, no clock.
import { describe, expect, it } from 'vitest';
import { createEndpointPool } from '../src/engine/endpoint-pool.js';

/** A task whose end the test decides. */
function gate(): { task: () => Promise<void>; open: () => void; started: () => boolean } {
  let open = (): void => undefined;
  let started = false;
  const done = new Promise<void>((resolve) => (open = resolve));
  return {
    task: async () => {
      started = true;
      await done;
    },
    open: () => open(),
    started: () => started,
  };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('the endpoint pool', () => {
  it('offers a slot only while fewer than `concurrency` tasks are in flight', async () => {
    const pool = createEndpointPool(2);
    const a = gate();
    const b = gate();
    await pool.ready();
    pool.run(a.task);
    await pool.ready();
    pool.run(b.task);
    let offered = false;
    const next = pool.ready().then(() => (offered = true));
    await turn();
    expect([a.started(), b.started(), offered]).toEqual([true, true, false]);
    b.open();
    await next;
    expect(offered).toBe(true);
    a.open();
    await pool.drain();
  });

  it('never runs more than `concurrency` at once, whatever the order of completion', async () => {
    const pool = createEndpointPool(3);
    let running = 0;
    let most = 0;
    let done = 0;
    for (let i = 0; i < 40; i++) {
      await pool.ready();
      pool.run(async () => {
        running++;
        most = Math.max(most, running);
        // Tasks end after 0 to 4 turns of the event loop: out of order.
        for (let t = 0; t < (i * 7) % 5; t++) await turn();
        running--;
        done++;
      });
    }
    await pool.drain();
    expect(most).toBe(3);
    expect([running, done]).toEqual([0, 40]);
  });

  it('drain waits for every task started', async () => {
    const pool = createEndpointPool(4);
    const g = gate();
    let finished = false;
    pool.run(async () => {
      await g.task();
      finished = true;
    });
    const drained = pool.drain();
    await turn();
    expect(finished).toBe(false);
    g.open();
    await drained;
    expect(finished).toBe(true);
  });

  it('pulls from a lazy source only as slots free: a huge range is never queued', async () => {
    const pool = createEndpointPool(4);
    let pulled = 0;
    let settled = 0;
    let most = 0;
    function* targets(): Generator<number> {
      for (let i = 0; i < 100_000; i++) {
        pulled++;
        yield i;
      }
    }
    const gates: ReturnType<typeof gate>[] = [];
    for (const _target of targets()) {
      await pool.ready();
      most = Math.max(most, pulled - settled);
      const g = gate();
      gates.push(g);
      pool.run(async () => {
        await g.task();
        settled++;
      });
      if (pulled === 1_000) break;
      // Tasks end in the order they started, one each time the pool is full.
      if (pool.inFlight === 4) gates[settled]?.open();
    }
    for (const g of gates) g.open();
    await pool.drain();
    expect(most).toBeLessThanOrEqual(4);
    expect([pulled, settled, pool.inFlight]).toEqual([1_000, 1_000, 0]);
  });

  it('wakes a slot waiter and a drain waiter alike when tasks settle, and drains at once when idle', async () => {
    const pool = createEndpointPool(1);
    await pool.drain();
    const g = gate();
    pool.run(g.task);
    const woken: string[] = [];
    const slot = pool.ready().then(() => woken.push('slot'));
    const drained = pool.drain().then(() => woken.push('drain'));
    await turn();
    expect(woken).toEqual([]);
    g.open();
    await Promise.all([slot, drained]);
    expect(woken.sort()).toEqual(['drain', 'slot']);
    expect(pool.inFlight).toBe(0);
  });
});
