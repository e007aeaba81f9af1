// Small helpers every extractor uses.
import type { ProbeResponse } from '../../probe/types.js';
import type { Signal } from '../types.js';
import { cleanUrl } from '../text.js';

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

type SignalFields = Pick<Signal, 'signal' | 'value'> & Partial<Omit<Signal, 'signal' | 'value' | 'url'>>;

export function signalFrom(response: ProbeResponse, fields: SignalFields): Signal {
  return {
    url: cleanUrl(response.url),
    build: null,
    generations: null,
    proves: false,
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
