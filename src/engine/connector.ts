// The socket factory undici calls for every new connection. It is the last point before a packet
// leaves, so the scope guard is asked here, every time (keep-alive reconnects and redirect hops
// included), and any doubt — a refusal, a guard that throws, undici dialling an address other
// than the one that was checked — refuses the connection.
import { isIP } from 'node:net';
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import type { buildConnector as BuildConnector } from 'undici';
import { buildConnector } from './undici-parts.js';
import type { Scheme } from '../core/result-schema.js';
import type { ScopeDecision, ScopeGuard } from '../scope/types.js';
import { classifyNetworkError } from './errors.js';
import { ScopeRefusal } from '../core/errors.js';

/** Where one undici Client connects: an address, and the name sent as Host/SNI. */
export interface ConnectTarget {
  scheme: Scheme;
  ip: string;
  port: number;
  /** Host/SNI name; null for a bare IP. */
  host: string | null;
}

export interface ConnectHooks {
  /** A connection attempt started on `socket` (the request is in its connect phase). */
  connecting(socket: Socket): void;
  /** The TCP (and TLS) handshake completed; nothing has been written yet. */
  connected(socket: Socket | TLSSocket): void;
}

export function originUrl(t: ConnectTarget): string {
  const ip = t.ip.includes(':') ? `[${t.ip}]` : t.ip;
  return `${t.scheme}://${ip}:${t.port}`;
}

/**
 * The origin handed to undici's Client, already in the form its URL parser would give: a Client
 * parses a string origin with `new URL` (~15 µs of a loaded main thread, per endpoint) but keeps
 * anything that is `instanceof URL` as it is (core/util.js parseURL), and reads only these fields
 * of it (the dial, the Host header, each request's origin). The fields are own data properties
 * (class fields are defined, not assigned: URL.prototype's setters are never called). A target
 * whose address the parser would rewrite (IPv6, non-canonical IPv4) gets a real URL.
 * engine-session-target.test.ts compares the fields with `new URL`'s.
 */
class ParsedOrigin {
  readonly protocol: string;
  readonly hostname: string;
  readonly port: string;
  readonly host: string;
  readonly origin: string;
  readonly href: string;
  readonly pathname = '/';
  readonly search = '';
  readonly hash = '';

  constructor(t: ConnectTarget) {
    this.protocol = `${t.scheme}:`;
    this.hostname = t.ip;
    this.port = t.port === (t.scheme === 'https' ? 443 : 80) ? '' : String(t.port);
    this.host = this.port === '' ? t.ip : `${t.ip}:${this.port}`;
    this.origin = `${this.protocol}//${this.host}`;
    this.href = `${this.origin}/`;
  }
}
Object.setPrototypeOf(ParsedOrigin.prototype, URL.prototype);

export function clientOrigin(t: ConnectTarget): URL {
  return CANONICAL_IPV4.test(t.ip) ? (new ParsedOrigin(t) as unknown as URL) : new URL(originUrl(t));
}

/** Ask the guard; a guard that throws refuses. */
export function decideConnection(guard: ScopeGuard, ip: string, host: string | null): ScopeDecision {
  try {
    return guard.checkConnection(ip, host);
  } catch (err) {
    return {
      allowed: false,
      reason: `scope guard failed: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

type BaseConnector = (...args: Parameters<BuildConnector.connector>) => Socket | undefined;

// One TLS context and one undici connector for every connection of the process. Building a context
// (the default CA store, ciphers, options) cost ~0.25 ms of CPU and native memory per connection —
// a fifth of the CPU of a scan of a range that refuses connections — and a connector per client
// its own (empty) session cache. Nothing is resumed from either: undici's cache is off
// (`maxCachedSessions: 0`) and a Node client context keeps no internal session store, so every
// connection, to the same host or not, does a full handshake and shows its certificate
// (engine-session.integration.test.ts checks it at the server).
let clientContext: SecureContext | null = null;
let connectors: { timeoutMs: number; connect: BaseConnector } | null = null;

function baseConnector(timeoutMs: number): BaseConnector {
  if (connectors?.timeoutMs !== timeoutMs) {
    clientContext ??= createSecureContext({});
    // buildConnector's function returns the socket it opens (its typings say void); the session
    // needs it to abort a connect in progress, which undici itself does not do.
    const connect = buildConnector({
      rejectUnauthorized: false,
      maxCachedSessions: 0,
      timeout: timeoutMs,
      secureContext: clientContext,
    }) as unknown as BaseConnector;
    connectors = { timeoutMs, connect };
  }
  return connectors.connect;
}

// An IPv4 address in the dotted-decimal form the URL parser keeps as it is (no leading zeros).
const CANONICAL_IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * The address undici dials for `ip`: the hostname of the origin URL, i.e. the address as the URL
 * parser normalises it (IPv6 lower-cased and compressed, brackets removed). A canonical IPv4
 * address is its own normal form, so most connections need no URL parse for this.
 */
export function dialledAddress(ip: string, originUrl: string): string {
  if (CANONICAL_IPV4.test(ip)) return ip;
  return new URL(originUrl).hostname.replace(/^\[|\]$/g, '');
}

export function guardedConnector(
  target: ConnectTarget,
  guard: ScopeGuard,
  connectTimeoutMs: number,
  hooks: ConnectHooks,
): BuildConnector.connector {
  const base = baseConnector(connectTimeoutMs);
  // SNI carries the target name; never an IP literal (RFC 6066), never for a bare-IP target.
  const servername =
    target.scheme === 'https' && target.host !== null && isIP(target.host) === 0 ? target.host : undefined;
  const url = originUrl(target);
  const dialled = dialledAddress(target.ip, url);

  return (options, callback) => {
    if (options.hostname !== dialled) {
      callback(
        new ScopeRefusal(url, `connector asked to dial ${options.hostname}, checked ${target.ip}`),
        null,
      );
      return;
    }
    const decision = decideConnection(guard, target.ip, target.host);
    if (!decision.allowed) {
      callback(new ScopeRefusal(url, decision.reason), null);
      return;
    }
    const socket = base(
      { ...options, ...(servername === undefined ? {} : { servername }) },
      (err, socket) => {
        if (err !== null) {
          callback(classifyNetworkError(err, 'connect'), null);
          return;
        }
        try {
          hooks.connected(socket);
        } catch {
          // A hook failing (e.g. an odd certificate) must not lose the connection it observed.
        }
        callback(null, socket);
      },
    );
    if (socket !== undefined) hooks.connecting(socket);
  };
}
