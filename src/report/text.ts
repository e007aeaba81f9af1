// Text shaping for the reports. Everything a scanned server said is hostile: it is escaped by the
// template engine, but escaping alone does not stop control characters from corrupting a PDF or a
// terminal, bidi overrides from disguising a value, or a 10 MB header from swamping the page.

/** Longest server-supplied value shown in a report cell (the CSV keeps more). */
export const DISPLAY_MAX = 300;

// C0 controls (tab included: it would be invisible), DEL, C1 controls, and the bidi/invisible
// formatting characters that can reorder or hide what a reader sees.
const UNSAFE_CHARS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

function visibleEscape(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Makes control and formatting characters visible as `\xNN` / `\uNNNN` text. */
export function revealControls(text: string): string {
  return text.replace(UNSAFE_CHARS, visibleEscape);
}

/**
 * A server-supplied string as it may be shown: controls revealed, cut to `max` characters with a
 * note of how much was left out. Still plain text: the template escapes it.
 */
export function displayText(text: string, max: number = DISPLAY_MAX): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  const shown = revealControls(cut);
  return text.length > max ? `${shown}… (${text.length - max} more characters)` : shown;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-GB');
}

/** "2026-11-27 01:16 UTC"; the raw (revealed) text when it is not a date. */
export function formatTimestamp(iso: string | null): string {
  if (iso === null) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return displayText(iso, 60);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "2026-11-27"; the raw (revealed) text when it is not a date. Accepts OpenSSL's "Jan  1 00:00:00 2027 GMT". */
export function formatDay(text: string | null): string {
  if (text === null) return '—';
  const d = parseDate(text);
  return d === null ? displayText(text, 60) : d.toISOString().slice(0, 10);
}

export function parseDate(text: string): Date | null {
  // Only shapes we expect: ISO dates/timestamps, or the "MMM DD HH:MM:SS YYYY GMT" form Node's TLS
  // layer gives. Date() alone accepts far too much.
  if (
    !/^\d{4}-\d{2}-\d{2}([T ][\d:.]+Z?)?$/.test(text) &&
    !/^[A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2} \d{4} GMT$/.test(text)
  ) {
    return null;
  }
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * "4 min 37 s", "2 h 14 min", "3 d 2 h". `estimate`: an upper figure for a duration to come —
 * rounded up to its coarsest unit and without zero parts ("10 min", "3 h", "2 d 4 h").
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

/** Whole days from `from` to `to` (ISO dates or timestamps); null when either is not a date. */
export function daysBetween(from: string, to: Date): number | null {
  const d = parseDate(from);
  if (d === null) return null;
  return Math.floor((to.getTime() - d.getTime()) / 86_400_000);
}
