// The validated scan file (README "Scan file"). The loader turns YAML into this shape with
// every default applied; nothing downstream reads the raw YAML.
import type { Scheme } from '../core/result-schema.js';

export interface Authorisation {
  by: string;
  reference: string;
  contact: string;
  /** ISO date (YYYY-MM-DD); the last day on which a scan may start. */
  validUntil: string;
}

/** One entry of scope.include / scope.exclude / owners[].match, parsed. */
export type ScopeEntry =
  | { kind: 'ip'; text: string; address: string; family: 4 | 6 }
  | { kind: 'cidr'; text: string; network: string; prefix: number; family: 4 | 6 }
  | { kind: 'host'; text: string; name: string } // exact hostname, lower-case, no trailing dot
  | { kind: 'wildcard'; text: string; suffix: string }; // "*.acme.example" → suffix "acme.example"

/** Where a value came from, for error messages raised after loading (e.g. target outside scope). */
export interface SourceRef {
  file: string;
  line: number;
  field: string;
}

export type TargetSpec =
  { kind: 'inline'; value: string; source: SourceRef } | { kind: 'file'; path: string; source: SourceRef };

export interface PortSpec {
  port: number;
  scheme: Scheme;
}

export interface OwnerSpec {
  name: string;
  contact: string | null;
  match: ScopeEntry[];
}

export interface ProbeSettings {
  /** Requests per second over all hosts. */
  rate: number;
  concurrency: number;
  /** Minimum gap between two requests to one IP. */
  hostGapMs: number;
  /** Whole-request budget. */
  timeoutMs: number;
  mode: 'standard' | 'thorough';
  /** DNS servers ("ip" or "ip:port"); empty → the system's. */
  resolvers: string[];
}

export interface ScopeSpec {
  include: ScopeEntry[];
  exclude: ScopeEntry[];
  /**
   * scope.expected_addresses: the IPv4 addresses the author expects the scope to hold; required
   * above a /8 worth (scope/scope-size.ts), and the scope may never hold more.
   */
  expectedAddresses: number | null;
}

export interface ScanFile {
  /** Absolute path of the file as loaded. */
  path: string;
  /** The file's bytes as given, kept for run.json. */
  source: string;
  name: string;
  authorisation: Authorisation;
  scope: ScopeSpec;
  /** Empty → every address of include's ranges and every named host. */
  targets: TargetSpec[];
  ports: PortSpec[];
  owners: OwnerSpec[];
  probe: ProbeSettings;
}

export const PROBE_DEFAULTS: ProbeSettings = {
  rate: 20,
  concurrency: 32,
  hostGapMs: 500,
  timeoutMs: 8000,
  mode: 'standard',
  resolvers: [],
};
