// Public shapes of the simulated fleet: what a caller asks for (specs), what a profile is, and what
// a running fleet hands back (hosts with their hand-written expectations, the request log, DNS).
import type {
  Certainty,
  EndpointStatus,
  ErrorCode,
  EvidenceSignal,
  PatchLevel,
  Precision,
  ProductName,
  Scheme,
} from '../core/result-schema.js';
import type { ProfileId } from './catalogue.js';

/**
 * What a correct scanner must conclude from the responses a profile gives. Written by hand from
 * the reference facts, never computed by the project's fingerprinting or classification code.
 */
export interface HostExpectation {
  status: EndpointStatus;
  product?: ProductName;
  /** Normalised build as the record must show it (4 or 3 parts). */
  build?: string;
  precision?: Precision;
  /** The record's error code, for hosts that cannot be fingerprinted. */
  error?: ErrorCode;
  /** Evidence signals the record must carry (only listed where they are the point of the host). */
  signals?: EvidenceSignal[];
  /** Other outcomes that are equally correct where the contract leaves a documented choice. */
  alsoAcceptable?: { status: EndpointStatus; error?: ErrorCode }[];
  /** One sentence: which responses justify the expectation. */
  why: string;
  // The fields below are checked only where given (the replayed captures state them).
  /** Evidence signals the record must not carry. */
  absentSignals?: EvidenceSignal[];
  /** `exchange.contradicted`: the version evidence disagreed. */
  contradicted?: boolean;
  /** `exchange.lowerBound`: the build is a component version, a lower bound of the installed update. */
  lowerBound?: boolean;
  supported?: boolean;
  patchLevel?: PatchLevel;
  /** Patch levels the verdict must not have (e.g. never `current` on contradicted evidence). */
  notPatchLevels?: PatchLevel[];
  certainty?: Certainty;
  /** CVEs that must be listed, with their certainty. */
  cves?: { id: string; certainty: Certainty }[];
}

export type FleetCertName = 'main' | 'expired' | 'hostile';

interface ProfileBase {
  /** Catalogue id (or a caller's own id for a custom profile). */
  id: string;
  /** Certificate served on https ports. */
  tls: FleetCertName;
  expect: HostExpectation;
  /** Overrides `expect` on http ports (hosts whose behaviour differs by scheme). */
  expectHttp?: HostExpectation;
  /** What thorough mode (ECP version-directory checks) must conclude, when it differs from `expect`. */
  expectThorough?: HostExpectation;
}

/** Exchange 2013, 2016, 2019 and SE: the 2013+ OWA flow (see respond/exchange.ts). */
export interface ExchangeProfile extends ProfileBase {
  kind: 'exchange';
  product: ProductName;
  /** The 4-part build the simulated server runs (ExSetup); its first 3 parts are the asset path. */
  installed: string;
  /** `X-OWA-Version` value on the 401s of autodiscover/EWS/ActiveSync; null: never sent. */
  owaVersion: string | null;
  /** Spelling of that header name (a proxy in front may lower-case it). */
  owaVersionHeader?: string;
  /** ECP exporttool ClickOnce manifest; null: 404. `version` is a component version. */
  manifest: { version: string; token: string } | null;
  /** `Server` header, e.g. "Microsoft-IIS/10.0". */
  server: string;
  /** Front-end name style: "WIN-…" (setup default) or "EX19-03"-like. */
  feServer: 'win' | 'ex';
  /** Hostile-markup payloads replacing the clean values (the report escaping tests). */
  markup?: { title: string; feServerRedirect: string; feServer401: string; server: string };
  /** 429 with Retry-After to every request in the first `seconds` after the host's first request. */
  retryAfterSeconds?: number;
}

/** Exchange 2007 and 2010: 4-part asset paths and X-OWA-Version on OWA pages. */
export interface LegacyExchangeProfile extends ProfileBase {
  kind: 'exchange-legacy';
  product: 'Exchange Server 2007' | 'Exchange Server 2010';
  build: string;
  /** Send `X-OWA-Version: <build>` on OWA responses. */
  sendsOwaVersion: boolean;
  /** Status of /owa/auth/logon.aspx (2007 may answer 400 and still show its version). */
  logonStatus: 200 | 400;
  server: string;
}

export interface ExchangeOnlineProfile extends ProfileBase {
  kind: 'exchange-online';
}

/** Ordinary web servers and a header imitator (a C2-like server with one Exchange header). */
export interface WebProfile extends ProfileBase {
  kind: 'iis-default' | 'nginx-default' | 'apache-404' | 'imitator' | 'sentinel';
  /** Extra headers sent on every response (the imitator's borrowed Exchange header). */
  headers?: [string, string][];
}

export interface HostileProfile extends ProfileBase {
  kind:
    'tarpit' | 'reset' | 'garbage' | 'slow-drip' | 'huge-body' | 'redirect-loop' | 'redirect-out-of-scope';
  /** redirect-out-of-scope: the Location of /owa/ (an address outside the scan's scope). */
  target?: string;
  /** huge-body: bytes declared and streamed (default 50 MiB). */
  bodyBytes?: number;
  /** slow-drip: milliseconds per byte (default 1000) and the most bytes sent (default 300). */
  dripIntervalMs?: number;
  dripMaxBytes?: number;
}

/** A host that answers from a recorded capture (see replay/transcript.ts and respond/replay.ts). */
export interface ReplayProfile extends ProfileBase {
  kind: 'replay';
  transcript: Transcript;
}

