// The endpoint pool: at most `concurrency` endpoints in flight, capped by p-limit, and a new target
// pulled from the lazy source only once a slot is free (`ready`), so a /8 being expanded is never
// queued in memory. Waiting for a slot costs one promise, whatever the concurrency.
import pLimit from 'p-limit';

export interface EndpointPool {
  /** Resolves once fewer than `concurrency` tasks are in flight. */
  ready(): Promise<void>;
  /** Runs `task` in a slot. It must not reject: the caller handles its own failures. */
  run(task: () => Promise<void>): void;
  /** Resolves once every task started has settled. */
  drain(): Promise<void>;
}

export function createEndpointPool(concurrency: number): EndpointPool {
  const limit = pLimit(concurrency);
  const inFlight = new Set<Promise<void>>();
  let wake: (() => void) | null = null;
  const settled = (task: Promise<void>): void => {
    inFlight.delete(task);
    const w = wake;
    wake = null;
    w?.();
  };
  return {
    async ready() {
      while (inFlight.size >= concurrency) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
    run(task) {
      const p: Promise<void> = limit(task).finally(() => settled(p));
      inFlight.add(p);
    },
    async drain() {
      await Promise.all(inFlight);
    },
  };
}
