// One result record → what the templates print about it. Every string that came from a scanned
// server goes through displayText (controls revealed, length bounded); the template escapes it.
// Nothing here returns markup.
import { compareFindings, SEVERITY_ORDER, severitySummary } from '../core/cve-order.js';
import type {
  CveFinding,
  CveSeverity,
  ExchangeVerdict,
  ResultRecord,
  TlsInfo,
} from '../core/result-schema.js';
import { actionsFor, type RemediationSource, type UpdateLink } from './actions.js';
import type { HostHistoryView } from './history-view.js';
import { cveLink, trustedLink } from './links.js';
import { ACTION_GROUP_TITLE, actionGroupOf, type ActionGroup } from './priority.js';
import { displayText } from '../core/text.js';
import { formatDay, formatTimestamp, parseDate } from '../core/time.js';
import {
  CERTAINTY_LABEL,
  ERROR_MEANING,
  PATCH_LEVEL_LABEL,
  PRECISION_LABEL,
  SIGNAL_LABEL,
} from './vocabulary.js';

export interface ViewContext {
  now: Date;
  remediation: RemediationSource | null;
  /** Per-host history line from the scan history; absent or null when there is none. */
  history?: ((r: ResultRecord) => HostHistoryView | null) | undefined;
}

export interface UpdateView {
  name: string;
  build: string;
  kb: string | null;
  /** Only an https link to Microsoft from our data; null → shown as text. */
  url: string | null;
  /** The link as printed (no scheme), so a paper copy still says where to go. */
  urlText: string;
  released: string | null;
}

export interface CveView {
  id: string;
  link: string | null;
  name: string;
  certainty: string;
  possible: boolean;
  fixedIn: string;
  /** Microsoft's CVSS score ("9.8"), or "–" where none was published. */
  score: string;
  /** Its CVSS rating ("critical"), or "no score". */
  severity: string;
}

export interface VerdictView {
  product: string;
  build: string;
  precision: string;
  release: string;
  releaseDate: string;
  /** CSS class and label of the patch-level badge. */
  level: string;
  levelLabel: string;
  certainty: string;
  possible: boolean;
  supported: boolean;
  supportText: string;
  latest: string;
  headline: string;
  steps: { text: string; update: UpdateView | null }[];
  checkLocally: string | null;
  /** Known-exploited CVEs, one table row each. */
  kevCves: CveView[];
  /** The other CVEs by severity, most severe first (a compact paragraph per band). */
  otherCves: { severity: string; count: number; cves: CveView[] }[];
  /** "2 critical, 10 high, 3 without a score" for the other CVEs. */
  otherSeverityText: string;
  /** The same for every CVE that applies. */
  severityText: string;
  otherCount: number;
  hasCves: boolean;
  kevCount: number;
  cveCount: number;
  notes: string[];
  group: ActionGroup;
  groupTitle: string;
}

export interface EvidenceView {
  signal: string;
  /** The URL requested — text, never a link. */
  url: string;
  value: string;
}

export interface TlsView {
  subject: string;
  issuer: string;
  san: string;
  validFrom: string;
  validTo: string;
  expired: boolean;
  selfSigned: boolean;
  sha256: string;
  protocol: string;
}

export interface ErrorView {
  code: string;
  meaning: string;
  message: string;
}

export interface HostView {
  anchor: string;
  /** Host name, else IP, else the target as listed. */
  title: string;
  endpoint: string;
  owner: string | null;
  observedAt: string;
  verdict: VerdictView | null;
  evidence: EvidenceView[];
  hasEvidence: boolean;
  tls: TlsView | null;
  error: ErrorView | null;
  /** First seen, first seen vulnerable, days exposed (from the scan history). */
  history: HostHistoryView | null;
}

/** "https://[2001:db8::5]:443"; bare text, never used as a link. */
export function endpointText(r: Pick<ResultRecord, 'scheme' | 'ip' | 'host' | 'port'>): string {
  const addr = r.ip === null ? (r.host ?? '?') : r.ip.includes(':') ? `[${r.ip}]` : r.ip;
  return displayText(`${r.scheme}://${addr}:${r.port}`, 120);
}

export function titleOf(r: Pick<ResultRecord, 'host' | 'ip' | 'target'>): string {
  return displayText(r.host ?? r.ip ?? r.target, 120);
}

function productShort(p: string): string {
  return p.replace('Exchange Server ', 'Exchange ');
}

export function supportText(v: ExchangeVerdict): string {
  if (v.supported) return v.endOfSupport === null ? 'Supported' : `Supported until ${v.endOfSupport}`;
  return v.endOfSupport === null ? 'Out of support' : `Out of support since ${v.endOfSupport}`;
}

const NO_FIX = 'no fix on this line — move to a supported update';

