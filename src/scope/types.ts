// Contracts of the scope module. The guard is the one gate every outgoing connection passes:
// the HTTP client asks it right before opening a socket, for targets and redirect hops alike.
import type { Owner, Scheme } from '../results/schema.js';

export type ScopeDecision =
  | { allowed: true }
  | { allowed: false; reason: string }; // e.g. "203.0.113.7 is excluded by scope.exclude[0]"

export interface ScopeGuard {
  /** Pure and synchronous: may a packet go to this IP address (v4 or v6 text)? */
  checkAddress(ip: string): ScopeDecision;
  /**
   * May a request name this host (Host/SNI)? Hostnames must match include (exact or wildcard)
   * and not exclude; IP literals go through checkAddress. Resolution is separate (see Resolver).
   */
  checkHostname(name: string): ScopeDecision;
  /** Resolve a name once and keep only the addresses that checkAddress allows. */
  resolveAllowed(name: string): Promise<{ allowed: string[]; refused: { ip: string; reason: string }[] }>;
}

/** name → addresses (A and AAAA). Injected so tests can point at a loopback DNS server. */
export type Resolver = (name: string) => Promise<string[]>;

/** One endpoint to probe: a target at one address on one port. */
export interface Endpoint {
  /** As listed in the scan (hostname, IP, or the address expanded from a range). */
  target: string;
  /** Name sent as Host/SNI; null for a bare IP. */
  host: string | null;
  ip: string;
  port: number;
  scheme: Scheme;
  owner: Owner | null;
}

/**
 * What target expansion yields: endpoints to probe, or targets that cannot be probed and still
 * need their one record (a name that did not resolve, or resolved only outside the scope).
 */
export type TargetItem =
  | { kind: 'endpoint'; endpoint: Endpoint }
  | {
      kind: 'unprobeable';
      target: string;
      host: string | null;
      ip: string | null;
      port: number;
      scheme: Scheme;
      owner: Owner | null;
      code: 'dns-error' | 'out-of-scope';
      message: string;
    };
