// Pure arithmetic of the bench: the replay's request list from the fleet's log, medians, ratios,
// memory over a run, per-address gaps. No I/O, so it is unit-tested (test/bench-measures.test.ts).
import { maxInSlidingWindow } from '../../src/fleet/request-log.js';
import type { ReferenceHost } from './reference-client.js';

export { maxInSlidingWindow };

/** One request as the fleet logged it: where it arrived, what it asked for, when (epoch ms). */
export interface LoggedRequest {
  ip: string;
  port: number;
  path: string;
  t: number;
}

/**
 * What the keep-alive replay sends: per endpoint, exactly the paths the fleet received, in the
 * order they arrived; endpoints in the order the scanner first reached them.
 */
export function replaySequences(log: readonly LoggedRequest[]): ReferenceHost[] {
  const sorted = log.map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i);
  const byEndpoint = new Map<string, ReferenceHost>();
  for (const { e } of sorted) {
    const key = `${e.ip}:${e.port}`;
    let host = byEndpoint.get(key);
    if (host === undefined) byEndpoint.set(key, (host = { ip: e.ip, port: e.port, paths: [] }));
    host.paths.push(e.path);
  }
  return [...byEndpoint.values()];
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** a ÷ b, or null when either is missing or b is not positive. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return null;
  return a / b;
}

/**
 * The value of a time series at given fractions of its span (the last sample at or before each
 * moment): memory at 25, 50, 75 and 100 % of a run shows whether it stays flat.
 */
export function valuesAtFractions(
  samples: readonly (readonly [number, number])[],
  fractions: readonly number[],
): (number | null)[] {
  const first = samples[0];
  const last = samples.at(-1);
  if (first === undefined || last === undefined) return fractions.map(() => null);
  const span = last[0] - first[0];
  return fractions.map((f) => {
    const at = first[0] + f * span;
    let value: number | null = null;
    for (const [t, v] of samples) {
      if (t > at) break;
      value = v;
    }
    return value;
  });
}

/** Consecutive events per key (requests to one address): the smallest gap and how many fell below `below`. */
export function gapsPerKey(
  events: readonly (readonly [number, string])[],
  below: number,
): { min: number | null; below: number; pairs: number } {
  const byKey = new Map<string, number[]>();
  for (const [t, key] of events) {
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [t]);
    else list.push(t);
  }
  let min: number | null = null;
  let under = 0;
  let pairs = 0;
  for (const times of byKey.values()) {
    times.sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) {
      const gap = (times[i] ?? 0) - (times[i - 1] ?? 0);
      pairs++;
      if (gap < below) under++;
      min = min === null ? gap : Math.min(min, gap);
    }
  }
  return { min, below: under, pairs };
}

/** Rate over a list of event times: (n − 1) ÷ (last − first), per second; 0 for fewer than two. */
export function achievedRate(times: readonly number[]): number {
  if (times.length < 2) return 0;
  let first = Infinity;
  let last = -Infinity;
  for (const t of times) {
    first = Math.min(first, t);
    last = Math.max(last, t);
  }
  return last > first ? ((times.length - 1) * 1000) / (last - first) : 0;
}
