// One HTTP session per endpoint: a short-lived undici Client per origin (keep-alive across the
// endpoint's few requests), GET only, one request at a time, every request through the rate
// gate and the scope guard, bounded in time and size, every failure mapped to a closed-list code.
//
// Read-bound rule: a body longer than `maxBodyBytes` is cut there (`truncated: true`) and the
// connection dropped; that is *not* an error, because what fingerprinting needs sits at the start
// of a page. `response-too-large` is reserved for a response whose head (status line + headers)
// exceeds `maxHeaderBytes`: then nothing useful can be kept.
//
// Per request the session does as little as it can on the main thread: a request goes to undici's
// `dispatch` with a small handler (response.ts) rather than through `client.request` (no
// AbortController, body stream or async iteration per request), everything that belongs to the
// endpoint — origin, Host header, request headers, the timer, one listener on the endpoint's
// signal — is made once per session, and a plain path on the endpoint's own origin is not parsed
// as a URL when the parser would return it unchanged (session-target.ts).
import type { Client as UndiciClient } from 'undici';
import { Client, errors as undiciErrors } from './undici-parts.js';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TlsInfo } from '../core/result-schema.js';
import type { Endpoint, ScopeGuard } from '../scope/types.js';
import type { ProbeResponse } from '../core/probe-types.js';
import { clientOrigin, guardedConnector } from './connector.js';
import type { PausableDeadline } from './deadline.js';
import { classifyNetworkError, type RequestPhase } from './errors.js';
import { ProbeError, ScopeRefusal } from '../core/errors.js';
import { decodeBody, parseRetryAfter } from './http-util.js';
import type { GateTicket, RateGate } from './rate-gate.js';
import { ResponseReader } from './response.js';
import { SessionRoutes, type Route } from './session-routes.js';
import {
  endpointTarget,
  isOriginPath,
  resolveOriginPath,
  resolveRequest,
  sameTarget,
} from './session-target.js';
import { abortReason } from './signals.js';
import { tlsInfoFromSocket } from './tls-info.js';
import { onRequestWrite } from './wire-events.js';

export interface HttpSession {
  /**
   * GET a path on the endpoint's origin, or an absolute http(s) URL (a redirect hop the caller
   * chose to follow). Never follows redirects itself. Rejects with ProbeError; with ScopeRefusal
   * (nothing sent) when the URL is not authorised; with the abort reason on a scan-wide abort.
   */
  get(pathOrUrl: string): Promise<ProbeResponse>;
  /** Requests actually sent (each one reached the network). */
  readonly requests: number;
  /** Peer certificate of the endpoint's first TLS handshake. */
  readonly tls: TlsInfo | null;
}