function cveView(c: CveFinding): CveView {
  const fix = c.fixedIn ?? NO_FIX;
  return {
    id: c.id,
    link: cveLink(c.id),
    name: c.name ?? '',
    certainty: CERTAINTY_LABEL[c.certainty],
    possible: c.certainty === 'possible',
    fixedIn:
      c.setting === undefined
        ? fix
        : `${c.fixedIn === null ? '' : `${c.fixedIn}, `}then a setting (see What to do)`,
    score: typeof c.score === 'number' ? c.score.toFixed(1) : '–',
    severity: c.severity ?? 'no score',
  };
}

const SEVERITY_TITLE: Record<CveSeverity | 'unscored', string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  none: 'None',
  unscored: 'No score published',
};

/** The non-KEV findings by severity band, most severe first; each band sorted by score. */
function severityBands(cves: readonly CveFinding[]): VerdictView['otherCves'] {
  const bands: VerdictView['otherCves'] = [];
  for (const band of [...SEVERITY_ORDER, 'unscored'] as const) {
    const list = cves.filter((c) => (c.severity ?? 'unscored') === band);
    if (list.length > 0)
      bands.push({ severity: SEVERITY_TITLE[band], count: list.length, cves: list.map(cveView) });
  }
  return bands;
}

function updateView(u: UpdateLink): UpdateView {
  const url = trustedLink(u.url);
  return {
    name: u.name,
    build: u.build,
    kb: u.kb,
    url,
    urlText: url === null ? '' : url.replace(/^https:\/\//, ''),
    released: u.released,
  };
}

export function verdictView(v: ExchangeVerdict, ctx: ViewContext): VerdictView {
  const r = actionsFor(ctx.remediation, v);
  const group = actionGroupOf(v);
  const cves = [...v.cves].sort(compareFindings);
  const kev = cves.filter((c) => c.kev);
  const other = cves.filter((c) => !c.kev);
  return {
    product: productShort(v.product),
    build: v.build ?? '—',
    precision: PRECISION_LABEL[v.precision],
    release: v.release ?? '—',
    releaseDate: v.releaseDate ?? '—',
    level: v.patchLevel,
    levelLabel: PATCH_LEVEL_LABEL[v.patchLevel],
    certainty: CERTAINTY_LABEL[v.certainty],
    possible: v.certainty === 'possible',
    supported: v.supported,
    supportText: supportText(v),
    latest: v.latest ?? '—',
    headline: r.headline,
    steps: r.steps.map((s) => ({
      text: s.text,
      update: s.update === null ? null : updateView(s.update),
    })),
    checkLocally: r.checkLocally,
    kevCves: kev.map(cveView),
    otherCves: severityBands(other),
    otherSeverityText: severitySummary(other),
    severityText: severitySummary(cves),
    otherCount: cves.length - kev.length,
    hasCves: cves.length > 0,
    kevCount: kev.length,
    cveCount: cves.length,
    notes: v.notes ?? [],
    group,
    groupTitle: ACTION_GROUP_TITLE[group],
  };
}

export function tlsView(t: TlsInfo, now: Date): TlsView {
  const notAfter = t.notAfter === null ? null : parseDate(t.notAfter);
  return {
    subject: t.subject === null ? '—' : displayText(t.subject),
    issuer: t.issuer === null ? '—' : displayText(t.issuer),
    san:
      t.san.length === 0
        ? '—'
        : displayText(
            t.san.slice(0, 50).join(', ') + (t.san.length > 50 ? ` … (${t.san.length - 50} more)` : ''),
          ),
    validFrom: formatDay(t.notBefore),
    validTo: formatDay(t.notAfter),
    expired: notAfter !== null && notAfter.getTime() < now.getTime(),
    selfSigned: t.selfSigned,
    sha256: t.sha256 === null ? '—' : displayText(t.sha256, 120),
    protocol:
      [t.protocol, t.cipher]
        .filter((x): x is string => x !== null)
        .map((x) => displayText(x, 60))
        .join(' · ') || '—',
  };
}

export function evidenceViews(r: ResultRecord): EvidenceView[] {
  return r.evidence.slice(0, 20).map((e) => ({
    signal: SIGNAL_LABEL[e.signal],
    url: displayText(e.url, 200),
    value: displayText(e.value),
  }));
}

export function errorView(r: ResultRecord): ErrorView | null {
  if (r.error === null) return null;
  return {
    code: r.error.code,
    meaning: ERROR_MEANING[r.error.code],
    message: displayText(r.error.message, 300),
  };
}

export function hostView(r: ResultRecord, anchor: string, ctx: ViewContext): HostView {
  const evidence = evidenceViews(r);
  return {
    anchor,
    title: titleOf(r),
    endpoint: endpointText(r),
    owner: r.owner === null ? null : displayText(r.owner.name, 120),
    observedAt: formatTimestamp(r.observedAt === '' ? null : r.observedAt),
    verdict: r.exchange === null ? null : verdictView(r.exchange, ctx),
    evidence,
    hasEvidence: evidence.length > 0,
    tls: r.tls === null ? null : tlsView(r.tls, ctx.now),
    error: errorView(r),
    history: ctx.history === undefined ? null : ctx.history(r),
  };
}
