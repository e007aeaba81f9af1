// What the main thread of this process has had so far: time on a core, and time it was ready to
// run but waited for one (Linux: /proc/self/task/<pid>/stat and schedstat; the main thread's task
// id is the process id). Read at two moments, the difference says whether a phase was bound by the
// main thread (on a core or waiting for one for all of it) or waited on something else.
import { readFileSync } from 'node:fs';

export interface MainThreadTimes {
  /** utime + stime, ms (10 ms ticks). */
  cpuMs: number;
  /** Time runnable but waiting for a core, ms; null when the kernel keeps no schedstat. */
  waitMs: number | null;
}

export function mainThreadTimes(): MainThreadTimes | null {
  const task = `/proc/self/task/${process.pid}`;
  let cpuMs: number;
  try {
    const stat = readFileSync(`${task}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: utime and stime are the 12th and
    // 13th fields after it, in clock ticks (100/s).
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(after[11]) + Number(after[12]);
    if (!Number.isFinite(ticks)) return null;
    cpuMs = ticks * 10;
  } catch {
    return null;
  }
  let waitMs: number | null = null;
  try {
    // "<ns on a core> <ns waiting on a run queue> <timeslices>"
    const waitedNs = Number(readFileSync(`${task}/schedstat`, 'utf8').split(' ')[1]);
    if (Number.isFinite(waitedNs)) waitMs = waitedNs / 1e6;
  } catch {
    // no schedstat: waitMs stays null
  }
  return { cpuMs, waitMs };
}

/** What the main thread had between two readings (null when either is missing). */
export function mainThreadBetween(
  from: MainThreadTimes | null,
  to: MainThreadTimes | null,
): MainThreadTimes | null {
  if (from === null || to === null) return null;
  return {
    cpuMs: to.cpuMs - from.cpuMs,
    waitMs: from.waitMs === null || to.waitMs === null ? null : to.waitMs - from.waitMs,
  };
}

/**
 * What the main thread had over [fromMs, toMs] (epoch ms), from readings taken every few tens of
 * ms: from the last reading at or before the start to the first at or after the end, so the span
 * measured covers the window and exceeds it by less than one interval at each end.
 */
export function mainThreadOver(
  readings: readonly (readonly [number, MainThreadTimes])[],
  fromMs: number,
  toMs: number,
): (MainThreadTimes & { spanMs: number }) | null {
  let from: readonly [number, MainThreadTimes] | null = null;
  let to: readonly [number, MainThreadTimes] | null = null;
  for (const reading of readings) {
    if (reading[0] <= fromMs || from === null) from = reading;
    if (reading[0] >= toMs) {
      to = reading;
      break;
    }
  }
  if (from === null || to === null) return null;
  const times = mainThreadBetween(from[1], to[1]);
  return times === null ? null : { ...times, spanMs: to[0] - from[0] };
}
