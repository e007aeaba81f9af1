// A plain node:http(s) client for the fleet tests: one fresh connection per request (no agent),
// certificate not verified, SNI/Host from an optional name, bounded body and time.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { TLSSocket, type PeerCertificate } from 'node:tls';

export interface Fetched {
  status: number;
  statusMessage: string;
  headers: IncomingHttpHeaders;
  /** Header names as sent, in order. */
  rawNames: string[];
  /** Raw header lines "Name: value", in order. */
  rawHeaders: string[];
  body: string;
  bytes: number;
  cert: PeerCertificate | null;
}

export function fetchUrl(
  url: string,
  opts: { hostHeader?: string; timeoutMs?: number; maxBytes?: number; method?: string } = {},
): Promise<Fetched> {
  const u = new URL(url);
  const isHttps = u.protocol === 'https:';
  const maxBytes = opts.maxBytes ?? 1024 * 1024;
  const hostName = opts.hostHeader?.replace(/:\d+$/, '');
  return new Promise((resolve, reject) => {
    const req = (isHttps ? httpsRequest : httpRequest)(
      {
        host: u.hostname.replace(/^\[|\]$/g, ''),
        port: u.port === '' ? undefined : Number(u.port),
        path: `${u.pathname}${u.search}`,
        method: opts.method ?? 'GET',
        agent: false,
        headers: {
          ...(opts.hostHeader === undefined ? {} : { host: opts.hostHeader }),
          'user-agent': 'owa-audit fleet test',
        },
        ...(isHttps
          ? {
              rejectUnauthorized: false,
              ...(hostName !== undefined && !/^[\d.]+$/.test(hostName) ? { servername: hostName } : {}),
            }
          : {}),
      },
      (res) => {
        const cert = res.socket instanceof TLSSocket ? res.socket.getPeerCertificate() : null;
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes <= maxBytes) chunks.push(chunk);
          else res.destroy();
        });
        const done = (): void => {
          clearTimeout(timer);
          const rawNames: string[] = [];
          const rawHeaders: string[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            rawNames.push(res.rawHeaders[i] ?? '');
            rawHeaders.push(`${res.rawHeaders[i] ?? ''}: ${res.rawHeaders[i + 1] ?? ''}`);
          }
          resolve({
            status: res.statusCode ?? 0,
            statusMessage: res.statusMessage ?? '',
            headers: res.headers,
            rawNames,
            rawHeaders,
            body: Buffer.concat(chunks).toString('utf8'),
            bytes,
            cert,
          });
        };
        res.on('end', done);
        res.on('close', done);
      },
    );
    const timer = setTimeout(
      () => req.destroy(new Error(`timeout after ${String(opts.timeoutMs ?? 5000)} ms: ${url}`)),
      opts.timeoutMs ?? 5000,
    );
    timer.unref();
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end();
  });
}

/** Values of a header (any case) in the order received. */
export function headerValues(f: Fetched, name: string): string[] {
  const lower = name.toLowerCase();
  return f.rawHeaders
    .filter((l) => l.toLowerCase().startsWith(`${lower}: `))
    .map((l) => l.slice(name.length + 2));
}
