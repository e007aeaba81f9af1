// Small helpers every extractor uses.
import type { ProbeResponse } from '../../core/probe-types.js';
import type { Signal } from '../types.js';
import { cleanUrl, cleanValue, MAX_VALUE_CHARS, ownCopy, scanWindow } from '../../core/text.js';
import { perResponse } from './per-response.js';
import { pageTags, type PageTags } from './tags.js';

/**
 * A header value by name. The session lower-cases names already; the fallback scan keeps the
 * extractors correct for responses built elsewhere (tests, other sessions). Whether a response's
 * names are all lower-case is found once per response: for the session's responses, a name
 * not found directly is not there at all, and the extractors ask for a dozen absent names.
 */
export function header(response: ProbeResponse, name: string): string | null {
  const direct = response.headers[name];
  if (direct !== undefined) return direct;
  if (namesLowerCased(response)) return null;
  for (const [key, value] of Object.entries(response.headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return null;
}

const namesLowerCasedOf = perResponse((response) =>
  Object.keys(response.headers).every((key) => key === key.toLowerCase()),
);
// The extractors of one response ask one after another: the last answer is kept at hand, by its
// headers object (holding the response itself would keep its body alive).
let lastHeaders: Record<string, string> | null = null;
let lastLowerCased = false;

function namesLowerCased(response: ProbeResponse): boolean {
  if (response.headers !== lastHeaders) {
    lastLowerCased = namesLowerCasedOf(response);
    lastHeaders = response.headers;
  }
  return lastLowerCased;
}

/** Repeated headers arrive joined with ", "; more than a few copies is noise. */
const MAX_HEADER_ITEMS = 8;

/** The values of a list-valued header (repeated headers joined with ", "), trimmed, distinct. */
export function headerItems(raw: string): string[] {
  if (!raw.includes(',')) {
    // One value (the usual case): what the general path gives, without its lists.
    const only = raw.trim();
    return only === '' ? [] : [only];
  }
  return [
    ...new Set(
      raw
        .split(',')
        .slice(0, MAX_HEADER_ITEMS)
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    ),
  ];
}

// Header values and titles repeat from endpoint to endpoint (every IIS says "Microsoft-IIS/10.0"):
// each text is cleaned once. A pure function of the text, so the table changes no answer; it is
// bounded in entries (cleared when full) and in size (long texts are not kept).
const cleanedByMax = new Map<number, Map<string, string>>();
const MAX_CLEANED = 256;
const MAX_CLEANED_CHARS = 1024;

/** cleanValue (core/text.ts) for texts that repeat across endpoints. */
export function cleanRepeated(raw: string, max: number = MAX_VALUE_CHARS): string {
  if (raw.length > MAX_CLEANED_CHARS) return cleanValue(raw, max);
  let cleaned = cleanedByMax.get(max);
  if (cleaned === undefined) {
    cleaned = new Map();
    cleanedByMax.set(max, cleaned);
  }
  let clean = cleaned.get(raw);
  if (clean === undefined) {
    clean = cleanValue(raw, max);
    if (cleaned.size >= MAX_CLEANED) cleaned.clear();
    // Copies: a title cut from a page would keep the whole page alive (core/text.ts ownCopy).
    clean = ownCopy(clean);
    cleaned.set(ownCopy(raw), clean);
  }
  return clean;
}

/** Content-Type says HTML (or is missing on a body that starts like a page). */
export function isHtml(response: ProbeResponse): boolean {
  const type = header(response, 'content-type');
  if (type !== null) return /\bhtml\b/i.test(type);
  return /^\s*</.test(response.body);
}

type SignalFields = Pick<Signal, 'signal' | 'value'> & Partial<Omit<Signal, 'signal' | 'value' | 'url'>>;

export function signalFrom(response: ProbeResponse, fields: SignalFields): Signal {
  // Written out rather than spread: the same object, keys in the same order, for less work.
  const signal: Signal = {
    url: cleanResponseUrl(response.url),
    build: fields.build ?? null,
    generations: fields.generations ?? null,
    hint: fields.hint ?? false,
    online: fields.online ?? null,
    signal: fields.signal,
    value: fields.value,
  };
  if (fields.padded !== undefined) signal.padded = fields.padded;
  if (fields.misplaced !== undefined) signal.misplaced = fields.misplaced;
  if (fields.foreign !== undefined) signal.foreign = fields.foreign;
  return signal;
}

/** The response URL parsed, once per response: the same URL object each call, never to be modified. */
export const parsedUrl: (response: ProbeResponse) => Readonly<URL> | null = perResponse((response) =>
  parseUrl(response.url),
);

/** The URL, or null for text the URL parser refuses (Node 20 has no URL.parse). */
export function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

// Every signal of a response carries its cleaned URL, and a response gives several: the last one
// cleaned is kept at hand (a pure function of the text, so nothing changes but the work).
let lastUrl: string | null = null;
let lastCleanUrl = '';

function cleanResponseUrl(url: string): string {
  if (url !== lastUrl) {
    lastCleanUrl = cleanUrl(url);
    lastUrl = url;
  }
  return lastCleanUrl;
}

/** Path of the response URL, lower-cased; '' when the URL does not parse. Read once per response. */
export const lowerPath: (response: ProbeResponse) => string = perResponse(
  (response) =>
    parsedUrl(response)?.pathname.toLowerCase() ?? response.path.toLowerCase().split('?')[0] ?? '',
);

/** The tags of the response's body (tags.ts), found once per response for every extractor that reads them. */
export const pageTagsOf: (response: ProbeResponse) => PageTags = perResponse((response) =>
  pageTags(scanWindow(response.body)),
);
