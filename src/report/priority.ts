// The order in which an owner should act: known-exploited first, then end-of-life, then outdated;
// within a group the most severe first. Pure, so the ranking is table-tested.
import { countBySeverity } from '../core/cve-order.js';
import type { ExchangeVerdict, ResultRecord } from '../core/result-schema.js';

export const ACTION_GROUPS = ['kev', 'eol', 'outdated', 'verify', 'none'] as const;
export type ActionGroup = (typeof ACTION_GROUPS)[number];

export const ACTION_GROUP_TITLE: Record<ActionGroup, string> = {
  kev: 'Known-exploited vulnerabilities — patch immediately',
  eol: 'Out of support — no more security fixes',
  outdated: 'Behind on security updates',
  verify: 'Version could not be placed — verify on the server',
  none: 'No action needed',
};

export function actionGroupOf(v: ExchangeVerdict): ActionGroup {
  if (v.patchLevel === 'vulnerable') return 'kev';
  if (!v.supported) return 'eol';
  if (v.patchLevel === 'outdated') return 'outdated';
  if (v.patchLevel === 'unknown') return 'verify';
  return 'none';
}

/** Days since 1970 of an ISO date; far future when absent (unknown age sorts last). */
function day(iso: string | null): number {
  if (iso === null) return Number.MAX_SAFE_INTEGER;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? Number.MAX_SAFE_INTEGER : Math.floor(t / 86_400_000);
}

/**
 * A sort key: smaller sorts first. Group, then severity within the group — known-exploited CVEs
 * first, then by the CVSS severity of the CVEs (more critical, then more high, medium, low):
 * - kev: confirmed before possible; more confirmed KEV CVEs; more KEV CVEs; severity; more CVEs;
 *   out of support first; older release first.
 * - eol: support ended longest ago first; severity; more CVEs; older release first.
 * - outdated: severity of the confirmed CVEs; more confirmed CVEs; more CVEs; older release first.
 */
export function priorityKey(v: ExchangeVerdict): number[] {
  const group = ACTION_GROUPS.indexOf(actionGroupOf(v));
  const kevConfirmed = v.cves.filter((c) => c.kev && c.certainty === 'confirmed').length;
  const kevAll = v.cves.filter((c) => c.kev).length;
  const confirmed = v.cves.filter((c) => c.certainty === 'confirmed');
  const released = day(v.releaseDate);
  switch (actionGroupOf(v)) {
    case 'kev':
      return [
        group,
        v.certainty === 'confirmed' ? 0 : 1,
        -kevConfirmed,
        -kevAll,
        ...severity(v.cves),
        -v.cves.length,
        v.supported ? 1 : 0,
        released,
      ];
    case 'eol':
      return [group, day(v.endOfSupport), ...severity(v.cves), -v.cves.length, released];
    case 'outdated':
      return [group, ...severity(confirmed), -confirmed.length, -v.cves.length, released];
    case 'verify':
    case 'none':
      return [group, released];
  }
}

/** More critical CVEs first, then more high, medium and low ones (negated: smaller sorts first). */
function severity(cves: ExchangeVerdict['cves']): number[] {
  const c = countBySeverity(cves);
  return [-c.critical, -c.high, -c.medium, -c.low];
}

export function compareKeys(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** True when a record needs a detailed section (a finding, or an uncertain verdict to explain). */
export function needsDetail(r: ResultRecord): boolean {
  if (r.status !== 'exchange') return false;
  if (r.exchange === null) return true;
  return actionGroupOf(r.exchange) !== 'none' || r.exchange.certainty === 'possible';
}
