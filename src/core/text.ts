// Every byte from a scanned server is hostile. This is the project's one table of what hostile text
// may not carry into an output, and the named ways an output neutralises it:
// - cleanValue: one line of plain text (evidence, records' error messages, e-mail, events),
// - revealControls / displayText: the characters shown as visible escapes (reports, terminals),
// - revealControls with keepLines: the same for CSV cells, whose line breaks RFC 4180 quotes,
// and the clips that bound a value, each with a marker that says it was cut.
// Escaping for HTML is the template engine's job; this is about what escaping cannot stop:
// control characters corrupting a PDF or a terminal, bidi overrides disguising a value, a 10 MB
// header swamping a page.

/** Longest server-supplied value kept in evidence. */
export const MAX_VALUE_CHARS = 200;
/** Longest URL kept in evidence (Location headers are server-supplied too). */
export const MAX_URL_CHARS = 300;
/** Longest error message kept in a record (messages may quote bytes a hostile server chose). */
export const MAX_MESSAGE_CHARS = 300;
/** Bodies are scanned up to this many characters; the session already bounds reads, this is a second fence. */
export const MAX_SCAN_CHARS = 1 << 20;
/** Longest server-supplied value shown in a report cell (the CSV keeps more). */
export const DISPLAY_MAX = 300;

// The table: C0 controls (tab and line ends included), DEL, C1 controls, and the invisible
// formatting characters — zero-width space and joiners, LRM/RLM, bidi embeddings, overrides and
// isolates, word joiner and invisible operators, BOM — that can hide text or make it display
// differently from what it is ("Trojan Source").
const UNSAFE =
  '\\u0000-\\u001f\\u007f-\\u009f\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff';
/** The same less tab, LF and CR. */
const UNSAFE_BUT_LINES =
  '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff';

const UNSAFE_RUN = new RegExp(`[${UNSAFE}]+`, 'g');
const UNSAFE_CHAR = new RegExp(`[${UNSAFE}]`, 'g');
const UNSAFE_CHAR_BUT_LINES = new RegExp(`[${UNSAFE_BUT_LINES}]`, 'g');
const WHITESPACE_RUN = /\s+/g;

type Render = (kept: string) => string;
const asIs: Render = (s) => s;

/**
 * The clips: how a value longer than `max` is cut, and what says so. `render` shapes the kept part
 * (e.g. revealControls) before the marker is added.
 */
export const CLIP = {
  /** "abc…": at most `max` characters in all, the last an ellipsis. */
  ellipsis: (text: string, max: number, render: Render = asIs): string =>
    text.length > max ? `${render(text.slice(0, max - 1))}…` : render(text),
  /** "abc… (12 more characters)": `max` characters kept, and the reader told how many were not. */
  counted: (text: string, max: number, render: Render = asIs): string =>
    text.length > max
      ? `${render(text.slice(0, max))}… (${text.length - max} more characters)`
      : render(text),
  /** "abc…[cut]": `max` characters kept, then a marker a program reading the file can find. */
  marked: (text: string, max: number, render: Render = asIs): string =>
    text.length > max ? `${render(text.slice(0, max))}…[cut]` : render(text),
} as const;

/**
 * One line of plain text: unsafe characters become spaces, whitespace runs one space, trimmed,
 * at most `max` characters (an ellipsis marks a cut).
 */
export function cleanValue(raw: string, max: number = MAX_VALUE_CHARS): string {
  // Cut before the regex work so a huge value costs no more than a small one.
  const head = raw.length > max * 4 ? raw.slice(0, max * 4) : raw;
  const clean = head.replace(UNSAFE_RUN, ' ').replace(WHITESPACE_RUN, ' ').trim();
  return CLIP.ellipsis(clean, max);
}

export function cleanUrl(raw: string): string {
  return cleanValue(raw, MAX_URL_CHARS);
}

/** The part of a body worth scanning. */
/**
 * The same text in a string of its own. A substring of 13 characters or more is a view into the
 * string it was cut from (V8 slices it), so a table that outlives a response keeps copies: a title
 * or version text cut from a page would otherwise keep the whole page alive.
 */
export function ownCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

export function scanWindow(body: string): string {
  return body.length > MAX_SCAN_CHARS ? body.slice(0, MAX_SCAN_CHARS) : body;
}

function visibleEscape(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Makes unsafe characters visible as `\xNN` / `\uNNNN` text. `keepLines`: tab, LF and CR stay
 * (a CSV cell quotes them).
 */
export function revealControls(text: string, opts: { keepLines?: boolean } = {}): string {
  return text.replace(opts.keepLines === true ? UNSAFE_CHAR_BUT_LINES : UNSAFE_CHAR, visibleEscape);
}

/**
 * A server-supplied string as it may be shown: unsafe characters revealed, cut to `max`
 * characters with a note of how much was left out. Still plain text: the template escapes it.
 */
export function displayText(text: string, max: number = DISPLAY_MAX): string {
  return CLIP.counted(text, max, revealControls);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-GB');
}
