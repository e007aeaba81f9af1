// One HTTP request → the responder of the host's profile.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorityOf, type PortRuntime, type RequestContext } from './common.js';
import { redirectToHttps, respondExchange } from './exchange.js';
import { answerTooManyRequests, respondHostileHttp } from './hostile.js';
import { respondLegacy } from './legacy.js';
import { respondReplay } from './replay.js';
import { respondOnline, respondWeb } from './web.js';

/** Splits a request-target (origin-form or absolute-form) into path and query. */
export function splitTarget(target: string): { path: string; query: string } {
  let rest = target;
  if (!rest.startsWith('/')) {
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^#]*)/i.exec(rest);
    rest = m?.[1] === undefined || m[1] === '' ? '/' : m[1];
  }
  const q = rest.indexOf('?');
  return q < 0 ? { path: rest, query: '' } : { path: rest.slice(0, q), query: rest.slice(q + 1) };
}

export function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  pr: PortRuntime,
  path: string,
  query: string,
  now: number,
): void {
  const { authority, hostName } = authorityOf(req.headers.host, pr.host.ip, pr.port, pr.scheme);
  const ctx: RequestContext = {
    req,
    res,
    host: pr.host,
    port: pr,
    path,
    lpath: path.toLowerCase(),
    query,
    authority,
    hostName,
  };
  const p = pr.host.profile;
  if (
    p.kind === 'exchange' &&
    p.retryAfterSeconds !== undefined &&
    answerTooManyRequests(ctx, p.retryAfterSeconds, now)
  )
    return;
  if (pr.role === 'redirect-https' && (p.kind === 'exchange' || p.kind === 'exchange-legacy')) {
    redirectToHttps(ctx, p.server);
    return;
  }
  switch (p.kind) {
    case 'exchange':
      respondExchange(ctx, p);
      return;
    case 'exchange-legacy':
      respondLegacy(ctx, p);
      return;
    case 'exchange-online':
      respondOnline(ctx);
      return;
    case 'replay':
      respondReplay(ctx, p);
      return;
    case 'iis-default':
    case 'nginx-default':
    case 'apache-404':
    case 'imitator':
    case 'sentinel':
      respondWeb(ctx, p);
      return;
    default:
      respondHostileHttp(ctx, p);
  }
}
