// The endpoint pool: at most `concurrency` endpoints in flight, capped by p-limit, and a new target
// pulled from the lazy source only once a slot is free (`ready`), so a /8 being expanded is never
// queued in memory.
//
// Waiting costs one promise per wait, whatever the concurrency: the pool counts its tasks and wakes
// whoever waits (for a slot, or for the drain) when one settles. Nothing subscribes to the tasks in
// flight — a Promise.race over them put a reaction on every one of them per pull (17 kB of
// promise reactions per endpoint at 128 in flight), and even a Set of them with a `finally` each
// is one promise and two Set operations per endpoint for nothing.
import pLimit from 'p-limit';

export interface EndpointPool {
  /** Resolves once fewer than `concurrency` tasks are in flight. */
  ready(): Promise<void>;
  /** Runs `task` in a slot. It must not reject: the caller handles its own failures. */
  run(task: () => Promise<void>): void;
  /** Resolves once every task started has settled. */
  drain(): Promise<void>;
  /** Tasks started and not yet settled. */
  readonly inFlight: number;
}

export function createEndpointPool(concurrency: number): EndpointPool {
  const limit = pLimit(concurrency);
  let running = 0;
  // Whoever waits for a task to settle: the scan loop (a slot) or its end (the drain); a second
  // waiter chains onto the first instead of replacing it.
  let wake: (() => void) | null = null;
  const settled = (): void => {
    running--;
    const w = wake;
    wake = null;
    w?.();
  };
  const nextSettle = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const previous = wake;
      wake =
        previous === null
          ? resolve
          : () => {
              previous();
              resolve();
            };
    });
  return {
    async ready() {
      while (running >= concurrency) await nextSettle();
    },
    run(task) {
      running++;
      // `settled` runs before p-limit frees its own slot (a few microtasks later); a task started
      // in between waits in p-limit's queue for those microtasks, so p-limit still holds the cap.
      void limit(task).then(settled, settled);
    },
    async drain() {
      while (running > 0) await nextSettle();
    },
    get inFlight() {
      return running;
    },
  };
}
