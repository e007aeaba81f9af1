// Time, the one implementation of each: calendar dates as ISO strings (YYYY-MM-DD, some sources
// giving only a month, YYYY-MM), the day difference, the UTC timestamp people read, durations.
// Pure: `now` is always a parameter with the clock as its default.
import { displayText } from './text.js';

/** Today in UTC as YYYY-MM-DD. */
export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The day a year after `day` (YYYY-MM-DD; default: today in UTC), e.g. a scan file's `valid_until`. */
export function aYearAfter(day: string = todayIso()): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return todayIso(d);
}

/** "20261127T011600Z": a moment in a file or directory name. */
export function utcStamp(now: Date = new Date()): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
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

/** Today on this machine's calendar as YYYY-MM-DD: the day a person at it would name. */
export function localToday(now = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/**
 * The only date shapes read from text: ISO dates and timestamps, and the "MMM DD HH:MM:SS YYYY
 * GMT" form Node's TLS layer gives for certificates. Date() alone accepts far too much.
 */
export function parseDate(text: string): Date | null {
  if (
    !/^\d{4}-\d{2}-\d{2}([T ][\d:.]+Z?)?$/.test(text) &&
    !/^[A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2} \d{4} GMT$/.test(text)
  ) {
    return null;
  }
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "2026-11-27 01:16 UTC", the one way a moment is written for people; null when `iso` is no date. */
export function utcMinute(iso: string): string | null {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** utcMinute for a report: "—" when absent, the raw text shown safely when it is not a date. */
export function formatTimestamp(iso: string | null): string {
  if (iso === null) return '—';
  return utcMinute(iso) ?? displayText(iso, 60);
}

/** "2026-11-27"; the raw text shown safely when it is not a date. Accepts OpenSSL's "Jan  1 00:00:00 2027 GMT". */
export function formatDay(text: string | null): string {
  if (text === null) return '—';
  const d = parseDate(text);
  return d === null ? displayText(text, 60) : d.toISOString().slice(0, 10);
}

/**
 * "4 min 37 s", "2 h 14 min", "3 d 2 h"; "—" for no duration. `estimate`: an upper figure for a
 * duration to come — rounded up to its coarsest unit and without zero parts ("10 min", "3 h",
 * "2 d 4 h").
 */
export function formatDuration(ms: number, opts: { estimate?: boolean } = {}): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const estimate = opts.estimate === true;
  const s = estimate ? Math.ceil(ms / 1000) : Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = estimate ? Math.ceil(s / 60) : Math.floor(s / 60);
  if (m < 60) return estimate ? `${m} min` : `${m} min ${s % 60} s`;
  const rest = (n: number, unit: string): string => (estimate && n === 0 ? '' : ` ${n} ${unit}`);
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h${rest(m % 60, 'min')}`;
  return `${Math.floor(h / 24)} d${rest(h % 24, 'h')}`;
}
