// The forms-based-auth redirect: GET /owa/ → 302 Location: …/owa/auth/logon.aspx?url=…&reason=0.
import type { ProbeResponse } from '../../probe/types.js';
import { cleanValue } from '../text.js';
import type { Signal } from '../types.js';
import { header, signalFrom } from './common.js';

const MAX_LOCATION_CHARS = 4096;

export function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/**
 * The absolute http(s) URL a redirect points to (fragment dropped), or null when the response is
 * not a redirect or its Location is missing, oversized or not a web URL.
 */
export function redirectTarget(response: ProbeResponse): URL | null {
  if (!isRedirectStatus(response.status)) return null;
  const location = header(response, 'location')?.trim();
  if (location === undefined || location === '' || location.length > MAX_LOCATION_CHARS) return null;
  try {
    const target = new URL(location, response.url);
    if (target.protocol !== 'https:' && target.protocol !== 'http:') return null;
    target.hash = '';
    return target;
  } catch {
    return null;
  }
}

/** A redirect to /owa/auth/logon.aspx carrying `url=` and `reason=`: what OWA does for anonymous users. */
export function extractOwaRedirect(response: ProbeResponse): Signal[] {
  const target = redirectTarget(response);
  if (target === null) return [];
  if (target.pathname.toLowerCase() !== '/owa/auth/logon.aspx') return [];
  const params = [...target.searchParams.keys()].map((k) => k.toLowerCase());
  if (!params.includes('url') || !params.includes('reason')) return [];
  return [
    signalFrom(response, {
      signal: 'owa-redirect',
      value: cleanValue(header(response, 'location') ?? ''),
      proves: true,
    }),
  ];
}
