// Reads one source: a URL over HTTPS (plain HTTP only to a loopback address, for tests and local
// mirrors) or a local file. Bounded in size and time; redirects are followed by hand, at most a
// few, and only to URLs that pass the same rules. A proxy from HTTPS_PROXY/HTTP_PROXY/NO_PROXY is
// honoured for non-loopback hosts.
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici';
import { TOOL_NAME, TOOL_VERSION } from '../util/version.js';
import { DataUpdateError, feedError, type SourceRef } from './errors.js';
import { todayIso } from '../core/time.js';

export const MAX_SOURCE_BYTES = 20 * 1024 * 1024;
export const FETCH_TIMEOUT_MS = 60_000;
const MAX_REDIRECTS = 5;

export interface Fetched {
  source: SourceRef;
  text: string;
  bytes: number;
  sha256: string;
  /** When it was read (ISO). */
  retrievedAt: string;
  /**
   * The day its content is a snapshot of: the retrieval day for a URL, the file's modification
   * day for a local file (when it was downloaded, as far as can be told).
   */
  snapshotDay: string;
}

export interface FetchOptions {
  maxBytes?: number;
  timeoutMs?: number;
  now?: () => Date;
}

export function isUrl(text: string): boolean {
  return /^https?:\/\//i.test(text);
}

function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1';
  return false;
}

/** The URL rules: https anywhere, http only to loopback; nothing else. */
export function checkUrl(text: string, source: SourceRef): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw feedError(source, `not a valid URL: ${JSON.stringify(text.slice(0, 200))}`);
  }
  if (url.username !== '' || url.password !== '')
    throw feedError(source, 'URLs with credentials are not accepted');
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw feedError(
    source,
    `${url.protocol.replace(/:$/, '')}:// is not accepted for ${url.host || 'this URL'} (use https://; plain http only to a loopback address)`,
  );
}

function decode(buf: Buffer, source: SourceRef): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf).replace(/^\uFEFF/, '');
  } catch {
    throw feedError(source, 'not UTF-8 text');
  }
}

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

/** One dispatcher per update run, closed at the end so no keep-alive socket holds the process. */
export class Fetcher {
  private direct: Agent | null = null;
  private proxied: EnvHttpProxyAgent | null = null;
  private readonly maxBytes: number;
  private readonly timeoutMs: number;
  private readonly now: () => Date;

  constructor(opts: FetchOptions = {}) {
    this.maxBytes = opts.maxBytes ?? MAX_SOURCE_BYTES;
    this.timeoutMs = opts.timeoutMs ?? FETCH_TIMEOUT_MS;
    this.now = opts.now ?? (() => new Date());
  }

  private dispatcherFor(url: URL): Dispatcher {
    if (!isLoopbackHost(url.hostname) && PROXY_VARS.some((v) => (process.env[v] ?? '') !== '')) {
      this.proxied ??= new EnvHttpProxyAgent();
      return this.proxied;
    }
    this.direct ??= new Agent({ connect: { timeout: Math.min(this.timeoutMs, 20_000) } });
    return this.direct;
  }

  async close(): Promise<void> {
    await Promise.all([this.direct?.close(), this.proxied?.close()]);
    this.direct = null;
    this.proxied = null;
  }

  /** A URL or a path, as given on the command line. */
  async read(where: string): Promise<Fetched> {
    if (isUrl(where)) return this.fetchUrl(where);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(where)) {
      throw feedError(
        { label: where, remote: false },
        'only https:// URLs (http:// to a loopback address) and local files can be read',
      );
    }
    return this.readFile(where);
  }

  async readFile(path: string): Promise<Fetched> {
    const source: SourceRef = { label: path, remote: false };
    const full = resolve(path);
    let size: number;
    let mtime: Date;
    try {
      const st = await stat(full);
      if (!st.isFile()) throw feedError(source, 'not a regular file');
      size = st.size;
      mtime = st.mtime;
    } catch (e) {
      if (e instanceof DataUpdateError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      throw feedError(source, code === 'ENOENT' ? 'no such file' : `cannot read: ${(e as Error).message}`);
    }
    if (size > this.maxBytes)
      throw feedError(source, `larger than ${this.maxBytes} bytes: not a feed this command reads`);
    let buf: Buffer;
    try {
      const fh = await open(full, 'r');
      try {
        // One byte more than stat() said: a file that grew meanwhile is refused, not cut short.
        const b = Buffer.alloc(size + 1);
        const { bytesRead } = await fh.read(b, 0, b.length, 0);
        if (bytesRead > size) throw new Error('it changed while being read');
        buf = b.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    } catch (e) {
      throw feedError(source, `cannot read: ${(e as Error).message}`);
    }
    const now = this.now();
    return {
      source,
      text: decode(buf, source),
      bytes: buf.length,
      sha256: createHash('sha256').update(buf).digest('hex'),
      retrievedAt: now.toISOString(),
      snapshotDay: todayIso(mtime < now ? mtime : now),
    };
  }

  async fetchUrl(text: string): Promise<Fetched> {
    const source: SourceRef = { label: text, remote: true };
    let url = checkUrl(text, source);
    const signal = AbortSignal.timeout(this.timeoutMs);
    for (let hop = 0; ; hop++) {
      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, {
          method: 'GET',
          dispatcher: this.dispatcherFor(url),
          headers: { 'user-agent': `${TOOL_NAME}/${TOOL_VERSION} (data update)`, accept: '*/*' },
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
          signal,
        });
      } catch (e) {
        throw feedError(source, `download failed: ${describeNetworkError(e, signal)}`);
      }
      if (res.statusCode >= 300 && res.statusCode < 400) {
        const location = res.headers.location;
        await res.body.dump().catch(() => undefined);
        if (typeof location !== 'string' || location === '')
          throw feedError(source, `HTTP ${res.statusCode} without a Location`);
        if (hop >= MAX_REDIRECTS) throw feedError(source, `more than ${MAX_REDIRECTS} redirects`);
        let next: string;
        try {
          next = new URL(location, url).toString();
        } catch {
          throw feedError(source, `HTTP ${res.statusCode} to an invalid Location`);
        }
        url = checkUrl(next, source);
        continue;
      }
      if (res.statusCode !== 200) {
        await res.body.dump().catch(() => undefined);
        throw feedError(source, `HTTP ${res.statusCode} from ${url.host}`);
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > this.maxBytes) {
        res.body.destroy();
        throw feedError(
          source,
          `${declared} bytes announced, more than the ${this.maxBytes} this command reads`,
        );
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      try {
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          bytes += chunk.length;
          if (bytes > this.maxBytes) {
            res.body.destroy();
            throw feedError(source, `more than ${this.maxBytes} bytes: not a feed this command reads`);
          }
          chunks.push(chunk);
        }
      } catch (e) {
        if (e instanceof DataUpdateError) throw e;
        throw feedError(source, `download failed: ${describeNetworkError(e, signal)}`);
      }
      const buf = Buffer.concat(chunks);
      const now = this.now();
      return {
        source,
        text: decode(buf, source),
        bytes,
        sha256: createHash('sha256').update(buf).digest('hex'),
        retrievedAt: now.toISOString(),
        snapshotDay: todayIso(now),
      };
    }
  }
}

function describeNetworkError(e: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'timed out';
  const err = e as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const code =
    typeof err.code === 'string' ? err.code : typeof err.cause?.code === 'string' ? err.cause.code : null;
  const message =
    typeof err.cause?.message === 'string'
      ? err.cause.message
      : typeof err.message === 'string'
        ? err.message
        : String(e);
  return code === null ? message.slice(0, 200) : `${code} (${message.slice(0, 200)})`;
}
