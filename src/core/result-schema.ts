// The result record `owa-audit/result@1` (README "Run directory and result record"). Every output — results.jsonl, history,
// reports, CSV, exports — is derived from this one type. Change it only additively.

export const RESULT_SCHEMA = 'owa-audit/result@1' as const;

export const ENDPOINT_STATUSES = [
  'exchange',
  'exchange-online',
  'not-exchange',
  'unreachable',
  'error',
] as const;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];

/**
 * Closed list of outcome codes, in the spirit of zgrab2's status list. `unreachable` records carry
 * one of the connection-level codes; `error` records carry the others.
 */
export const ERROR_CODES = [
  'connection-refused', // TCP RST on connect
  'connect-timeout', // no TCP/TLS handshake within connect timeout
  'host-unreachable', // EHOSTUNREACH / ENETUNREACH
  'dns-error', // a hostname target could not be resolved
  'tls-error', // TLS handshake failed
  'timeout', // headers or body did not arrive in time, or the endpoint deadline passed
  'reset', // connection reset or closed mid-response
  'protocol-error', // not HTTP, malformed HTTP
  'response-too-large', // body exceeded the read bound
  'redirect-loop', // a redirect chain revisited a URL or exceeded the hop limit
  'out-of-scope', // every address of the target is outside the authorised scope
  'internal-error', // a bug in owa-audit; the message says what
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes that mean "we never spoke HTTP to it" — such endpoints get status `unreachable`. */
export const UNREACHABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'connection-refused',
  'connect-timeout',
  'host-unreachable',
  'dns-error',
]);

export const PRODUCTS = [
  'Exchange Server 2007',
  'Exchange Server 2010',
  'Exchange Server 2013',
  'Exchange Server 2016',
  'Exchange Server 2019',
  'Exchange Server SE',
] as const;
export type ProductName = (typeof PRODUCTS)[number];

export const PRECISIONS = ['exact', 'cu', 'approximate', 'product'] as const;
/**
 * exact: a 4-part build equal to a published build. cu: a 3-part build (the CU, not the SU).
 * approximate: a 4-part build that is not published (nearest published at or below it is used).
 * product: markers prove the product generation but no number was seen.
 */
export type Precision = (typeof PRECISIONS)[number];

export const PATCH_LEVELS = ['current', 'outdated', 'vulnerable', 'unknown'] as const;
export type PatchLevel = (typeof PATCH_LEVELS)[number];

export const CERTAINTIES = ['confirmed', 'possible'] as const;
export type Certainty = (typeof CERTAINTIES)[number];

/** The CVSS v3.1 qualitative rating of a base score. */
export const CVE_SEVERITIES = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type CveSeverity = (typeof CVE_SEVERITIES)[number];

export interface CveFinding {
  /** A CVE id, or a Microsoft advisory id (ADV190018). */
  id: string;
  kev: boolean;
  certainty: Certainty;
  /**
   * First fixing build on the host's CU line; null when that line never received a fix. Where the
   * fix is a setting, the first build on which the setting closes it.
   */
  fixedIn: string | null;
  /** Short human name, e.g. "ProxyLogon (SSRF)". Additive. */
  name?: string;
  /** Microsoft's CVSS v3 base score; null where Microsoft published none. Additive (records before it lack it). */
  score?: number | null;
  /** The CVSS v3.1 rating of the score; null with the score. Additive. */
  severity?: CveSeverity | null;
  /**
   * On this host's CU line the fix is a setting that is off by default (e.g. "extended-protection"):
   * from `fixedIn` on, the CVE is open until the setting is on, which no build number shows. Additive.
   */
  setting?: string;
}

export interface ExchangeVerdict {
  product: ProductName;
  /** The most precise number seen (4 or 3 parts), normalised (no zero padding); null at `product` precision. */
  build: string | null;
  precision: Precision;
  /** Published update the build is, e.g. "CU23 Jan23SU"; the CU for `cu`; null when unknown. */
  release: string | null;
  releaseDate: string | null;
  patchLevel: PatchLevel;
  certainty: Certainty;
  supported: boolean;
  endOfSupport: string | null;
  /** Newest published build of this product in the data. */
  latest: string | null;
  cves: CveFinding[];
  /** Plain-language caveats (approximate build, disputed build, newer than the data, …). Additive. */
  notes?: string[];
  // Additive (records written before them lack them): facts about the number the verdict was judged from.
  /** The evidence signal that gave `build` (e.g. "x-owa-version", "exporttool-manifest"); absent when unknown. */
  buildSource?: EvidenceSignal;
  /**
   * True when `build` is a component version that is no published build (the export tool
   * manifest): a lower bound — the installed update is that build's update or a later one of its
   * CU, and the verdict covers them all. Absent means false.
   */
  lowerBound?: boolean;
  /**
   * True when the version evidence disagreed (`conflict` evidence says how): the verdict is judged
   * by the older build, with lowered precision and certainty, and is never `current` or
   * `supported`. Absent means false.
   */
  contradicted?: boolean;
}

