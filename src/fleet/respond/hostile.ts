// Hostile hosts for the engine and fault tests. Raw behaviours (garbage, slow drip) work on the
// socket (inside TLS on https ports); the others are HTTP responses. Every one is bounded: the
// drip stops after its byte budget, the huge body after its length or when the client goes away.
import type { Duplex } from 'node:stream';
import { pseudoRandomBytes } from '../prng.js';
import type { HostileProfile } from '../types.js';
import { iis404, send, type Header, type RequestContext } from './common.js';

const IIS: Header[] = [
  ['Server', 'Microsoft-IIS/10.0'],
  ['X-Powered-By', 'ASP.NET'],
];
const GARBAGE_BYTES = 2048;
const CHUNK = 64 * 1024;

/** Non-HTTP bytes: pseudo-random per address, first byte NUL so no parser mistakes it for a status line. */
function garbageFor(ip: string): Buffer {
  const bytes = pseudoRandomBytes(`garbage/${ip}`, GARBAGE_BYTES);
  bytes[0] = 0;
  return bytes;
}

/** Waits for a request's first bytes, answers with garbage, closes. */
export function serveGarbage(socket: Duplex, ip: string, onRequest: () => void): void {
  socket.once('data', () => {
    onRequest();
    socket.end(garbageFor(ip));
  });
}

const DRIP_TEXT = Buffer.from(
  'HTTP/1.1 200 OK\r\nCache-Control: private\r\nContent-Type: text/html; charset=utf-8\r\nServer: Microsoft-IIS/10.0\r\n' +
    'X-AspNet-Version: 4.0.30319\r\nX-Powered-By: ASP.NET\r\n' +
    Array.from({ length: 40 }, (_, i) => `X-Slow-${String(i).padStart(2, '0')}: ${'.'.repeat(24)}\r\n`).join(
      '',
    ),
  'latin1',
);

/** Waits for a request's first bytes, then sends a response one byte per interval, up to maxBytes. */
export function serveSlowDrip(
  socket: Duplex,
  intervalMs: number,
  maxBytes: number,
  onRequest: () => void,
): void {
  socket.once('data', () => {
    onRequest();
    const limit = Math.min(maxBytes, DRIP_TEXT.length);
    let sent = 0;
    const timer = setInterval(() => {
      if (sent >= limit) {
        clearInterval(timer);
        socket.end();
        return;
      }
      socket.write(DRIP_TEXT.subarray(sent, sent + 1));
      sent++;
    }, intervalMs);
    timer.unref();
    socket.once('close', () => clearInterval(timer));
  });
}

const FILLER = Buffer.alloc(CHUNK, '<!-- padding padding padding padding padding padding padding -->\n');

/** 200 with a declared `bytes`-long body, streamed with backpressure until done or the client leaves. */
export function serveHugeBody(ctx: RequestContext, bytes: number): void {
  const { res } = ctx;
  res.writeHead(200, 'OK', ['Content-Type', 'text/html', 'Content-Length', String(bytes), ...IIS.flat()]);
  if (ctx.req.method === 'HEAD') {
    res.end();
    return;
  }
  let sent = 0;
  let closed = false;
  res.once('close', () => {
    closed = true;
  });
  const pump = (): void => {
    while (!closed && sent < bytes) {
      const n = Math.min(CHUNK, bytes - sent);
      sent += n;
      if (!res.write(n === CHUNK ? FILLER : FILLER.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    if (!closed) res.end();
  };
  pump();
}

export function respondHostileHttp(ctx: RequestContext, p: HostileProfile): void {
  const origin = `${ctx.port.scheme}://${ctx.authority}`;
  switch (p.kind) {
    case 'huge-body':
      serveHugeBody(ctx, p.bodyBytes ?? 50 * 1024 * 1024);
      return;
    case 'redirect-loop':
      if (ctx.lpath === '/owa/' || ctx.lpath === '/owa/x') {
        const next = ctx.lpath === '/owa/' ? '/owa/x' : '/owa/';
        send(ctx, 302, 'Found', [['Location', `${origin}${next}`], ...IIS]);
      } else {
        iis404(ctx, IIS);
      }
      return;
    case 'redirect-out-of-scope':
      if (ctx.lpath === '/' || ctx.lpath === '/owa' || ctx.lpath === '/owa/') {
        send(ctx, 302, 'Found', [['Location', p.target ?? 'https://127.250.0.1/owa/'], ...IIS]);
      } else {
        iis404(ctx, IIS);
      }
      return;
    default:
      // tarpit, reset, garbage and slow-drip never reach HTTP (handled on the socket).
      ctx.res.destroy();
  }
}

/** The 429 phase of a retry-after host: true when this request was answered with 429. */
export function answerTooManyRequests(ctx: RequestContext, seconds: number, now: number): boolean {
  ctx.host.retryUntil ??= now + seconds * 1000;
  const left = ctx.host.retryUntil - now;
  if (left <= 0) return false;
  send(
    ctx,
    429,
    'Too Many Requests',
    [['Content-Type', 'text/plain'], ['Retry-After', String(Math.ceil(left / 1000))], ...IIS],
    'Too Many Requests\n',
  );
  return true;
}
