// The whole-endpoint deadline: a budget of active time that stops counting while the endpoint
// waits at the rate gate. Waiting for our own politeness (a host gap, a Retry-After of up to
// 60 s, a saturated global rate) is not the endpoint being slow, and must not turn into a
// `timeout` record; time spent connecting, waiting for headers and reading bodies is.
import { ProbeError } from '../core/errors.js';
import { AbortFanout, linkedController, type LinkedController } from './signals.js';

/** What the session needs: bracket every wait at the gate. */
export interface PausableDeadline {
  pause(): void;
  resume(): void;
}

export interface EndpointDeadline extends PausableDeadline {
  /** Aborts with ProbeError('timeout') when the budget is spent, or with the parent's reason. */
  readonly signal: AbortSignal;
  /** Active milliseconds used so far. */
  used(): number;
  dispose(): void;
}

/**
 * Starts counting immediately; `pause()`/`resume()` nest. Follows `parent` (the scan's signal, or
 * the scan's fanout of it: one listener for every endpoint, see signals.ts AbortFanout).
 */
export function createEndpointDeadline(
  budgetMs: number,
  parent?: AbortSignal | AbortFanout,
): EndpointDeadline {
  const link: LinkedController = parent instanceof AbortFanout ? fannedOut(parent) : linkedController(parent);
  let usedMs = 0;
  let runningSince: number | null = performance.now();
  let pauses = 0;
  let timer: NodeJS.Timeout | undefined;

  const arm = (): void => {
    timer = setTimeout(
      () => {
        link.abort(new ProbeError('timeout', `endpoint deadline of ${budgetMs} ms passed`));
      },
      Math.max(0, budgetMs - usedMs),
    );
  };
  arm();

  return {
    signal: link.signal,
    pause() {
      pauses++;
      if (pauses > 1 || runningSince === null) return;
      usedMs += performance.now() - runningSince;
      runningSince = null;
      clearTimeout(timer);
    },
    resume() {
      if (pauses === 0) return;
      pauses--;
      if (pauses > 0 || link.signal.aborted) return;
      runningSince = performance.now();
      arm();
    },
    used() {
      return usedMs + (runningSince === null ? 0 : performance.now() - runningSince);
    },
    dispose() {
      clearTimeout(timer);
      link.dispose();
    },
  };
}

/** A controller that follows a fanout's signal until disposed. */
function fannedOut(fanout: AbortFanout): LinkedController {
  const controller = new AbortController();
  const follow = (reason: Error): void => {
    controller.abort(reason);
  };
  fanout.add(follow);
  return {
    signal: controller.signal,
    abort: (reason) => {
      controller.abort(reason);
    },
    dispose: () => {
      fanout.delete(follow);
    },
  };
}
