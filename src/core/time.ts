// Calendar dates as ISO strings (YYYY-MM-DD), some sources giving only a month (YYYY-MM).

/** Today in UTC as YYYY-MM-DD. */
export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** True when `date` (YYYY-MM-DD) lies in [start, end]; a month-only bound covers its whole month. */
export function dateWithin(date: string, start: string, end: string): boolean {
  const startOk = start.length === 7 ? date.slice(0, 7) >= start : date >= start;
  const endOk = end.length === 7 ? date.slice(0, 7) <= end : date <= end;
  return startOk && endOk;
}

/** True when `date` is after `bound`; a month-only bound ends with its month. */
export function dateAfter(date: string, bound: string): boolean {
  return bound.length === 7 ? date.slice(0, 7) > bound : date > bound;
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b)) throw new RangeError(`not a date: ${Number.isNaN(a) ? from : to}`);
  return Math.round((b - a) / 86_400_000);
}

/** Accepts exactly YYYY-MM-DD that names a real day. */
export function isIsoDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const t = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === text;
}
