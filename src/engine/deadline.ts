// The whole-endpoint deadline: a budget of active time that stops counting while the endpoint
// waits at the rate gate. Waiting for our own politeness (a host gap, a Retry-After of up to
// 60 s, a saturated global rate) is not the endpoint being slow, and must not turn into a
// `timeout` record; time spent connecting, waiting for headers and reading bodies is.
import { ProbeError } from '../core/errors.js';
import { abortReason, AbortFanout } from './signals.js';

/** What the session needs: bracket every wait at the gate. */
export interface PausableDeadline {
  pause(): void;
  resume(): void;
  /** The deadline's own signal; when it is the session's, the session `watch`es instead of listening. */
  readonly signal?: AbortSignal;
  /** Calls `onAbort` once with the reason when `signal` aborts (at once if it has): no EventTarget listener. */
  watch?(onAbort: (reason: Error) => void): void;
  unwatch?(onAbort: (reason: Error) => void): void;
}

export interface EndpointDeadline extends PausableDeadline {
  /** Aborts with ProbeError('timeout') when the budget is spent, or with the parent's reason. */
  readonly signal: AbortSignal;
  watch(onAbort: (reason: Error) => void): void;
  unwatch(onAbort: (reason: Error) => void): void;
  /** Active milliseconds used so far. */
  used(): number;
  dispose(): void;
}

/**
 * Starts counting immediately; `pause()`/`resume()` nest. Follows `parent` (the scan's signal, or
 * the scan's fanout of it: one listener for every endpoint, see signals.ts AbortFanout).
 *
 * Whoever only needs to hear of the abort (the session, the engine's grace timer) `watch`es: a
 * callback in a small array, where a listener on the signal would cost an EventTarget add and
 * remove per endpoint.
 */
export function createEndpointDeadline(
  budgetMs: number,
  parent?: AbortSignal | AbortFanout,
): EndpointDeadline {
  const controller = new AbortController();
  let reason: Error | null = null;
  const watchers: ((reason: Error) => void)[] = [];
  let usedMs = 0;
  let runningSince: number | null = performance.now();
  let pauses = 0;
  let timer: NodeJS.Timeout | undefined;

  const abort = (why: Error): void => {
    if (reason !== null) return;
    reason = why;
    clearTimeout(timer);
    controller.abort(why);
    for (const watcher of watchers.splice(0)) watcher(why);
  };
  const arm = (): void => {
    timer = setTimeout(
      () => {
        abort(new ProbeError('timeout', `endpoint deadline of ${budgetMs} ms passed`));
      },
      Math.max(0, budgetMs - usedMs),
    );
  };
  // Armed before following the parent: a parent already aborted clears it at once.
  arm();
  let detach = (): void => undefined;
  if (parent instanceof AbortFanout) {
    parent.add(abort);
    detach = () => {
      parent.delete(abort);
    };
  } else if (parent !== undefined) {
    const follow = (): void => {
      abort(abortReason(parent));
    };
    if (parent.aborted) follow();
    else {
      parent.addEventListener('abort', follow, { once: true });
      detach = () => {
        parent.removeEventListener('abort', follow);
      };
    }
  }

  return {
    signal: controller.signal,
    watch(onAbort) {
      if (reason !== null) onAbort(reason);
      else watchers.push(onAbort);
    },
    unwatch(onAbort) {
      const i = watchers.indexOf(onAbort);
      if (i !== -1) watchers.splice(i, 1);
    },
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
      if (pauses > 0 || reason !== null) return;
      runningSince = performance.now();
      arm();
    },
    used() {
      return usedMs + (runningSince === null ? 0 : performance.now() - runningSince);
    },
    dispose() {
      clearTimeout(timer);
      watchers.length = 0;
      detach();
    },
  };
}
