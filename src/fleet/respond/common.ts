// What every responder shares: the per-request context, header/body writing, and the few
// per-host values derived on demand (nothing is stored per host beyond its spec).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Scheme } from '../../core/result-schema.js';
import { IIS_404 } from '../assets/web-pages.js';
import { fnv1a, prng } from '../prng.js';
import type { PortRole, Profile, RunningHost } from '../types.js';

export type Header = [name: string, value: string];

export interface HostRuntime {
  ip: string;
  running: RunningHost;
  profile: Profile;
  /** The host's first https port, for http → https redirects. */
  httpsPort: number | null;
  /** retry-after profile: end of the 429 phase (epoch ms), set by the first request. */
  retryUntil: number | null;
}

export interface PortRuntime {
  host: HostRuntime;
  port: number;
  scheme: Scheme;
  role: PortRole;
  /** Request-log slot of this endpoint. */
  slot: number;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  host: HostRuntime;
  port: PortRuntime;
  /** Path as sent, without the query. */
  path: string;
  /** Lower-cased path: IIS routes case-insensitively. */
  lpath: string;
  /** Query without "?" ("" when none). */
  query: string;
  /** "name[:port]" from a well-formed Host header, else the address (and non-default port). */
  authority: string;
  /** authority without the port. */
  hostName: string;
}

const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})$/;
const HOST_V6 = /^\[[0-9A-Fa-f:.]{2,45}\]$/;

function defaultPort(scheme: Scheme): number {
  return scheme === 'https' ? 443 : 80;
}

/**
 * Host header → authority echoed in Location and pages. Only a plain name or address literal with
 * an optional port is echoed; anything else falls back to the listening address.
 */
export function authorityOf(
  hostHeader: string | undefined,
  ip: string,
  port: number,
  scheme: Scheme,
): { authority: string; hostName: string } {
  if (hostHeader !== undefined) {
    const m = /^(.*?)(?::(\d{1,5}))?$/.exec(hostHeader.trim());
    const name = m?.[1] ?? '';
    if (HOST_NAME.test(name) || HOST_V6.test(name))
      return { authority: m?.[2] === undefined ? name : `${name}:${m[2]}`, hostName: name };
  }
  const name = ip.includes(':') ? `[${ip}]` : ip;
  return { authority: port === defaultPort(scheme) ? name : `${name}:${port}`, hostName: name };
}

/** "scheme://hostName[:port]" with the port left out when it is the scheme's default. */
export function originFor(scheme: Scheme, hostName: string, port: number): string {
  return port === defaultPort(scheme) ? `${scheme}://${hostName}` : `${scheme}://${hostName}:${port}`;
}

export function requestId(): string {
  return randomUUID();
}

/** Writes a complete response; parts are written in order under one Content-Length. */
export function send(
  ctx: RequestContext,
  status: number,
  reason: string,
  headers: Header[],
  ...parts: (string | Buffer)[]
): void {
  const buffers = parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p));
  const length = buffers.reduce((n, b) => n + b.length, 0);
  const flat: string[] = [];
  for (const [name, value] of headers) flat.push(name, value);
  flat.push('Content-Length', String(length));
  ctx.res.writeHead(status, reason, flat);
  const last = buffers.pop();
  for (const b of buffers) ctx.res.write(b);
  ctx.res.end(last);
}

/** The IIS 404 page with the given headers in front (Server, X-Powered-By, …). */
export function iis404(ctx: RequestContext, headers: Header[]): void {
  send(ctx, 404, 'Not Found', [['Content-Type', 'text/html'], ...headers], IIS_404);
}

/** A stable Windows-style computer name per address: "WIN-" + 11 characters, or a prefix + 2 digits. */
export function computerName(ip: string, prefix: string | null): string {
  const next = prng(fnv1a(ip));
  if (prefix !== null) return `${prefix}-${String((next() % 4) + 1).padStart(2, '0')}`;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let name = 'WIN-';
  for (let i = 0; i < 11; i++) name += alphabet[next() % alphabet.length] ?? 'X';
  return name;
}

/** An Exchange-style URL-encoded url= value ("https%3a%2f%2fhost%2fowa%2f", lower-case escapes). */
export function exchangeEncode(url: string): string {
  return encodeURIComponent(url).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());
}
