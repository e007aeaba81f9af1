// Checks the shape of one results.jsonl record before the report trusts its structure. The values
// inside stay hostile text (escaped later); this only guarantees that a string is a string, a list
// a list, and a closed vocabulary one of its words, so a damaged or foreign line cannot crash the
// templates (which run in strict mode) or smuggle in a non-string where a string is printed.
import {
  CERTAINTIES,
  CVE_SEVERITIES,
  ENDPOINT_STATUSES,
  ERROR_CODES,
  EVIDENCE_SIGNALS,
  PATCH_LEVELS,
  PRECISIONS,
  PRODUCTS,
  RESULT_SCHEMA,
  type CveFinding,
  type Evidence,
  type ExchangeVerdict,
  type Owner,
  type ResultError,
  type ResultRecord,
  type TlsInfo,
} from '../core/result-schema.js';

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const oneOf = <T extends string>(list: readonly T[], v: unknown): T | null =>
  typeof v === 'string' && (list as readonly string[]).includes(v) ? (v as T) : null;
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

function cveOf(v: unknown): CveFinding | null {
  if (!isObj(v) || typeof v.id !== 'string') return null;
  const certainty = oneOf(CERTAINTIES, v.certainty) ?? 'possible';
  const cve: CveFinding = { id: v.id, kev: v.kev === true, certainty, fixedIn: strOrNull(v.fixedIn) };
  if (typeof v.name === 'string') cve.name = v.name;
  if (typeof v.score === 'number' && v.score >= 0 && v.score <= 10) cve.score = v.score;
  else if (v.score === null) cve.score = null;
  const severity = oneOf(CVE_SEVERITIES, v.severity);
  if (severity !== null) cve.severity = severity;
  else if (v.severity === null) cve.severity = null;
  // After score and severity, the order classify writes them in: merged shards equal the whole scan.
  if (typeof v.setting === 'string') cve.setting = v.setting;
  return cve;
}

function verdictOf(v: unknown): ExchangeVerdict | null {
  if (!isObj(v)) return null;
  const product = oneOf(PRODUCTS, v.product);
  if (product === null) return null;
  const verdict: ExchangeVerdict = {
    product,
    build: strOrNull(v.build),
    precision: oneOf(PRECISIONS, v.precision) ?? 'product',
    release: strOrNull(v.release),
    releaseDate: strOrNull(v.releaseDate),
    patchLevel: oneOf(PATCH_LEVELS, v.patchLevel) ?? 'unknown',
    certainty: oneOf(CERTAINTIES, v.certainty) ?? 'possible',
    supported: v.supported === true,
    endOfSupport: strOrNull(v.endOfSupport),
    latest: strOrNull(v.latest),
    cves: Array.isArray(v.cves) ? v.cves.map(cveOf).filter((c): c is CveFinding => c !== null) : [],
  };
  const notes = strings(v.notes);
  if (notes.length > 0) verdict.notes = notes;
  const source = oneOf(EVIDENCE_SIGNALS, v.buildSource);
  if (source !== null) verdict.buildSource = source;
  if (v.lowerBound === true) verdict.lowerBound = true;
  if (v.contradicted === true) verdict.contradicted = true;
  return verdict;
}

function evidenceOf(v: unknown): Evidence | null {
  if (!isObj(v)) return null;
  const signal = oneOf(EVIDENCE_SIGNALS, v.signal);
  if (signal === null || typeof v.url !== 'string' || typeof v.value !== 'string') return null;
  return { signal, url: v.url, value: v.value };
}

function tlsOf(v: unknown): TlsInfo | null {
  if (!isObj(v)) return null;
  return {
    subject: strOrNull(v.subject),
    issuer: strOrNull(v.issuer),
    san: strings(v.san),
    notBefore: strOrNull(v.notBefore),
    notAfter: strOrNull(v.notAfter),
    sha256: strOrNull(v.sha256),
    selfSigned: v.selfSigned === true,
    protocol: strOrNull(v.protocol),
    cipher: strOrNull(v.cipher),
  };
}

function ownerOf(v: unknown): Owner | null {
  if (!isObj(v) || typeof v.name !== 'string' || v.name === '') return null;
  return { name: v.name, contact: strOrNull(v.contact) };
}

function errorOf(v: unknown): ResultError | null {
  if (!isObj(v)) return null;
  // An unknown code from a newer engine still deserves a row: shown as internal-error with its text.
  const code = oneOf(ERROR_CODES, v.code) ?? 'internal-error';
  const message = typeof v.message === 'string' ? v.message : '';
  return {
    code,
    message:
      oneOf(ERROR_CODES, v.code) === null && typeof v.code === 'string' ? `${v.code}: ${message}` : message,
  };
}

/** A structurally sound ResultRecord, or null when the line is not one. */
export function recordFrom(raw: unknown): ResultRecord | null {
  if (!isObj(raw) || raw.schema !== RESULT_SCHEMA) return null;
  const status = oneOf(ENDPOINT_STATUSES, raw.status);
  const scheme = raw.scheme === 'http' || raw.scheme === 'https' ? raw.scheme : null;
  if (status === null || scheme === null || typeof raw.target !== 'string') return null;
  if (typeof raw.port !== 'number' || !Number.isInteger(raw.port) || raw.port < 0 || raw.port > 65535)
    return null;
  const exchange = status === 'exchange' ? verdictOf(raw.exchange) : null;
  return {
    schema: RESULT_SCHEMA,
    target: raw.target,
    host: strOrNull(raw.host),
    ip: strOrNull(raw.ip),
    port: raw.port,
    scheme,
    // An "exchange" record without a readable verdict is shown as such, never dropped.
    status,
    observedAt: strOrNull(raw.observedAt) ?? '',
    requests: typeof raw.requests === 'number' && Number.isFinite(raw.requests) ? raw.requests : 0,
    exchange,
    evidence: Array.isArray(raw.evidence)
      ? raw.evidence.map(evidenceOf).filter((e): e is Evidence => e !== null)
      : [],
    tls: tlsOf(raw.tls),
    owner: ownerOf(raw.owner),
    error: errorOf(raw.error),
  };
}
