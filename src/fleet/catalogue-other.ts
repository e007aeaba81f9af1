// Exchange Online, ordinary web servers, a header imitator and the hostile hosts. Expectations
// are hand-written; where the result contract leaves a choice to the engine (how a TLS stall or a
// 50 MB body is classified) the alternatives are listed in `alsoAcceptable` with the reason.
import type { ExchangeOnlineProfile, HostileProfile, WebProfile } from './types.js';

export const ONLINE_PROFILES = {
  'exchange-online': {
    id: 'exchange-online',
    kind: 'exchange-online',
    tls: 'main',
    expect: {
      status: 'exchange-online',
      why: 'outlook.office365.com-like: X-CalculatedBETarget …PROD.OUTLOOK.COM, X-BEServer GV1P191MB2243, X-BeSku on every response; /owa/ redirects to login.microsoftonline.com',
    },
  },
} satisfies Record<string, ExchangeOnlineProfile>;

const NOT_EXCHANGE = 'not-exchange' as const;

export const WEB_PROFILES = {
  'iis-default': {
    id: 'iis-default',
    kind: 'iis-default',
    tls: 'main',
    expect: {
      status: NOT_EXCHANGE,
      why: 'IIS 10 welcome page ("IIS Windows Server") on /, IIS 404 for /owa/ and everything else',
    },
  },
  'nginx-default': {
    id: 'nginx-default',
    kind: 'nginx-default',
    tls: 'main',
    expect: { status: NOT_EXCHANGE, why: '"Welcome to nginx!" on /, nginx 404 elsewhere' },
  },
  'apache-404': {
    id: 'apache-404',
    kind: 'apache-404',
    tls: 'main',
    expect: { status: NOT_EXCHANGE, why: 'Apache 404 for every path' },
  },
  'imitator-owa-version': {
    id: 'imitator-owa-version',
    kind: 'imitator',
    tls: 'main',
    headers: [['X-OWA-Version', '15.1.2507.6']],
    expect: {
      status: NOT_EXCHANGE,
      why: 'a C2-like server: X-OWA-Version on a 200 for every path, but no OWA redirect, no logon page, no 401s — one header is not proof',
    },
  },
  'imitator-feserver': {
    id: 'imitator-feserver',
    kind: 'imitator',
    tls: 'main',
    headers: [['X-FEServer', 'EXCH01']],
    expect: {
      status: NOT_EXCHANGE,
      why: 'X-FEServer on a 200 for every path and nothing else Exchange-shaped',
    },
  },
  sentinel: {
    id: 'sentinel',
    kind: 'sentinel',
    tls: 'main',
    expect: {
      status: NOT_EXCHANGE,
      why: 'the out-of-scope listener (redirect and DNS targets): a correct scan never connects to it — requestLog.connectionsTo(ip) stays 0',
    },
  },
} satisfies Record<string, WebProfile>;

export const HOSTILE_PROFILES = {
  tarpit: {
    id: 'tarpit',
    kind: 'tarpit',
    tls: 'main',
    expect: {
      status: 'unreachable',
      error: 'connect-timeout',
      why: 'accepts TCP and never sends a byte, so the TLS handshake never completes (schema: connect-timeout = no TCP/TLS handshake in time)',
    },
    expectHttp: {
      status: 'error',
      error: 'timeout',
      why: 'accepts TCP, reads the request, never answers: no headers in time',
    },
  },
  reset: {
    id: 'reset',
    kind: 'reset',
    tls: 'main',
    expect: {
      status: 'error',
      error: 'reset',
      alsoAcceptable: [{ status: 'error', error: 'tls-error' }],
      why: 'TCP RST right after accept; on https it lands during the TLS handshake, which an engine may report as tls-error',
    },
    expectHttp: { status: 'error', error: 'reset', why: 'TCP RST right after accept' },
  },
  garbage: {
    id: 'garbage',
    kind: 'garbage',
    tls: 'main',
    expect: {
      status: 'error',
      error: 'protocol-error',
      why: 'answers a request (inside TLS on https) with 2 KiB of random non-HTTP bytes, then closes',
    },
  },
  'slow-drip': {
    id: 'slow-drip',
    kind: 'slow-drip',
    tls: 'main',
    dripIntervalMs: 1000,
    dripMaxBytes: 300,
    expect: {
      status: 'error',
      error: 'timeout',
      why: 'sends an HTTP response one byte per second (at most 300 bytes): headers never complete in time',
    },
  },
  'huge-body': {
    id: 'huge-body',
    kind: 'huge-body',
    tls: 'main',
    bodyBytes: 50 * 1024 * 1024,
    expect: {
      status: 'error',
      error: 'response-too-large',
      alsoAcceptable: [{ status: 'not-exchange' }],
      why: 'every path answers 200 with a 50 MiB body (streamed with backpressure); an engine that keeps a bounded prefix may instead judge that prefix: not Exchange',
    },
  },
  'redirect-loop': {
    id: 'redirect-loop',
    kind: 'redirect-loop',
    tls: 'main',
    expect: {
      status: 'error',
      error: 'redirect-loop',
      why: '/owa/ → /owa/x → /owa/ … (302, same origin); everything else IIS 404',
    },
  },
  'redirect-out-of-scope': {
    id: 'redirect-out-of-scope',
    kind: 'redirect-out-of-scope',
    tls: 'main',
    target: 'https://127.250.0.1/owa/',
    expect: {
      status: NOT_EXCHANGE,
      signals: ['redirect-out-of-scope'],
      why: '/owa/ redirects to an address outside the scope (never followed, recorded as evidence); everything else IIS 404',
    },
  },
} satisfies Record<string, HostileProfile>;
