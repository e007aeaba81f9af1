// results.csv: one row per endpoint for machine use (ticketing, IntelMQ, spreadsheets). Column
// names are a contract (documented in docs/report.md): add columns at the end, never rename.
// RFC 4180 quoting, CRLF line ends, UTF-8 without BOM. Cells that a spreadsheet would run as a
// formula are defused with a leading apostrophe (OWASP "CSV injection").
import type { HostHistory } from '../history/host-history.js';
import { compareFindings } from '../core/cve-order.js';
import { CLIP, revealControls } from '../core/text.js';
import type { CveFinding, ResultRecord } from '../core/result-schema.js';
import { endpointKey } from '../core/result-schema.js';
import { primaryEvidence } from '../core/evidence.js';
import { serverBase } from './server-identity.js';

type Cell = string | number | boolean | null;

interface Column {
  name: string;
  /**
   * `h`: the endpoint's history from the scan history; null when the report has none.
   * `server`: the key of the endpoint's server (server-grouping.ts).
   */
  value: (r: ResultRecord, h: HostHistory | null, server: string) => Cell;
}

const list = (items: readonly string[]): string => items.join(';');
/** The findings in the one order of every output: known-exploited first, then by Microsoft's score. */
const findings = (r: ResultRecord): CveFinding[] => [...(r.exchange?.cves ?? [])].sort(compareFindings);
const kevIds = (r: ResultRecord): string[] =>
  findings(r)
    .filter((c) => c.kev)
    .map((c) => c.id);
const otherIds = (r: ResultRecord): string[] =>
  findings(r)
    .filter((c) => !c.kev)
    .map((c) => c.id);
/** The most severe finding with a score (records written before scores existed have none). */
const mostSevere = (r: ResultRecord): CveFinding | undefined =>
  (r.exchange?.cves ?? []).reduce<CveFinding | undefined>(
    (best, c) =>
      typeof c.score === 'number' && (best === undefined || c.score > (best.score ?? -1)) ? c : best,
    undefined,
  );

export const CSV_COLUMNS: readonly Column[] = [
  { name: 'endpoint_key', value: (r) => endpointKey(r) },
  { name: 'target', value: (r) => r.target },
  { name: 'host', value: (r) => r.host },
  { name: 'ip', value: (r) => r.ip },
  { name: 'port', value: (r) => r.port },
  { name: 'scheme', value: (r) => r.scheme },
  { name: 'status', value: (r) => r.status },
  { name: 'owner', value: (r) => r.owner?.name ?? null },
  { name: 'owner_contact', value: (r) => r.owner?.contact ?? null },
  { name: 'product', value: (r) => r.exchange?.product ?? null },
  { name: 'build', value: (r) => r.exchange?.build ?? null },
  { name: 'precision', value: (r) => r.exchange?.precision ?? null },
  { name: 'release', value: (r) => r.exchange?.release ?? null },
  { name: 'release_date', value: (r) => r.exchange?.releaseDate ?? null },
  { name: 'patch_level', value: (r) => r.exchange?.patchLevel ?? null },
  { name: 'certainty', value: (r) => r.exchange?.certainty ?? null },
  { name: 'supported', value: (r) => (r.exchange === null ? null : r.exchange.supported) },
  { name: 'end_of_support', value: (r) => r.exchange?.endOfSupport ?? null },
  { name: 'latest_build', value: (r) => r.exchange?.latest ?? null },
  { name: 'kev_count', value: (r) => (r.exchange === null ? null : kevIds(r).length) },
  { name: 'cve_count', value: (r) => (r.exchange === null ? null : r.exchange.cves.length) },
  { name: 'kev_cves', value: (r) => list(kevIds(r)) },
  { name: 'other_cves', value: (r) => list(otherIds(r)) },
  { name: 'evidence_signal', value: (r) => primaryEvidence(r)?.signal ?? null },
  { name: 'evidence_value', value: (r) => primaryEvidence(r)?.value ?? null },
  { name: 'evidence_url', value: (r) => primaryEvidence(r)?.url ?? null },
  { name: 'evidence_signals', value: (r) => list(r.evidence.map((e) => e.signal)) },
  { name: 'tls_subject', value: (r) => r.tls?.subject ?? null },
  { name: 'tls_issuer', value: (r) => r.tls?.issuer ?? null },
  { name: 'tls_san', value: (r) => (r.tls === null ? null : list(r.tls.san)) },
  { name: 'tls_not_after', value: (r) => r.tls?.notAfter ?? null },
  { name: 'tls_self_signed', value: (r) => (r.tls === null ? null : r.tls.selfSigned) },
  { name: 'tls_sha256', value: (r) => r.tls?.sha256 ?? null },
  { name: 'error_code', value: (r) => r.error?.code ?? null },
  { name: 'error_message', value: (r) => r.error?.message ?? null },
  { name: 'observed_at', value: (r) => r.observedAt },
  { name: 'requests', value: (r) => r.requests },
  // From the scan history (empty without one); see history/host-history.ts for the definitions.
  { name: 'first_seen', value: (_r, h) => h?.firstSeen ?? null },
  { name: 'first_seen_vulnerable', value: (_r, h) => h?.firstSeenVulnerable ?? null },
  { name: 'vulnerable_since', value: (_r, h) => h?.vulnerableSince ?? null },
  { name: 'days_exposed', value: (_r, h) => h?.daysExposed ?? null },
  { name: 'history_checks', value: (_r, h) => h?.observations ?? null },
  // Microsoft's CVSS v3 base scores of the CVEs that apply (empty where Microsoft published none).
  { name: 'max_score', value: (r) => mostSevere(r)?.score ?? null },
  { name: 'max_severity', value: (r) => mostSevere(r)?.severity ?? null },
  {
    name: 'cve_scores',
    value: (r) =>
      r.exchange === null
        ? null
        : list(findings(r).map((c) => `${c.id}:${typeof c.score === 'number' ? c.score.toFixed(1) : '-'}`)),
  },
  // Endpoints of one server share it: the server's lowest address (see server-grouping.ts).
  { name: 'server', value: (_r, _h, server) => server },
];

/** Longest cell written; longer values are cut with a marker (no spreadsheet needs 5 MB cells). */
export const CSV_CELL_MAX = 4000;

const FORMULA_START = /^[=+\-@\t\r]/;
/** Unsafe characters (core/text.ts) other than tab, CR and LF, which the quoting keeps, written as \xNN / \uNNNN. */
const revealInCell = (s: string): string => revealControls(s, { keepLines: true });

/** One CSV field: defused, bounded, quoted when needed (RFC 4180). */
export function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let s = CLIP.marked(value, CSV_CELL_MAX, revealInCell);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.map((c) => c.name).join(',')}\r\n`;
}

/** One row; without `server`, the endpoint's own address stands for its server (no grouping known). */
export function csvRow(
  r: ResultRecord,
  h: HostHistory | null = null,
  server: string = serverBase(r),
): string {
  return `${CSV_COLUMNS.map((c) => csvField(c.value(r, h, server))).join(',')}\r\n`;
}
