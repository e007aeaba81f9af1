// Redirects of OWA: the forms-based-auth redirect (GET /owa/ → 302 Location: …/owa/auth/logon.aspx
// ?url=…&reason=0) and the claims-based one to AD FS (→ /adfs/ls/?wa=wsignin1.0&wtrealm=…/owa/).
// Both count only when they are this server's own: the logon redirect must stay on this host.
import type { ProbeResponse } from '../../core/probe-types.js';
import { cleanValue } from '../../core/text.js';
import type { Signal } from '../types.js';
import { header, parsedUrl, signalFrom } from './common.js';
import { perResponse } from './per-response.js';

const MAX_LOCATION_CHARS = 4096;

export function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/**
 * The absolute http(s) URL a redirect points to (fragment dropped), or null when the response is
 * not a redirect or its Location is missing, oversized or not a web URL. A new URL each call.
 */
export function redirectTarget(response: ProbeResponse): URL | null {
  const target = redirectOf(response);
  return target === null ? null : new URL(target.href);
}

/** redirectTarget, parsed once per response: the same URL object each call, never to be modified. */
export function redirectOf(response: ProbeResponse): Readonly<URL> | null {
  return isRedirectStatus(response.status) ? parsedRedirect(response) : null;
}

const parsedRedirect = perResponse(parseRedirect);

function parseRedirect(response: ProbeResponse): URL | null {
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

function sameHost(a: Readonly<URL>, response: ProbeResponse): boolean {
  const own = parsedUrl(response);
  return own !== null && own.hostname.toLowerCase() === a.hostname.toLowerCase();
}

/**
 * The query's parameter names, lower-cased. A name without `%` or `+` is itself once decoded, so the
 * query is split by hand; otherwise URLSearchParams decodes it (its parser is slow for the one
 * question asked of every /owa/ redirect).
 */
function paramNames(target: Readonly<URL>): string[] {
  const names: string[] = [];
  for (const piece of target.search.slice(1).split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = eq === -1 ? piece : piece.slice(0, eq);
    if (name.includes('%') || name.includes('+'))
      return [...target.searchParams.keys()].map((k) => k.toLowerCase());
    names.push(name.toLowerCase());
  }
  return names;
}

/** A redirect to this host's /owa/auth/logon.aspx carrying `url=` and `reason=`: OWA for anonymous users. */
export function extractOwaRedirect(response: ProbeResponse): Signal[] {
  const target = redirectOf(response);
  if (target === null || !sameHost(target, response)) return [];
  if (target.pathname.toLowerCase() !== '/owa/auth/logon.aspx') return [];
  const params = paramNames(target);
  if (!params.includes('url') || !params.includes('reason')) return [];
  return [
    signalFrom(response, {
      signal: 'owa-redirect',
      value: cleanValue(header(response, 'location') ?? ''),
      hint: true,
    }),
  ];
}

/**
 * OWA behind AD FS claims authentication: a WS-Federation sign-in (`/adfs/ls/`, `wa=wsignin1.0`)
 * whose relying party (`wtrealm`) is an /owa/ URL. The AD FS host is another origin, usually out of
 * scope: the redirect is recorded, not followed, and what rode on it still counts.
 */
export function extractOwaSsoRedirect(response: ProbeResponse): Signal[] {
  const target = redirectOf(response);
  if (target === null || !target.pathname.toLowerCase().startsWith('/adfs/ls')) return [];
  let wa: string | null = null;
  let realm: string | null = null;
  for (const [key, value] of target.searchParams) {
    if (key.toLowerCase() === 'wa') wa = value;
    else if (key.toLowerCase() === 'wtrealm') realm = value;
  }
  if (wa?.toLowerCase() !== 'wsignin1.0' || realm === null) return [];
  let realmPath: string;
  try {
    realmPath = new URL(realm).pathname.toLowerCase();
  } catch {
    return [];
  }
  if (!realmPath.startsWith('/owa')) return [];
  return [
    signalFrom(response, {
      signal: 'owa-sso-redirect',
      value: cleanValue(header(response, 'location') ?? ''),
      hint: true,
    }),
  ];
}