export type Profile =
  | ExchangeProfile
  | LegacyExchangeProfile
  | ExchangeOnlineProfile
  | WebProfile
  | HostileProfile
  | ReplayProfile;
export type ProfileKind = Profile['kind'];

export interface FleetPortSpec {
  port: number;
  scheme: Scheme;
}

export interface FleetHostSpec {
  /** A loopback address (127.0.0.0/8 or ::1); one listening socket per (ip, port). */
  ip: string;
  /** DNS name answered by the fleet's DNS server, and used in expectations' Host. */
  name?: string;
  /** More names for the same address (a name given to several hosts resolves to all of them). */
  aliases?: string[];
  profile: ProfileId | Profile;
  ports: FleetPortSpec[];
}

export interface FleetDnsOptions {
  ip: string;
  port: number;
  /** Extra name → addresses (A for IPv4, AAAA for IPv6), e.g. names that resolve out of scope. */
  records?: Record<string, string[]>;
}

export interface FleetOptions {
  hosts: FleetHostSpec[];
  /** Everything closes by itself after this long (default 10 minutes). */
  lifetimeMs?: number;
  dns?: FleetDnsOptions;
  /** Request-log timestamp ring capacity (default 100,000 entries ≈ 1.6 MB; 0 keeps counters only). */
  logCapacity?: number;
}

/**
 * How an http port of a host behaves: `serve` answers like the https ports; `redirect-https`
 * (hosts that also have an https port) sends every request to the same path on https.
 */
export type PortRole = 'serve' | 'redirect-https';

export interface RunningPort {
  port: number;
  scheme: Scheme;
  role: PortRole;
  /** Origin of the endpoint, e.g. "https://127.10.0.1:18443". */
  origin: string;
  expect: HostExpectation;
}

export interface RunningHost {
  ip: string;
  name: string | null;
  aliases: string[];
  profile: Profile;
  ports: RunningPort[];
  /** Expectation of the host's first port (see ports[].expect for per-scheme differences). */
  expect: HostExpectation;
  /** Expectation in thorough mode (equals `expect` unless the profile says otherwise). */
  expectThorough: HostExpectation;
}

/** One logged request: server-side arrival time in epoch milliseconds (fractional). */
export interface FleetRequest {
  ip: string;
  port: number;
  path: string;
  t: number;
}

export interface EndpointCount {
  ip: string;
  port: number;
  connections: number;
  requests: number;
  /** Requests per path (path without query, as sent; at most 64 distinct paths per endpoint, then "(other)"). */
  paths: ReadonlyMap<string, number>;
}

export interface LogFilter {
  ip?: string;
  port?: number;
}

/**
 * Server-side record of what the fleet received. Counters per endpoint are exact and unbounded in
 * time; timestamps live in a ring of `capacity` entries (the oldest are overwritten, `dropped`
 * counts them). Raw hostile hosts count connections; garbage and slow-drip also log one request
 * with path "*" when a request's first bytes arrive; the tarpit and reset hosts log none.
 */
export interface FleetRequestLog {
  readonly requests: number;
  readonly connections: number;
  readonly capacity: number;
  readonly dropped: number;
  /** Requests to an address (all ports), one endpoint, or one path of an endpoint. */
  count(ip: string, port?: number, path?: string): number;
  connectionsTo(ip: string, port?: number): number;
  /** Endpoints that saw at least one connection. */
  endpoints(): EndpointCount[];
  maxRequestsPerEndpoint(): number;
  /** Retained entries, oldest first. */
  entries(filter?: LogFilter): FleetRequest[];
  /** Most requests in any window of `windowMs` (sliding, over retained entries). */
  maxInWindow(windowMs: number, filter?: LogFilter): number;
  /** Smallest gap between two consecutive requests to one address (retained entries); null below 2. */
  minGapMs(ip: string): number | null;
  reset(): void;
}

export interface Fleet {
  hosts: RunningHost[];
  requestLog: FleetRequestLog;
  dns: { ip: string; port: number } | null;
  /** Resolves once everything is closed (by stop() or at the end of the lifetime). */
  closed: Promise<void>;
  host(ip: string): RunningHost | undefined;
  stop(): Promise<void>;
}

/** One request and its captured response in a replay transcript (replay/transcript.ts reads them). */
export interface ReplayExchange {
  /** Method as captured (provenance: the replay answers by path, whatever the method). */
  method: string;
  /** Scheme of an absolute-form target; null: both schemes. */
  scheme: Scheme | null;
  /** Path as captured, without the query; for a prefix target, without the trailing `*`. */
  path: string;
  /** Query without "?" (null: none given). */
  query: string | null;
  /** The target ended in `*`: every path starting with `path` (the capture says so). */
  prefix: boolean;
  /** Block notes (`#` lines after the request line). */
  notes: string[];
  status: number;
  /** Reason phrase as captured ("" when the status line had none, e.g. HTTP/2). */
  reason: string;
  /** Response headers in captured order and case; repeated headers are separate entries. */
  headers: [string, string][];
  body: string;
  /** 1-based line of the request line in the file. */
  line: number;
}

export interface Transcript {
  name: string;
  /** File the transcript was read from (for messages), or "<text>". */
  file: string;
  /** `#` lines of the header: where the capture comes from. */
  provenance: string[];
  /** What the capture represents, in the words of its index. */
  represents: string | null;
  /** Host names or addresses the capture calls its own: rewritten to the replay host's origin. */
  self: string[];
  expect: HostExpectation;
  exchanges: ReplayExchange[];
}
