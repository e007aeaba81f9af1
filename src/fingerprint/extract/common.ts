// Small helpers every extractor uses.
import type { ProbeResponse } from '../../core/probe-types.js';
import type { Signal } from '../types.js';
import { cleanUrl } from '../../core/text.js';

/**
 * A header value by name. The session lower-cases names already; the fallback scan keeps the
 * extractors correct for responses built elsewhere (tests, other sessions).
 */
export function header(response: ProbeResponse, name: string): string | null {
  const direct = response.headers[name];
  if (direct !== undefined) return direct;
  for (const [key, value] of Object.entries(response.headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return null;
}

/** Repeated headers arrive joined with ", "; more than a few copies is noise. */
const MAX_HEADER_ITEMS = 8;

/** The values of a list-valued header (repeated headers joined with ", "), trimmed, distinct. */
export function headerItems(raw: string): string[] {
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

/** Content-Type says HTML (or is missing on a body that starts like a page). */
export function isHtml(response: ProbeResponse): boolean {
  const type = header(response, 'content-type');
  if (type !== null) return /\bhtml\b/i.test(type);
  return /^\s*</.test(response.body);
}

type SignalFields = Pick<Signal, 'signal' | 'value'> & Partial<Omit<Signal, 'signal' | 'value' | 'url'>>;

export function signalFrom(response: ProbeResponse, fields: SignalFields): Signal {
  return {
    url: cleanUrl(response.url),
    build: null,
    generations: null,
    hint: false,
    online: null,
    ...fields,
  };
}

/** Path of the response URL, lower-cased; '' when the URL does not parse. */
export function lowerPath(response: ProbeResponse): string {
  try {
    return new URL(response.url).pathname.toLowerCase();
  } catch {
    return response.path.toLowerCase().split('?')[0] ?? '';
  }
}
