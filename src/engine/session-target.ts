// Where a session request goes: a path on the endpoint's own origin, or an absolute URL (a
// redirect hop the caller chose to follow). A hop is checked against the scope before anything
// is queued or sent; the connector checks again right before the socket opens.
import { isIP } from 'node:net';
import type { Endpoint, ScopeGuard } from '../scope/types.js';
import { decideConnection, type ConnectTarget } from './connector.js';
import { ProbeError, ScopeRefusal } from '../core/errors.js';
import { requestUrl } from './http-util.js';

export interface ResolvedRequest {
  target: ConnectTarget;
  /** Path and query, e.g. "/owa/auth/logon.aspx?url=x". */
  path: string;
}

const MAX_URL_LENGTH = 8192;

export function endpointTarget(e: Endpoint): ConnectTarget {
  return { scheme: e.scheme, ip: e.ip, port: e.port, host: e.host };
}

export function sameTarget(a: ConnectTarget, b: ConnectTarget): boolean {
  return a.scheme === b.scheme && a.ip === b.ip && a.port === b.port && a.host === b.host;
}

function normaliseName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

async function resolveHop(url: URL, endpoint: Endpoint, guard: ScopeGuard): Promise<ConnectTarget> {
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port === '' ? (scheme === 'https' ? 443 : 80) : Number(url.port);
  const bare = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(bare) !== 0) return { scheme, ip: bare, port, host: null };

  const name = normaliseName(bare);
  // Same name as the endpoint: reuse its vetted address rather than resolving again.
  if (endpoint.host !== null && normaliseName(endpoint.host) === name)
    return { scheme, ip: endpoint.ip, port, host: endpoint.host };

  let resolved: Awaited<ReturnType<ScopeGuard['resolveAllowed']>>;
  try {
    resolved = await guard.resolveAllowed(name);
  } catch (err) {
    throw new ScopeRefusal(
      url.href,
      `could not resolve ${name}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const ip = resolved.allowed[0];
  if (ip === undefined) {
    const first = resolved.refused[0];
    throw new ScopeRefusal(url.href, first === undefined ? `${name} did not resolve` : first.reason);
  }
  return { scheme, ip, port, host: name };
}

// Characters a path and query keep verbatim through the WHATWG URL parser (no percent-encoding, no
// backslash or tab to rewrite, no fragment to drop). Dot segments, their percent-encoded forms and
// an empty query (which the parser drops) are told apart below.
const VERBATIM = /^\/(?!\/)[A-Za-z0-9\-._~!$&()*+,;=:@/%?]*$/;
const DOT_SEGMENT = /\/\.\.?(?:\/|$)|%2e/i;

/**
 * `path` when the URL parser would return it unchanged as pathname + search, else null (then it
 * must go through the parser). Saves a URL parse on each of the plain paths a probe plan requests;
 * engine-session-target.test.ts checks it against the parser on generated paths.
 */
export function verbatimPath(path: string): string | null {
  if (!VERBATIM.test(path)) return null;
  const q = path.indexOf('?');
  if (q === path.length - 1) return null;
  return DOT_SEGMENT.test(q === -1 ? path : path.slice(0, q)) ? null : path;
}

/**
 * Path and query of a path on the endpoint's own origin (starts with one "/"), validated as a URL
 * so that control characters never reach the request line. Throws ProbeError('internal-error')
 * past MAX_URL_LENGTH.
 */
export function originPath(path: string): string {
  if (path.length > MAX_URL_LENGTH)
    throw new ProbeError('internal-error', `URL longer than ${MAX_URL_LENGTH} characters`);
  const verbatim = verbatimPath(path);
  if (verbatim !== null) return verbatim;
  const parsed = new URL(path, 'http://origin.invalid');
  return `${parsed.pathname}${parsed.search}`;
}

/**
 * The path and query of a request for a path on the endpoint's own origin (`target`), the
 * synchronous half of resolveRequest. The guard is asked here too, so that an endpoint that is not
 * authorised fails before it queues at the gate (the connector asks again for every connection).
 */
export function resolveOriginPath(pathOrUrl: string, target: ConnectTarget, guard: ScopeGuard): string {
  const path = originPath(pathOrUrl);
  const decision = decideConnection(guard, target.ip, target.host);
  if (!decision.allowed) throw new ScopeRefusal(requestUrl(target, pathOnly(path)), decision.reason);
  return path;
}

/** True for a path on the endpoint's own origin, as opposed to an absolute URL (a redirect hop). */
export function isOriginPath(pathOrUrl: string): boolean {
  return pathOrUrl.startsWith('/') && !pathOrUrl.startsWith('//');
}

/**
 * Turn `pathOrUrl` into a target and a path. Throws ScopeRefusal (nothing sent) when the target is
 * not authorised, ProbeError('internal-error') when the caller passed something that is neither a
 * path nor an absolute http(s) URL.
 */
export async function resolveRequest(
  pathOrUrl: string,
  endpoint: Endpoint,
  guard: ScopeGuard,
): Promise<ResolvedRequest> {
  if (pathOrUrl.length > MAX_URL_LENGTH)
    throw new ProbeError('internal-error', `URL longer than ${MAX_URL_LENGTH} characters`);
  if (isOriginPath(pathOrUrl)) {
    const target = endpointTarget(endpoint);
    return { target, path: resolveOriginPath(pathOrUrl, target, guard) };
  }
  let url: URL;
  try {
    url = new URL(pathOrUrl);
  } catch {
    throw new ProbeError('internal-error', `not a path or absolute URL: ${pathOrUrl.slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ScopeRefusal(url.href.slice(0, 200), `${url.protocol} URLs are never followed`);
  }
  const target = await resolveHop(url, endpoint, guard);
  const decision = decideConnection(guard, target.ip, target.host);
  if (!decision.allowed) throw new ScopeRefusal(url.href, decision.reason);
  return { target, path: `${url.pathname}${url.search}` };
}

/** The path without its query (what a refusal names). */
export function pathOnly(path: string): string {
  const q = path.indexOf('?');
  return q === -1 ? path : path.slice(0, q);
}
