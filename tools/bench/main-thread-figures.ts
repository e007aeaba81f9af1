// The bench's figures of a main thread over a phase (main-thread.ts reads it), rounded for people.
import { round } from './context.js';
import { mainThreadOver, type MainThreadTimes } from './main-thread.js';

/**
 * A main thread over a phase: seconds on a core, and seconds ready to run but waiting for one
 * (null when the kernel keeps no schedstat). Their sum near the phase's length says the phase was
 * bound by that thread.
 */
export interface MainThreadSeconds {
  cpuSeconds: number;
  waitSeconds: number | null;
  /** The span these were read over (the phase, widened to the readings around it). */
  overSeconds: number;
}

export function mainThreadSeconds(
  t: MainThreadTimes | null,
  spanMs: number,
): { mainThread?: MainThreadSeconds } {
  return t === null
    ? {}
    : {
        mainThread: {
          cpuSeconds: round(t.cpuMs / 1000),
          waitSeconds: t.waitMs === null ? null : round(t.waitMs / 1000),
          overSeconds: round(spanMs / 1000),
        },
      };
}

/**
 * A main thread over a phase timed elsewhere (the fleet's first and last request), from readings
 * taken every few tens of ms (cli-hook.ts).
 */
export function mainThreadOverPhase(
  readings: readonly (readonly [number, MainThreadTimes])[],
  firstMs: number | null,
  lastMs: number | null,
): { mainThread?: MainThreadSeconds } {
  // No request reached the fleet: there is no phase to read the thread over.
  if (firstMs === null || lastMs === null) return {};
  const over = mainThreadOver(readings, firstMs, lastMs);
  return over === null ? {} : mainThreadSeconds(over, over.spanMs);
}
