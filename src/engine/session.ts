// One HTTP session per endpoint: a short-lived undici Client per origin (keep-alive across the
// endpoint's few requests), GET only, one request at a time, every request through the rate
// gate and the scope guard, bounded in time and size, every failure mapped to a closed-list code.
//
// Read-bound rule: a body longer than `maxBodyBytes` is cut there (`truncated: true`) and the
// connection dropped; that is *not* an error, because what fingerprinting needs sits at the start
// of a page. `response-too-large` is reserved for a response whose head (status line + headers)
// exceeds `maxHeaderBytes`: then nothing useful can be kept.
import { Client, errors as undiciErrors } from 'undici';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TlsInfo } from '../core/result-schema.js';
import type { Endpoint, ScopeGuard } from '../scope/types.js';
import type { ProbeResponse } from '../core/probe-types.js';
import { guardedConnector, originUrl, type ConnectTarget } from './connector.js';
import type { PausableDeadline } from './deadline.js';
import { classifyNetworkError, type RequestPhase } from './errors.js';
import { ProbeError, ScopeRefusal } from '../core/errors.js';
import {
  decodeBody,
  hostHeader,
  normaliseHeaders,
  parseRetryAfter,
  readBounded,
  requestUrl,
} from './http-util.js';
import type { GateTicket, RateGate } from './rate-gate.js';
import { endpointTarget, resolveRequest, sameTarget } from './session-target.js';
import { abortReason, linkedController, throwIfAborted, untilAborted } from './signals.js';
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
  /** Whole-request budget (connect + headers + body), enforced with an AbortSignal too. */
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
  const main = endpointTarget(opts.endpoint);
  const clients = new Map<string, Client>();
  let requests = 0;
  let tls: TlsInfo | null = null;
  let phase: RequestPhase = 'response';
  let connectingSocket: Socket | null = null;
  let ticket: GateTicket | null = null;
  let closed = false;
  // One request at a time per endpoint: polite, and the phase bookkeeping stays simple.
  let queue: Promise<unknown> = Promise.resolve();

  function clientFor(target: ConnectTarget): Client {
    const key = `${originUrl(target)}#${target.host ?? ''}`;
    let client = clients.get(key);
    if (client === undefined) {
      const backstopMs = opts.timeoutMs + UNDICI_TIMER_SLACK_MS;
      const connect = guardedConnector(target, opts.guard, backstopMs, {
        connecting: (socket) => {
          phase = 'connect';
          connectingSocket = socket;
        },
        connected: (socket) => {
          phase = 'response';
          connectingSocket = null;
          // The handshake is the first packet of this request; each head written is the request.
          ticket?.onWire();
          onRequestWrite(socket, () => ticket?.onWire());
          if (tls === null && target.scheme === 'https' && sameTarget(target, main)) {
            tls = tlsInfoFromSocket(socket as TLSSocket);
          }
        },
      });
      client = new Client(originUrl(target), {
        connect,
        pipelining: 1,
        maxHeaderSize: opts.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES,
        headersTimeout: backstopMs,
        bodyTimeout: backstopMs,
      });
      clients.set(key, client);
    }
    return client;
  }

  async function send(target: ConnectTarget, path: string): Promise<ProbeResponse> {
    const url = requestUrl(target, path);
    const request = linkedController(opts.signal);
    phase = 'response';
    // undici's own timers fire up to ~0.5 s late; this one bounds the whole request.
    const timer = setTimeout(() => {
      const code = phase === 'connect' ? 'connect-timeout' : 'timeout';
      request.abort(new ProbeError(code, `no complete response within ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    // undici ignores an abort while it is still connecting: end the handshake ourselves.
    const stopConnecting = (): void => {
      if (phase === 'connect') connectingSocket?.destroy(abortReason(request.signal));
    };
    request.signal.addEventListener('abort', stopConnecting, { once: true });
    try {
      const pending = clientFor(target).request({
        method: 'GET',
        path,
        headers: { host: hostHeader(target), 'user-agent': opts.userAgent, accept: '*/*' },
        signal: request.signal,
      });
      // Should undici answer after we gave up, drop the response rather than leak it.
      pending.then(
        (late) => (request.signal.aborted ? late.body.destroy() : undefined),
        () => undefined,
      );
      const res = await untilAborted(pending, request.signal);
      const { bytes, truncated } = await readBounded(res.body, opts.maxBodyBytes);
      const headers = normaliseHeaders(res.headers);
      if (RETRY_AFTER_STATUSES.has(res.statusCode)) {
        const delay = parseRetryAfter(headers['retry-after'], Date.now());
        if (delay !== null) opts.gate.backOff(target.ip, delay);
      }
      return { url, path, status: res.statusCode, headers, body: decodeBody(bytes), truncated };
    } catch (err) {
      if (request.signal.aborted) throw abortReason(request.signal);
      throw classifyNetworkError(err, phase);
    } finally {
      clearTimeout(timer);
      request.signal.removeEventListener('abort', stopConnecting);
      request.dispose();
    }
  }

  async function get(pathOrUrl: string): Promise<ProbeResponse> {
    if (closed) throw new ProbeError('internal-error', 'session already closed');
    throwIfAborted(opts.signal);
    const { target, path } = await resolveRequest(pathOrUrl, opts.endpoint, opts.guard);
    if (requests >= opts.maxRequests) {
      throw new ProbeError(
        'internal-error',
        `request cap of ${opts.maxRequests} reached; ${requestUrl(target, path)} not sent`,
      );
    }
    opts.deadline?.pause();
    try {
      ticket = await opts.gate.turn(target.ip, opts.signal);
    } finally {
      opts.deadline?.resume();
    }
    requests++;
    try {
      const response = await send(target, path);
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

  return {
    get(pathOrUrl) {
      const result = queue.then(() => get(pathOrUrl));
      queue = result.catch(() => undefined);
      return result;
    },
    get requests() {
      return requests;
    },
    get tls() {
      return tls;
    },
    close() {
      closed = true;
      if (clients.size === 0) return Promise.resolve();
      const all = [...clients.values()];
      clients.clear();
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
