// What one owner's notification e-mail says about each of their servers: one finding per server
// (its endpoints grouped, judged by the worst of them), built during the report's second pass. The
// first pass's server facts say up front which servers are listed: the most urgent FINDINGS_MAX;
// the rest are only counted (the attached PDF lists them all). Memory per owner is bounded.
import type { ExchangeVerdict, ResultRecord } from '../core/result-schema.js';
import { endpointKey } from '../core/result-schema.js';
import { actionsFor, type RemediationSource } from '../report/actions.js';
import { actionGroupOf, compareKeys, priorityKey, type ActionGroup } from '../report/priority.js';
import { ServerEntry } from '../report/server-entry.js';
import type { ServerIndex } from '../report/server-grouping.js';
import { compareServerKeys } from '../report/server-identity.js';
import type { ServerFacts } from '../report/server-table.js';
import { readingsText } from '../report/server-view.js';
import type { HostHistory } from '../history/host-history.js';
import { cleanValue } from '../core/text.js';

export const FINDINGS_MAX = 50;

export interface OwnerFinding {
  key: string;
  order: number[];
  group: ActionGroup;
  /** Host name, else address. */
  title: string;
  /** The endpoint the verdict was read at. */
  endpoint: string;
  /** The server: its key and every endpoint (more than one when grouped); null for a lone endpoint. */
  server: { key: string; endpoints: string[]; more: number; names: string[]; readings: string | null } | null;
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
  const release = v.release === null ? '' : `, ${cleanValue(v.release, 60)}`;
  const precision =
    v.precision === 'exact' ? 'exact build' : v.precision === 'cu' ? 'cumulative update only' : v.precision;
  return {
    key: endpointKey(r),
    order: priorityKey(v),
    group: actionGroupOf(v),
    title: cleanValue(r.host ?? r.ip ?? r.target, 120),
    endpoint: cleanValue(`${r.scheme}://${addr}:${r.port}`, 140),
    server: null,
    verdict: `${v.patchLevel.toUpperCase()} (${v.certainty}). ${LEVEL_TEXT[v.patchLevel]}`,
    version: `${v.product}, build ${cleanValue(v.build ?? 'not visible', 40)} (${precision}${release})`,
    missingUpdate:
      update === null
        ? v.patchLevel === 'vulnerable' || v.patchLevel === 'outdated'
          ? `the newest security update for ${v.product}${v.latest === null ? '' : ` (build ${cleanValue(v.latest, 40)})`}`
          : null
        : [
            cleanValue(update.name, 100),
            `build ${cleanValue(update.build, 40)}`,
            update.kb === null ? null : cleanValue(update.kb, 30),
            update.url === null ? null : cleanValue(update.url, 200),
          ]
            .filter((x): x is string => x !== null)
            .join(', '),
    kevCves: v.cves
      .filter((c) => c.kev)
      .map(
        (c) =>
          // "CVE-2022-41082: ProxyNotShell (PowerShell RCE)": names carry parentheses of their own.
          `${cleanValue(c.id, 20)}${c.name === undefined ? '' : `: ${cleanValue(c.name, 60)}`}${c.certainty === 'possible' ? ' [possible]' : ''}`,
      ),
    support: v.supported
      ? null
      : `Out of support${v.endOfSupport === null ? '' : ` since ${cleanValue(v.endOfSupport, 20)}`}: no more security fixes; plan the move to Exchange Server SE or Exchange Online.`,
    checkLocally: advice.checkLocally === null ? null : cleanValue(advice.checkLocally, 600),
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

/** The run's servers as one owner's digest needs them (from the report's first pass). */
export interface DigestServers {
  index: ServerIndex;
  /** This owner's Exchange servers. */
  facts: ReadonlyMap<string, ServerFacts>;
}

const groupOf = (f: ServerFacts): ActionGroup => (f.worst === null ? 'verify' : actionGroupOf(f.worst));

/** Endpoints and names of a server that a finding lists. */
const ENTRY_LIMITS = { endpoints: 10, names: 5, full: false };

/** One owner's findings: one per server, fed one record at a time. */
export class OwnerDigest {
  private readonly exchange: number;
  private readonly counts: Record<ActionGroup, number> = { kev: 0, eol: 0, outdated: 0, verify: 0, none: 0 };
  /** The listed servers, most urgent first. */
  private readonly listed: { key: string; facts: ServerFacts; entry: ServerEntry<OwnerFinding> }[];
  private readonly entries = new Map<string, ServerEntry<OwnerFinding>>();

  constructor(
    remediation: RemediationSource | null,
    history: ((r: ResultRecord) => HostHistory) | null,
    private readonly servers: DigestServers,
    limit = FINDINGS_MAX,
  ) {
    this.exchange = servers.facts.size;
    const candidates: { f: ServerFacts; worst: ExchangeVerdict }[] = [];
    for (const f of servers.facts.values()) {
      const group = groupOf(f);
      this.counts[group]++;
      // A server without any verdict is counted (check by hand), not described.
      if (group !== 'none' && f.worst !== null) candidates.push({ f, worst: f.worst });
    }
    candidates.sort(
      (a, b) =>
        compareKeys(priorityKey(a.worst), priorityKey(b.worst)) || compareServerKeys(a.f.key, b.f.key),
    );
    this.listed = candidates.slice(0, limit).map(({ f, worst }) => {
      // The judged endpoint's verdict is the server's worst (equal verdict keys).
      const entry = new ServerEntry<OwnerFinding>(
        worst,
        (r) => findingOf(r, r.exchange ?? worst, remediation, history?.(r) ?? null),
        ENTRY_LIMITS,
      );
      this.entries.set(f.key, entry);
      return { key: f.key, facts: f, entry };
    });
  }

  /** One record of the second pass; `key` is its server's (computed here when not given). */
  add(r: ResultRecord, key: string = this.servers.index.keyOf(r)): void {
    this.entries.get(key)?.add(r);
  }

  view(): DigestView {
    const needAction = this.counts.kev + this.counts.eol + this.counts.outdated + this.counts.verify;
    const findings = this.listed.flatMap(({ key, facts, entry }) => {
      const f = entry.judged;
      if (f === null) return [];
      if (entry.endpoints <= 1) return [f];
      const names = entry.names.map((n) => cleanValue(n, 120));
      const lines = entry.shownLines();
      return [
        {
          ...f,
          title: cleanValue(entry.names[0] ?? key, 120),
          server: {
            key: cleanValue(key, 120),
            endpoints: lines.map((l) =>
              cleanValue(l.name === '—' ? l.endpoint : `${l.endpoint} (${l.name})`, 200),
            ),
            more: entry.endpoints - lines.length,
            names,
            readings: facts.disagree ? cleanValue(readingsText(facts), 400) : null,
          },
        },
      ];
    });
    return {
      exchange: this.exchange,
      counts: { ...this.counts },
      findings,
      more: Math.max(0, needAction - findings.length),
    };
  }
}
