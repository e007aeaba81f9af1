// What history and diff know about one endpoint in one run: the columns of the results table,
// as a plain object. Built from a result record when a run is recorded and read back from the
// database for diffs; the full record stays in record_json for anything else.
import {
  CERTAINTIES,
  ENDPOINT_STATUSES,
  ERROR_CODES,
  PATCH_LEVELS,
  PRECISIONS,
  PRODUCTS,
  endpointKey,
  type Certainty,
  type EndpointStatus,
  type ErrorCode,
  type Owner,
  type PatchLevel,
  type Precision,
  type ProductName,
  type ResultRecord,
  type Scheme,
} from '../core/result-schema.js';

export interface EndpointVerdict {
  product: ProductName;
  build: string | null;
  precision: Precision;
  release: string | null;
  patchLevel: PatchLevel;
  certainty: Certainty;
  supported: boolean;
  kevCves: string[];
  cveCount: number;
}

export interface EndpointState {
  key: string;
  target: string;
  host: string | null;
  ip: string | null;
  port: number;
  scheme: Scheme;
  status: EndpointStatus;
  errorCode: ErrorCode | null;
  observedAt: string;
  owner: Owner | null;
  /** Null unless the endpoint is on-premises Exchange with a verdict. */
  verdict: EndpointVerdict | null;
}

export function stateOf(r: ResultRecord): EndpointState {
  const v = r.exchange;
  return {
    key: endpointKey(r),
    target: r.target,
    host: r.host,
    ip: r.ip,
    port: r.port,
    scheme: r.scheme,
    status: r.status,
    errorCode: r.error?.code ?? null,
    observedAt: r.observedAt,
    owner: r.owner,
    verdict:
      r.status !== 'exchange' || v === null
        ? null
        : {
            product: v.product,
            build: v.build,
            precision: v.precision,
            release: v.release,
            patchLevel: v.patchLevel,
            certainty: v.certainty,
            supported: v.supported,
            kevCves: v.cves.filter((c) => c.kev).map((c) => c.id),
            cveCount: v.cves.length,
          },
  };
}

/** One row of the results table, as better-sqlite3 returns it (column names as in the schema). */
export interface ResultRow {
  endpoint_key: string;
  target: string;
  host: string | null;
  ip: string | null;
  port: number;
  scheme: string;
  status: string;
  error_code: string | null;
  observed_at: string;
  owner_name: string | null;
  owner_contact: string | null;
  product: string | null;
  build: string | null;
  precision: string | null;
  release_name: string | null;
  patch_level: string | null;
  certainty: string | null;
  supported: number | null;
  kev_cves: string | null;
  cve_count: number;
}

export const RESULT_COLUMNS = [
  'endpoint_key',
  'target',
  'host',
  'ip',
  'port',
  'scheme',
  'status',
  'error_code',
  'observed_at',
  'owner_name',
  'owner_contact',
  'product',
  'build',
  'precision',
  'release_name',
  'patch_level',
  'certainty',
  'supported',
  'kev_cves',
  'cve_count',
] as const satisfies readonly (keyof ResultRow)[];

/** The row for a state (record_json and run_id are added by the caller). */
export function rowOf(s: EndpointState): ResultRow {
  const v = s.verdict;
  return {
    endpoint_key: s.key,
    target: s.target,
    host: s.host,
    ip: s.ip,
    port: s.port,
    scheme: s.scheme,
    status: s.status,
    error_code: s.errorCode,
    observed_at: s.observedAt,
    owner_name: s.owner?.name ?? null,
    owner_contact: s.owner?.contact ?? null,
    product: v?.product ?? null,
    build: v?.build ?? null,
    precision: v?.precision ?? null,
    release_name: v?.release ?? null,
    patch_level: v?.patchLevel ?? null,
    certainty: v?.certainty ?? null,
    supported: v === null ? null : v.supported ? 1 : 0,
    kev_cves: v === null ? null : v.kevCves.join(';'),
    cve_count: v?.cveCount ?? 0,
  };
}

const oneOf = <T extends string>(list: readonly T[], v: string | null): T | null =>
  v !== null && (list as readonly string[]).includes(v) ? (v as T) : null;

/** Reads a row back; values outside the closed lists (a foreign or damaged row) degrade, never throw. */
export function stateFromRow(row: ResultRow): EndpointState {
  const product = oneOf(PRODUCTS, row.product);
  const status = oneOf(ENDPOINT_STATUSES, row.status) ?? 'error';
  return {
    key: row.endpoint_key,
    target: row.target,
    host: row.host,
    ip: row.ip,
    port: row.port,
    scheme: row.scheme === 'http' ? 'http' : 'https',
    status,
    errorCode: oneOf(ERROR_CODES, row.error_code),
    observedAt: row.observed_at,
    owner: row.owner_name === null ? null : { name: row.owner_name, contact: row.owner_contact },
    verdict:
      status !== 'exchange' || product === null
        ? null
        : {
            product,
            build: row.build,
            precision: oneOf(PRECISIONS, row.precision) ?? 'product',
            release: row.release_name,
            patchLevel: oneOf(PATCH_LEVELS, row.patch_level) ?? 'unknown',
            certainty: oneOf(CERTAINTIES, row.certainty) ?? 'possible',
            supported: row.supported === 1,
            kevCves: row.kev_cves === null || row.kev_cves === '' ? [] : row.kev_cves.split(';'),
            cveCount: row.cve_count,
          },
  };
}
