// Every byte from a scanned server is hostile. Values kept as evidence are cleaned here once, so
// reports, CSV and terminals never see control characters, bidi overrides or megabyte strings.

/** Longest server-supplied value kept in evidence. */
export const MAX_VALUE_CHARS = 200;
/** Longest URL kept in evidence (Location headers are server-supplied too). */
export const MAX_URL_CHARS = 300;
/** Bodies are scanned up to this many characters; the session already bounds reads, this is a second fence. */
export const MAX_SCAN_CHARS = 1 << 20;

// C0 and C1 controls, DEL, and the bidi embedding/override/isolate marks that can make text
// display differently from what it is ("Trojan Source").
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;
const WHITESPACE_RUN = /\s+/g;

/** Strip control characters, collapse whitespace, trim, and cap at `max` characters (with an ellipsis). */
export function cleanValue(raw: string, max: number = MAX_VALUE_CHARS): string {
  // Cut before the regex work so a huge value costs no more than a small one.
  const head = raw.length > max * 4 ? raw.slice(0, max * 4) : raw;
  const clean = head.replace(UNSAFE_CHARS, ' ').replace(WHITESPACE_RUN, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

export function cleanUrl(raw: string): string {
  return cleanValue(raw, MAX_URL_CHARS);
}

/** The part of a body worth scanning. */
export function scanWindow(body: string): string {
  return body.length > MAX_SCAN_CHARS ? body.slice(0, MAX_SCAN_CHARS) : body;
}
