// How one report lays out its Exchange servers, decided from the first pass alone: one section per
// server with a finding, or — past `groupAbove` such servers — one section per distinct worst
// verdict with a bounded table of its servers; and a bounded table of the servers with nothing to
// do. The second pass then builds only the servers named here, so memory stays bounded by the
// limits, not by the run.
import type { ExchangeVerdict } from '../core/result-schema.js';
import { compareKeys } from './priority.js';
import { sortServerKeys } from './server-identity.js';
import type { ServerFacts } from './server-table.js';
import { severityKey } from './server-verdict.js';

/**
 * Servers with findings up to which each gets a section of its own. A section runs to 2–3 pages
 * (its CVE tables), so 200, the earlier default, gave the 100-host run of the bench's quick
 * `command` section (docs/bench.md) a 266-page PDF that Chromium took ~7 s to print, against 49
 * pages and ~1.2 s for a grouped 600-server run: past 25 (at most ~70 pages of sections), servers
 * that share a verdict share its section.
 */
export const DEFAULT_GROUP_ABOVE = 25;

/** Rows per compact or group table before the rest is left to results.csv. */
export const DEFAULT_TABLE_LIMIT = 300;

export interface VerdictGroupPlan {
  /** verdictKey of the group's verdict. */
  id: string;
  verdict: ExchangeVerdict | null;
  order: number[];
  /** Servers whose worst verdict this is. */
  servers: number;
  /** The servers listed in its table (lowest keys first), at most `tableLimit`. */
  listed: string[];
}

export interface ServerPlan {
  /** Exchange servers with a finding. */
  findings: number;
  /** More findings than `groupAbove`: sections per verdict instead of per server. */
  grouped: boolean;
  /** Small runs: the servers that get a section of their own (every finding). */
  detailed: string[];
  /** Grouped runs: the verdict groups, most urgent first, larger first. */
  groups: VerdictGroupPlan[];
  /** Exchange servers with nothing to do: how many, and the ones listed. */
  current: { total: number; listed: string[] };
  /** Every server the second pass builds. */
  built: Set<string>;
}

/** The `limit` lowest keys, in order. */
function lowest(keys: string[], limit: number): string[] {
  return sortServerKeys(keys).slice(0, limit);
}

export function planServers(
  facts: ReadonlyMap<string, ServerFacts>,
  limits: { groupAbove: number; tableLimit: number },
): ServerPlan {
  const findings: ServerFacts[] = [];
  const current: string[] = [];
  for (const f of facts.values()) {
    if (f.finding) findings.push(f);
    else current.push(f.key);
  }
  const grouped = findings.length > limits.groupAbove;
  const detailed = grouped ? [] : sortServerKeys(findings.map((f) => f.key));
  const groups: VerdictGroupPlan[] = [];
  if (grouped) {
    const byVerdict = new Map<string, { verdict: ExchangeVerdict | null; keys: string[] }>();
    for (const f of findings) {
      const k = f.worstKey;
      const g = byVerdict.get(k);
      if (g === undefined) byVerdict.set(k, { verdict: f.worst, keys: [f.key] });
      else g.keys.push(f.key);
    }
    for (const [id, g] of byVerdict)
      groups.push({
        id,
        verdict: g.verdict,
        order: severityKey(g.verdict),
        servers: g.keys.length,
        listed: lowest(g.keys, limits.tableLimit),
      });
    groups.sort((a, b) => compareKeys(a.order, b.order) || b.servers - a.servers || (a.id < b.id ? -1 : 1));
  }
  const listedCurrent = lowest(current, limits.tableLimit);
  const built = new Set<string>([...detailed, ...groups.flatMap((g) => g.listed), ...listedCurrent]);
  return {
    findings: findings.length,
    grouped,
    detailed,
    groups,
    current: { total: current.length, listed: listedCurrent },
    built,
  };
}
