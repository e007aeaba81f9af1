// A server's verdict is the worst of its endpoints' verdicts: never better than what any endpoint
// proves. "Worst" is the action order of priority.ts (known-exploited first, …); between verdicts
// of equal urgency the less certain one, then the older build. An Exchange endpoint without a
// verdict counts as "check by hand", ahead of every verdict of that group.
import { compareParts, parseVersionHint } from '../core/build-number.js';
import type { ExchangeVerdict } from '../core/result-schema.js';
import { ACTION_GROUPS, compareKeys, priorityKey } from './priority.js';

/** Identity of a verdict: endpoints with equal keys get the same section and advice. */
export function verdictKey(v: ExchangeVerdict | null): string {
  if (v === null) return 'no-verdict';
  const cves = v.cves.map((c) => `${c.id}:${c.certainty}`).join(',');
  return [v.product, v.build, v.precision, v.patchLevel, v.certainty, v.supported, v.release, cves].join('|');
}

/** verdictKey(a) === verdictKey(b), without building the keys (it runs once per endpoint). */
export function sameVerdict(a: ExchangeVerdict | null, b: ExchangeVerdict | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (
    a.build !== b.build ||
    a.patchLevel !== b.patchLevel ||
    a.certainty !== b.certainty ||
    a.precision !== b.precision ||
    a.product !== b.product ||
    a.supported !== b.supported ||
    a.release !== b.release ||
    a.cves.length !== b.cves.length
  )
    return false;
  return a.cves.every((c, i) => {
    const d = b.cves[i];
    return d !== undefined && c.id === d.id && c.certainty === d.certainty;
  });
}

/** The action order key of a verdict; a missing verdict sorts first among "verify". */
export function severityKey(v: ExchangeVerdict | null): number[] {
  return v === null ? [ACTION_GROUPS.indexOf('verify')] : priorityKey(v);
}

/**
 * Older first (classify's build order); a build without a number (product precision) or one that
 * is not a build number is the oldest possible.
 */
export function olderBuildFirst(a: string | null, b: string | null): number {
  const x = a === null ? null : parseVersionHint(a);
  const y = b === null ? null : parseVersionHint(b);
  if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
  const d = compareParts(x.parts, y.parts);
  return d === 0 ? 0 : d < 0 ? -1 : 1;
}

/** Negative when `a` is the worse verdict. A total order: equal only for equal verdict keys. */
export function compareVerdicts(a: ExchangeVerdict | null, b: ExchangeVerdict | null): number {
  const d = compareKeys(severityKey(a), severityKey(b));
  if (d !== 0) return d;
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (a.certainty !== b.certainty) return a.certainty === 'possible' ? -1 : 1;
  const builds = olderBuildFirst(a.build, b.build);
  if (builds !== 0) return builds;
  const ka = verdictKey(a);
  const kb = verdictKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
