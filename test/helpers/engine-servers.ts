// Loopback servers for the engine tests: well-behaved and hostile, each logging what reached it
// (with server-side timestamps) so tests judge the engine by what actually arrived on the wire.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/engine/', import.meta.url));

export interface TlsMaterial {
  key: string;
  cert: string;
}

/** A certificate and its key; 'leaf' and 'twin' are served with the CA that signed them. */
export function tlsFixture(name: 'self' | 'leaf' | 'twin'): TlsMaterial {
  const key = readFileSync(`${FIXTURES}${name}.key`, 'utf8');
  let cert = readFileSync(`${FIXTURES}${name}.pem`, 'utf8');
  if (name === 'leaf') cert += readFileSync(`${FIXTURES}ca.pem`, 'utf8');
  if (name === 'twin') cert += readFileSync(`${FIXTURES}twin-ca.pem`, 'utf8');
  return { key, cert };
}

export interface Hit {
  /** performance.now() when the request head arrived. */
  t: number;
  ip: string;
  port: number;
  path: string;
  host: string | undefined;
  userAgent: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}

export interface TestServer {
  ip: string;
  port: number;
  hits: Hit[];
  /** TCP connections accepted. */
  readonly connections: number;
  /** Bytes the server handed to the kernel (raw servers: summed over sockets at close). */
  readonly bytesWritten: number;
  close(): Promise<void>;
}

function track(server: Server, ip: string, port: number, hits: Hit[]): TestServer {
  const sockets = new Set<Socket>();
  let connections = 0;
  let bytesWritten = 0;
  server.on('connection', (s: Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => {
      bytesWritten += s.bytesWritten;
      sockets.delete(s);
    });
  });
  return {
    ip,
    port,
    hits,
    get connections() {
      return connections;
    },
    get bytesWritten() {
      let live = 0;
      for (const s of sockets) live += s.bytesWritten;
      return bytesWritten + live;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

function listen(server: Server, ip: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, ip, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** An HTTP (or HTTPS with `tls`) server; every request is logged before the handler runs. */
export async function httpServer(
  ip: string,
  port: number,
  handler: Handler,
  tls?: TlsMaterial,
): Promise<TestServer> {
  const hits: Hit[] = [];
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    hits.push({
      t: performance.now(),
      ip,
      port,
      path: req.url ?? '',
      host: req.headers.host,
      userAgent: req.headers['user-agent'],
      headers: req.headers,
    });
    handler(req, res);
  };
  const server: Server = tls === undefined ? createHttpServer(onRequest) : createHttpsServer(tls, onRequest);
  await listen(server, ip, port);
  return track(server, ip, port, hits);
}

/** A raw TCP (or TLS) server whose sockets get `onSocket`; it must clean up on socket close. */
export async function rawServer(
  ip: string,
  port: number,
  onSocket: (s: Socket) => void,
  tls?: TlsMaterial,
): Promise<TestServer> {
  const server: Server = tls === undefined ? createNetServer(onSocket) : createTlsServer(tls, onSocket);
  // TLS servers emit 'secureConnection' to the listener; errors on half-open handshakes are expected.
  server.on('tlsClientError', () => undefined);
  await listen(server, ip, port);
  return track(server, ip, port, []);
}

/** A timer that stops with the socket and never keeps the test process alive. */
export function socketInterval(s: Socket, ms: number, tick: () => void): void {
  const timer = setInterval(tick, ms);
  timer.unref();
  s.on('close', () => {
    clearInterval(timer);
  });
  s.on('error', () => undefined);
}

/** Close every server, ignoring ones already closed. */
export async function closeAll(servers: TestServer[]): Promise<void> {
  await Promise.all(servers.map((s) => s.close().catch(() => undefined)));
}

/** The largest number of hits in any closed window [t, t + windowMs]. */
export function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[j] as number) > windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}
