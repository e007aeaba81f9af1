// Contracts of the scope module. The guard is the one gate every outgoing connection passes:
// the HTTP client asks it right before opening a socket, for targets and redirect hops alike.
import type { Owner, Scheme } from '../core/result-schema.js';

export type ScopeDecision = { allowed: true } | { allowed: false; reason: string }; // e.g. "203.0.113.7 is excluded by scope.exclude[0]"

export interface ScopeGuard {
  /**
   * Address rules alone: inside an include range (CIDR or IP literal), not excluded, and not
   * refused by the built-in rules (multicast/unspecified/broadcast never; private, loopback and
   * link-local only when an include *range* contains them).
   */
  checkAddress(ip: string): ScopeDecision;
  /** Name rules alone: matches an include hostname or `*.domain` wildcard and no exclude entry. */
  checkHostname(name: string): ScopeDecision;
  /**
   * The gate called right before a socket is opened (targets and redirect hops alike).
   * Allowed when the address passes checkAddress, or when `host` passes checkHostname and `ip`
   * is one of the addresses resolveAllowed() returned for it (never an excluded address, never
   * one refused by the built-in rules).
   */
  checkConnection(ip: string, host: string | null): ScopeDecision;
  /** Resolve a name once (cached) and split its addresses into allowed and refused. */
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
