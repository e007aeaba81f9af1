// Small, pure pieces of the HTTP session: header shaping, Retry-After, bounded body reads.
import { isIP } from 'node:net';
import { util as undiciUtil } from './undici-parts.js';
import type { ConnectTarget } from './connector.js';

const { headerNameToString } = undiciUtil;
const DEFAULT_PORTS = { https: 443, http: 80 } as const;

/** The Host header: the target name (or IP literal) plus the port when it is not the default. */
export function hostHeader(t: ConnectTarget): string {
  const name = t.host ?? (isIP(t.ip) === 6 ? `[${t.ip}]` : t.ip);
  return t.port === DEFAULT_PORTS[t.scheme] ? name : `${name}:${t.port}`;
}

/** Absolute URL as requested, named by the Host we sent (what a report shows as evidence). */
export function requestUrl(t: ConnectTarget, path: string): string {
  return `${t.scheme}://${hostHeader(t)}${path}`;
}

/**
 * A response head as undici hands it over (name, value, name, value… as bytes) → lower-cased names,
 * repeated headers joined with ", " in the order they came, every name a plain own property (even
 * `__proto__`). Names are read as Latin-1, values too: what undici's own `parseHeaders` does for
 * `client.request`, from which this was taken so that a response reads the same through either
 * (engine-http-util.test.ts compares the two on hostile heads).
 */
export function headersFromRaw(raw: readonly Buffer[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = headerNameToString(raw[i] as Buffer);
    const value = (raw[i + 1] as Buffer).toString('latin1');
    if (Object.hasOwn(out, name)) out[name] = `${out[name]}, ${value}`;
    else if (name === '__proto__')
      Object.defineProperty(out, name, { value, enumerable: true, configurable: true, writable: true });
    else out[name] = value;
  }
  return out;
}

/**
 * Retry-After as a delay in ms (delta-seconds or an HTTP-date), or null when absent or
 * unparsable. Not bounded here: the gate bounds it.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  // HTTP-date in any of its three forms starts with a day name; Date.parse would accept "-5".
  if (text.length > 64 || !/^[A-Za-z]{3}/.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/**
 * The first `maxBytes` of a body, chunk by chunk as it arrives. A chunk past the bound is cut there
 * and `truncated` set; the caller then drops the connection, so nothing more is downloaded.
 *
 * A body that arrived in one chunk (most of them: a page of a few kB) is kept as that chunk, and a
 * cut is a view of the chunk: bytes are copied once, by Buffer.concat, and only when there are
 * several chunks to join. The caller decodes the bytes at once and keeps only the text.
 */
export class BoundedBody {
  private first: Buffer | null = null;
  private more: Buffer[] | null = null;
  private total = 0;
  truncated = false;

  constructor(private readonly maxBytes: number) {}

  /** Keeps what fits; false once the bound is passed (the chunk was cut, nothing more is wanted). */
  push(chunk: Buffer): boolean {
    if (this.truncated) return false;
    const room = this.maxBytes - this.total;
    let kept = chunk;
    if (chunk.length > room) {
      this.truncated = true;
      if (room <= 0) return false;
      kept = chunk.subarray(0, room);
    }
    if (this.first === null) this.first = kept;
    else (this.more ??= [this.first]).push(kept);
    this.total += kept.length;
    return !this.truncated;
  }

  bytes(): Buffer {
    if (this.more !== null) return Buffer.concat(this.more, this.total);
    return this.first ?? Buffer.alloc(0);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Lossy UTF-8: invalid bytes become U+FFFD rather than failing the probe. */
export function decodeBody(bytes: Buffer): string {
  return utf8.decode(bytes);
}
