// What one result record says about the machine behind it, for grouping endpoints into servers:
// its address (or, unresolved, its name), the certificate and X-FEServer name it showed, and the
// version it read. The certificate and the header come from the scanned server, so they are used
// only when they have the shape they must have, and are otherwise ignored (no proof).
import type { ProductName, ResultRecord } from '../core/result-schema.js';
import { canonicalIp, parseAddress } from '../core/ip.js';
import { normalizeHostname } from '../core/hostname.js';

/** Longest address or name used as a server base; our engine never writes longer ones. */
const BASE_MAX = 255;

/**
 * The address an endpoint was probed at (canonical text), or — when the name did not resolve —
 * the name: every endpoint of one base is one server.
 */
export function serverBase(r: Pick<ResultRecord, 'ip' | 'host' | 'target'>): string {
  if (r.ip !== null) return canonicalIp(r.ip) ?? r.ip.slice(0, BASE_MAX);
  return normalizeHostname((r.host ?? r.target).slice(0, BASE_MAX));
}

/** SHA-256 fingerprint of the endpoint's certificate as 64 lower-case hex digits; null if none or malformed. */
export function certFingerprint(r: Pick<ResultRecord, 'tls'>): string | null {
  const raw = r.tls?.sha256;
  if (raw === null || raw === undefined || raw.length > 95) return null;
  const hex = raw.replace(/:/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null;
}

// A NetBIOS or DNS host name: what Exchange puts in X-FEServer ("EX16-04", "WIN-F3EI55ILV37").
const FE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

export interface FeServerReading {
  /** The one well-formed X-FEServer name the endpoint sent (upper case: NetBIOS names ignore case). */
  name: string | null;
  /**
   * The endpoint sent more than one name (a load balancer in front of several servers), or a
   * value that is not a host name: its address takes part in no cross-address proof.
   */
  ambiguous: boolean;
}

/** The X-FEServer names among the endpoint's evidence (at most a handful of items are read). */
export function feServerOf(r: Pick<ResultRecord, 'evidence'>): FeServerReading {
  let name: string | null = null;
  let seen = 0;
  for (const e of r.evidence) {
    if (e.signal !== 'x-feserver') continue;
    if (++seen > 8 || e.value.length > 100) return { name: null, ambiguous: true };
    const v = e.value.trim();
    if (!FE_NAME.test(v)) return { name: null, ambiguous: true };
    const upper = v.toUpperCase();
    if (name !== null && name !== upper) return { name: null, ambiguous: true };
    name = upper;
  }
  return { name, ambiguous: false };
}

/** The version an Exchange endpoint read (build null at product precision). */
export interface VersionRead {
  product: ProductName;
  build: string | null;
}

/** The version of an Exchange endpoint's verdict; null for endpoints without a verdict. */
export function versionOf(r: Pick<ResultRecord, 'status' | 'exchange'>): VersionRead | null {
  return r.status !== 'exchange' || r.exchange === null ? null : r.exchange;
}

/**
 * Two readings can come from one machine: the same product, and one build a dotted prefix of the
 * other (15.1.2507 is the CU of 15.1.2507.17) or no build at all. Two different builds cannot.
 */
export function readingsAgree(a: VersionRead, b: VersionRead): boolean {
  if (a.product !== b.product) return false;
  if (a.build === null || b.build === null || a.build === b.build) return true;
  const [short, long] = a.build.length <= b.build.length ? [a.build, b.build] : [b.build, a.build];
  return long.startsWith(`${short}.`);
}

/** Sort key of a server key: IPv4 numerically, then IPv6 numerically, then names. */
function rankOf(key: string): { rank: number; n: bigint | number } {
  const p = parseAddress(key);
  if (p === null) return { rank: 2, n: 0 };
  return p.family === 4 ? { rank: 0, n: p.v4 } : { rank: 1, n: p.v6 };
}

function compareRanked(
  a: string,
  ra: ReturnType<typeof rankOf>,
  b: string,
  rb: ReturnType<typeof rankOf>,
): number {
  if (ra.rank !== rb.rank) return ra.rank - rb.rank;
  if (ra.n !== rb.n) return ra.n < rb.n ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders server keys: IPv4 numerically, then IPv6 numerically, then names. Never locale-dependent. */
export function compareServerKeys(a: string, b: string): number {
  return compareRanked(a, rankOf(a), b, rankOf(b));
}

/** `keys` sorted by compareServerKeys, each key parsed once. */
export function sortServerKeys(keys: readonly string[]): string[] {
  return keys
    .map((k) => ({ k, r: rankOf(k) }))
    .sort((x, y) => compareRanked(x.k, x.r, y.k, y.r))
    .map((x) => x.k);
}