export interface SessionOptions {
  endpoint: Endpoint;
  guard: ScopeGuard;
  gate: RateGate;
  userAgent: string;
  /** Whole-request budget (connect + headers + body), enforced by the session's own timer. */
  timeoutMs: number;
  /** Body bytes kept per response; beyond → truncated (see the rule above). */
  maxBodyBytes: number;
  /** Hard cap on requests; one more rejects with nothing sent. */
  maxRequests: number;
  /** Scan-wide abort and the whole-endpoint deadline. */
  signal: AbortSignal;
  /** Paused while a request waits at the gate (see deadline.ts). */
  deadline?: PausableDeadline;
  /** Called once per request sent (progress). */
  onRequest?: () => void;
  /** Bound on a response head. Default 32 KiB. */
  maxHeaderBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 512 * 1024;
const DEFAULT_MAX_HEADER_BYTES = 32 * 1024;
const RETRY_AFTER_STATUSES = new Set([429, 503]);
// undici's coarse timers may fire up to ~0.5 s early or late; they are only a backstop behind the
// session's own exact whole-request timer, which decides the code (connect-timeout vs timeout).
const UNDICI_TIMER_SLACK_MS = 1_000;
// The reason a session's clients are destroyed, made once: undici would build a ClientDestroyedError,
// stack trace and all, for every client it destroys without one — every endpoint, on a normal close.
// A request still in flight at close (a probe that ignored its abort) rejects with it, as before.
const SESSION_CLOSED = new undiciErrors.ClientDestroyedError();

export function openSession(opts: SessionOptions): HttpSession & { close(): Promise<void> } {
  const { guard, gate, signal } = opts;
  const main = endpointTarget(opts.endpoint);
  const routes = new SessionRoutes(main, opts.userAgent);
  let requests = 0;
  let tls: TlsInfo | null = null;
  let phase: RequestPhase = 'response';
  let connectingSocket: Socket | null = null;
  let ticket: GateTicket | null = null;
  let closed = false;
  // A function, not the variable: it changes across the awaits of `get`.
  const isClosed = (): boolean => closed;
  /** The request in flight (one at a time), which the timer and the signal abort. */
  let inFlight: ResponseReader | null = null;
  // One whole-request timer per session, re-armed (`refresh`) for each request and unref'd between
  // them: undici's own timers fire up to ~0.5 s late; this one bounds the whole request.
  let timer: NodeJS.Timeout | null = null;
  let listening = false;
  // One request at a time per endpoint: polite, and the phase bookkeeping stays simple.
  let busy = false;
  const waiting: (() => void)[] = [];

  const onTimeout = (): void => {
    const code = phase === 'connect' ? 'connect-timeout' : 'timeout';
    abortInFlight(new ProbeError(code, `no complete response within ${opts.timeoutMs} ms`));
  };
  // The abort of the endpoint's signal, as the session heard of it: read here rather than through
  // the signal's `aborted` getter on every request (a brand check and a lookup each time).
  let heardAbort: Error | null = null;
  const onAbortReason = (reason: Error): void => {
    heardAbort = reason;
    abortInFlight(reason);
  };
  const onAbort = (): void => {
    onAbortReason(abortReason(signal));
  };
  // The engine's endpoint deadline is the session's signal: hear of its abort without a listener.
  const watched = opts.deadline?.signal === signal ? opts.deadline : null;

  /** The reason the endpoint's signal aborted, or null. Listens from the first call on. */
  function abortedWith(): Error | null {
    if (!listening) {
      listening = true;
      if (watched?.watch !== undefined) watched.watch(onAbortReason);
      else if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }
    return heardAbort;
  }
  const onWire = (): void => {
    ticket?.onWire();
  };

  function abortInFlight(reason: Error): void {
    const reader = inFlight;
    if (reader === null) return;
    // undici ignores an abort while it is still connecting: end the handshake ourselves.
    if (phase === 'connect') connectingSocket?.destroy(reason);
    reader.abort(reason);
  }

  function clientOf(route: Route): UndiciClient {
    if (route.client !== null) return route.client;
    const target = route.target;
    const backstopMs = opts.timeoutMs + UNDICI_TIMER_SLACK_MS;
    const connect = guardedConnector(target, guard, backstopMs, {
      connecting: (socket) => {
        phase = 'connect';
        connectingSocket = socket;
      },
      connected: (socket) => {
        phase = 'response';
        connectingSocket = null;
        // The handshake is the first packet of this request; each head written is the request.
        onWire();
        onRequestWrite(socket, onWire);
        if (tls === null && target.scheme === 'https' && sameTarget(target, main)) {
          tls = tlsInfoFromSocket(socket as TLSSocket);
        }
      },
    });
    route.client = new Client(clientOrigin(target), {
      connect,
      pipelining: 1,
      maxHeaderSize: opts.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES,
      headersTimeout: backstopMs,
      bodyTimeout: backstopMs,
    });
    return route.client;
  }

  async function send(route: Route, path: string): Promise<ProbeResponse> {
    phase = 'response';
    const reader = new ResponseReader(opts.maxBodyBytes);
    inFlight = reader;
    if (timer === null) timer = setTimeout(onTimeout, opts.timeoutMs);
    else timer.refresh().ref();
    try {
      // Aborted while it waited at the gate: never sent (undici would not write it either).
      const aborted = abortedWith();
      if (aborted !== null) reader.abort(aborted);
      else clientOf(route).dispatch({ method: 'GET', path, headers: route.headers }, reader);
      const res = await reader.response;
      if (RETRY_AFTER_STATUSES.has(res.status)) {
        const delay = parseRetryAfter(res.headers['retry-after'], Date.now());
        if (delay !== null) gate.backOff(route.target.ip, delay);
      }
      return {
        url: route.urlPrefix + path,
        path,
        status: res.status,
        headers: res.headers,
        body: decodeBody(res.bytes),
        truncated: res.truncated,
      };
    } catch (err) {
      if (reader.abortedWith !== null) throw reader.abortedWith;
      throw classifyNetworkError(err, phase);
    } finally {
      inFlight = null;
      timer.unref();
    }
  }

  async function get(pathOrUrl: string): Promise<ProbeResponse> {
    if (closed) throw new ProbeError('internal-error', 'session already closed');
    const aborted = abortedWith();
    if (aborted !== null) throw aborted;
    let route: Route;
    let path: string;
    if (isOriginPath(pathOrUrl)) {
      path = resolveOriginPath(pathOrUrl, main, guard);
      route = routes.main();
    } else {
      const resolved = await resolveRequest(pathOrUrl, opts.endpoint, guard);
      const abortedMeanwhile = abortedWith(); // it may have waited for DNS
      if (abortedMeanwhile !== null) throw abortedMeanwhile;
      route = routes.to(resolved.target);
      path = resolved.path;
    }
    if (requests >= opts.maxRequests) {
      throw new ProbeError(
        'internal-error',
        `request cap of ${opts.maxRequests} reached; ${route.urlPrefix}${path} not sent`,
      );
    }
    // A turn granted at once needs no pause: no time passes at the gate.
    ticket = gate.tryTurn(route.target.ip);
    if (ticket === null) {
      opts.deadline?.pause();
      try {
        ticket = await gate.turn(route.target.ip, signal);
      } finally {
        opts.deadline?.resume();
      }
    }
    // Closed while it waited at the gate: its clients are gone, and nothing is sent.
    if (isClosed()) throw new ProbeError('internal-error', 'session already closed');
    requests++;
    try {
      const response = await send(route, path);
      opts.onRequest?.();
      return response;
    } catch (err) {
      // Refused inside the connector: no socket was opened, so nothing was sent.
      if (err instanceof ScopeRefusal) requests--;
      else opts.onRequest?.();
      throw err;
    } finally {
      ticket = null;
    }
  }

  async function serialGet(pathOrUrl: string): Promise<ProbeResponse> {
    if (busy) await new Promise<void>((resolve) => waiting.push(resolve));
    busy = true;
    try {
      return await get(pathOrUrl);
    } finally {
      // Hand over to the next caller in order, or free the session.
      const next = waiting.shift();
      if (next === undefined) busy = false;
      else next();
    }
  }

  return {
    get: serialGet,
    get requests() {
      return requests;
    },
    get tls() {
      return tls;
    },
    close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      if (listening) {
        if (watched?.unwatch !== undefined) watched.unwatch(onAbortReason);
        else signal.removeEventListener('abort', onAbort);
      }
      listening = false;
      const all = routes.takeClients();
      if (all.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        let left = all.length;
        const done = (): void => {
          if (--left === 0) resolve();
        };
        for (const c of all) c.destroy(SESSION_CLOSED, done);
      });
    },
  };
}
