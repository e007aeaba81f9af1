// What one owner's notification e-mail says about each of their servers, collected record by
// record during the report's streaming pass. Memory per owner is bounded: the most urgent
// FINDINGS_MAX findings are kept, the rest only counted (the attached PDF lists them all).
import type { ExchangeVerdict, ResultRecord } from '../results/schema.js';
import { endpointKey } from '../results/schema.js';
import { actionsFor, type RemediationSource } from '../report/actions.js';
import { actionGroupOf, compareKeys, priorityKey, type ActionGroup } from '../report/priority.js';
import type { HostHistory } from '../history/host-history.js';
import { plain } from './plain.js';

export const FINDINGS_MAX = 50;

export interface OwnerFinding {
  key: string;
  order: number[];
  group: ActionGroup;
  /** Host name, else address. */
  title: string;
  endpoint: string;
  verdict: string;
  version: string;
  missingUpdate: string | null;
  kevCves: string[];
  support: string | null;
  checkLocally: string | null;
  history: string | null;
}

const LEVEL_TEXT: Record<ExchangeVerdict['patchLevel'], string> = {
  vulnerable: 'Vulnerabilities known to be exploited in the wild apply.',
  outdated: 'Behind on security updates.',
  current: 'The newest security update known to the data is installed.',
  unknown: 'The version could not be placed in the data.',
};

function day(iso: string): string {
  return iso.slice(0, 10);
}

function historyText(h: HostHistory | null): string | null {
  if (h === null || h.observations < 2 || h.firstSeen === null) return null;
  const first = `first seen ${day(h.firstSeen)}`;
  if (h.vulnerableSince !== null && h.daysExposed !== null && h.daysExposed > 0) {
    const days = h.daysExposed === 1 ? '1 day' : `${h.daysExposed} days`;
    return `Vulnerable in every check since ${day(h.vulnerableSince)}: exposed for at least ${days}; ${first}.`;
  }
  if (h.vulnerableSince !== null && h.vulnerableChecks > 1)
    return `Vulnerable in every check since ${day(h.vulnerableSince)} (${h.vulnerableChecks} checks, less than a day); ${first}.`;
  if (h.vulnerableSince !== null) return `Vulnerable since this check; ${first}.`;
  return `${first.replace(/^f/, 'F')}.`;
}

export function findingOf(
  r: ResultRecord,
  v: ExchangeVerdict,
  remediation: RemediationSource | null,
  history: HostHistory | null,
): OwnerFinding {
  const advice = actionsFor(remediation, v);
  const update = advice.steps.find((s) => s.update !== null)?.update ?? null;
  const addr = r.ip === null ? (r.host ?? r.target) : r.ip.includes(':') ? `[${r.ip}]` : r.ip;
  const release = v.release === null ? '' : `, ${plain(v.release, 60)}`;
  const precision =
    v.precision === 'exact' ? 'exact build' : v.precision === 'cu' ? 'cumulative update only' : v.precision;
  return {
    key: endpointKey(r),
    order: priorityKey(v),
    group: actionGroupOf(v),
    title: plain(r.host ?? r.ip ?? r.target, 120),
    endpoint: plain(`${r.scheme}://${addr}:${r.port}`, 140),
    verdict: `${v.patchLevel.toUpperCase()} (${v.certainty}). ${LEVEL_TEXT[v.patchLevel]}`,
    version: `${v.product}, build ${plain(v.build ?? 'not visible', 40)} (${precision}${release})`,
    missingUpdate:
      update === null
        ? v.patchLevel === 'vulnerable' || v.patchLevel === 'outdated'
          ? `the newest security update for ${v.product}${v.latest === null ? '' : ` (build ${plain(v.latest, 40)})`}`
          : null
        : [
            plain(update.name, 100),
            `build ${plain(update.build, 40)}`,
            update.kb === null ? null : plain(update.kb, 30),
            update.url === null ? null : plain(update.url, 200),
          ]
            .filter((x): x is string => x !== null)
            .join(', '),
    kevCves: v.cves
      .filter((c) => c.kev)
      .map(
        (c) =>
          // "CVE-2022-41082: ProxyNotShell (PowerShell RCE)": names carry parentheses of their own.
          `${plain(c.id, 20)}${c.name === undefined ? '' : `: ${plain(c.name, 60)}`}${c.certainty === 'possible' ? ' [possible]' : ''}`,
      ),
    support: v.supported
      ? null
      : `Out of support${v.endOfSupport === null ? '' : ` since ${plain(v.endOfSupport, 20)}`}: no more security fixes; plan the move to Exchange Server SE or Exchange Online.`,
    checkLocally: advice.checkLocally === null ? null : plain(advice.checkLocally, 600),
    history: historyText(history),
  };
}

export interface DigestView {
  exchange: number;
  counts: Record<ActionGroup, number>;
  findings: OwnerFinding[];
  /** Findings not listed (beyond FINDINGS_MAX). */
  more: number;
}

/** One owner's findings, fed one record at a time. */
export class OwnerDigest {
  private exchange = 0;
  private readonly counts: Record<ActionGroup, number> = { kev: 0, eol: 0, outdated: 0, verify: 0, none: 0 };
  private findings: OwnerFinding[] = [];

  constructor(
    private readonly remediation: RemediationSource | null,
    private readonly history: ((r: ResultRecord) => HostHistory) | null,
    private readonly limit = FINDINGS_MAX,
  ) {}

  add(r: ResultRecord): void {
    if (r.status !== 'exchange') return;
    this.exchange++;
    const v = r.exchange;
    if (v === null) {
      this.counts.verify++;
      return;
    }
    const group = actionGroupOf(v);
    this.counts[group]++;
    if (group === 'none') return;
    this.findings.push(findingOf(r, v, this.remediation, this.history === null ? null : this.history(r)));
    // Keep memory flat: trim to the most urgent once the list doubles its bound.
    if (this.findings.length >= 2 * this.limit) this.trim();
  }

  private trim(): void {
    this.findings.sort((a, b) => compareKeys(a.order, b.order) || a.title.localeCompare(b.title));
    this.findings = this.findings.slice(0, this.limit);
  }

  view(): DigestView {
    this.trim();
    const needAction = this.counts.kev + this.counts.eol + this.counts.outdated + this.counts.verify;
    return {
      exchange: this.exchange,
      counts: { ...this.counts },
      findings: [...this.findings],
      more: Math.max(0, needAction - this.findings.length),
    };
  }
}
