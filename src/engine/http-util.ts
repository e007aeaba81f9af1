// Small, pure pieces of the HTTP session: header shaping, Retry-After, bounded body reads.
import type { Readable } from 'node:stream';
import { isIP } from 'node:net';
import type { ConnectTarget } from './connector.js';

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

/** Lower-cased names, repeated headers joined with ", ". Own properties only, even `__proto__`. */
export function normaliseHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const entries: [string, string][] = [];
  for (const name of Object.keys(raw)) {
    const value = raw[name];
    if (value === undefined) continue;
    entries.push([name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value]);
  }
  return Object.fromEntries(entries);
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
 * Read at most `maxBytes` of a body. Beyond the bound the stream is destroyed (undici then drops
 * the connection, so nothing more is downloaded) and `truncated` is set.
 *
 * A body that arrived in one chunk (most of them: a page of a few kB) is returned as that chunk,
 * and a cut is a view of the chunk: bytes are copied once, by Buffer.concat, and only when there
 * are several chunks to join. The caller decodes the bytes at once and keeps only the text.
 */
export async function readBounded(
  body: Readable,
  maxBytes: number,
): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let total = 0;
  let truncated = false;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const room = maxBytes - total;
    if (chunk.length > room) {
      if (room > 0) chunks.push(chunk.subarray(0, room));
      total += Math.max(0, room);
      truncated = true;
      break;
    }
    chunks.push(chunk);
    total += chunk.length;
  }
  if (truncated) body.destroy();
  const only = chunks.length === 1 ? chunks[0] : undefined;
  return { bytes: only ?? Buffer.concat(chunks, total), truncated };
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Lossy UTF-8: invalid bytes become U+FFFD rather than failing the probe. */
export function decodeBody(bytes: Buffer): string {
  return utf8.decode(bytes);
}
