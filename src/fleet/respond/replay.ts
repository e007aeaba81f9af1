// A replayed capture: the recorded status line, headers (repeated ones kept, names as captured) and
// body for the paths the capture covers; the IIS 404 for everything else. The capture's own host
// names (`self`) are rewritten to the origin the request came to, so a captured redirect to the
// server itself stays on the replay host, while links to any other host stay foreign.
import { STATUS_CODES } from 'node:http';
import { findExchange } from '../replay/transcript.js';
import type { ReplayProfile } from '../types.js';
import { exchangeEncode, iis404, send, type Header, type RequestContext } from './common.js';

/** Recomputed by the replay (the captured body may be cut or rewritten) or hop-by-hop. */
const DROPPED = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);
const NO_BODY = new Set([204, 304]);

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Rewrites `http(s)://self[:port]` and its URL-encoded form to the replay origin. */
export function selfRewriter(self: readonly string[], origin: string): (text: string) => string {
  if (self.length === 0) return (text) => text;
  const names = self.map(escapeRegExp).join('|');
  const plain = new RegExp(`https?://(?:${names})(?::\\d{1,5})?(?![\\w.-])`, 'gi');
  const encoded = new RegExp(`https?%3a%2f%2f(?:${names})(?:%3a\\d{1,5})?(?![\\w.-])`, 'gi');
  const encodedOrigin = exchangeEncode(origin);
  return (text) => text.replace(plain, origin).replace(encoded, encodedOrigin);
}

export function respondReplay(ctx: RequestContext, p: ReplayProfile): void {
  const exchange = findExchange(p.transcript, {
    method: ctx.req.method ?? 'GET',
    scheme: ctx.port.scheme,
    path: ctx.path,
    query: ctx.query,
  });
  if (exchange === null) {
    iis404(ctx, [
      ['Server', 'Microsoft-IIS/10.0'],
      ['X-Powered-By', 'ASP.NET'],
    ]);
    return;
  }
  const rewrite = selfRewriter(p.transcript.self, `${ctx.port.scheme}://${ctx.authority}`);
  const headers: Header[] = exchange.headers
    .filter(([name]) => !DROPPED.has(name.toLowerCase()))
    .map(([name, value]) => [name, rewrite(value)]);
  const reason = exchange.reason === '' ? (STATUS_CODES[exchange.status] ?? '') : exchange.reason;
  if (NO_BODY.has(exchange.status)) send(ctx, exchange.status, reason, headers);
  else send(ctx, exchange.status, reason, headers, rewrite(exchange.body));
}