export const EVIDENCE_SIGNALS = [
  'x-owa-version', // response header, 4 parts
  'owa-asset-path', // /owa/auth/15.1.2507/ in the logon page, 3 parts (2013+)
  'owa-legacy-asset-path', // /owa/14.3.513.0/ or /owa/8.3.485.1/, 4 parts (2007/2010)
  'exporttool-manifest', // ClickOnce manifest assemblyIdentity version, 4 parts
  'ecp-version-dir', // thorough mode: /ecp/<build>/ answered for the installed build
  'logon-page-marker', // <!-- OwaPage = ASP.auth_logon_aspx --> and friends
  'logon-title', // <title>Outlook</title>, Outlook Web App, …
  'owa-redirect', // /owa/ → /owa/auth/logon.aspx?url=…&reason=0
  'x-feserver', // front-end name header (2013+)
  'exchange-online', // Exchange Online marks (sign-in redirect, *.outlook.com back ends, …)
  'server-header', // Server / X-Powered-By, for context
  'redirect-out-of-scope', // a redirect we refused to follow
  'conflict', // two signals disagreed; value says which and how it was resolved
  // Additive (later than the first version of the list):
  'owa-sso-redirect', // /owa/ → AD FS sign-in (wsignin1.0) for this server's OWA
  'service-challenge', // a 401 from an Exchange service path: challenge schemes and Exchange headers on it
  'activesync-version', // MS-Server-ActiveSync header (major.minor; emulators send it too)
  'imitation-suspected', // presented as Exchange but failed corroboration; value says what and why
] as const;
export type EvidenceSignal = (typeof EVIDENCE_SIGNALS)[number];

export interface Evidence {
  signal: EvidenceSignal;
  url: string;
  value: string;
}

export interface TlsInfo {
  subject: string | null;
  issuer: string | null;
  san: string[];
  notBefore: string | null;
  notAfter: string | null;
  sha256: string | null;
  selfSigned: boolean;
  protocol: string | null;
  cipher: string | null;
}

export interface Owner {
  name: string;
  contact: string | null;
}

export interface ResultError {
  code: ErrorCode;
  message: string;
}

export type Scheme = 'https' | 'http';

export interface ResultRecord {
  schema: typeof RESULT_SCHEMA;
  /** As listed in the scan (hostname, IP, or the address expanded from a range). */
  target: string;
  /** Name sent as Host/SNI; null for a bare IP. */
  host: string | null;
  /** Address probed; null only when a hostname target could not be resolved (error dns-error). */
  ip: string | null;
  port: number;
  scheme: Scheme;
  status: EndpointStatus;
  observedAt: string;
  /** Requests sent to this endpoint. */
  requests: number;
  exchange: ExchangeVerdict | null;
  evidence: Evidence[];
  tls: TlsInfo | null;
  owner: Owner | null;
  error: ResultError | null;
}

/** Stable identity of an endpoint: what resume, dedupe, diff and merge key on. */
export function endpointKey(r: Pick<ResultRecord, 'scheme' | 'ip' | 'port' | 'host'>): string {
  const ip = r.ip === null ? '-' : r.ip.includes(':') ? `[${r.ip}]` : r.ip;
  return `${r.scheme}://${ip}:${r.port}${r.host === null ? '' : `#${r.host.toLowerCase()}`}`;
}

/** Who a record is about: what the scan listed and where it was probed. */
export type RecordIdentity = Pick<ResultRecord, 'target' | 'host' | 'ip' | 'port' | 'scheme' | 'owner'>;

/** `unreachable` when we never spoke HTTP (connection-level codes), `error` for everything else. */
export function failureStatus(error: ResultError): EndpointStatus {
  return UNREACHABLE_CODES.has(error.code) ? 'unreachable' : 'error';
}

/** The record of an endpoint that ended in a failure before anything could be judged. */
export function failedRecord(
  id: RecordIdentity,
  error: ResultError,
  probe: { requests: number; tls: TlsInfo | null; observedAt: string },
): ResultRecord {
  return {
    schema: RESULT_SCHEMA,
    target: id.target,
    host: id.host,
    ip: id.ip,
    port: id.port,
    scheme: id.scheme,
    status: failureStatus(error),
    observedAt: probe.observedAt,
    requests: probe.requests,
    exchange: null,
    evidence: [],
    tls: probe.tls,
    owner: id.owner,
    error,
  };
}
