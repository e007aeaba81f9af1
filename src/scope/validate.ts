// The pre-flight of `scan`: every listed target is checked against the scope before the first
// packet leaves. Target files are streamed once; names outside the include names are resolved
// (DNS is not a packet to the target) with a bounded number of lookups in flight, and errors are
// still reported in listing order.
import type { ScanFile } from '../scanfile/types.js';
import type { ScopeGuard } from './types.js';
import { listTargets } from '../scanfile/listed.js';
import { ScopeRules } from './rules.js';
import { checkListedTarget, outsideScope } from './listed-check.js';
import { lookahead } from './lookahead.js';
import type { TargetFilter } from './expand.js';

export const VALIDATE_DNS_IN_FLIGHT = 64;

type Resolution = Awaited<ReturnType<ScopeGuard['resolveAllowed']>>;

export interface ValidationSummary {
  /** Targets checked (a masscan line with two ports counts twice). */
  checked: number;
  /** Listed targets that scope.exclude covers: they are skipped, not probed. */
  excluded: number;
  /** Listed targets that are address ranges (CIDR): each may stand for many endpoints. */
  ranges: number;
}

/**
 * Throws the InputError (file, line, field) of the first listed target outside the scope.
 * Resolves with counts when every listed target is in scope (or excluded, hence skipped).
 * With a filter (a shard), names the filter drops are not resolved: the shard that owns them
 * checks them, so N shards cost one lookup per name, not N.
 */
export async function validateScanTargets(
  scan: ScanFile,
  guard: ScopeGuard,
  options: { filter?: TargetFilter } = {},
): Promise<ValidationSummary> {
  const filter = options.filter ?? null;
  const rules = new ScopeRules(scan.scope);
  const summary: ValidationSummary = { checked: 0, excluded: 0, ranges: 0 };
  const checked = lookahead(listTargets(scan), VALIDATE_DNS_IN_FLIGHT, (listed) => {
    const verdict = checkListedTarget(rules, listed.target);
    const ours = verdict.kind !== 'check-resolution' || filter === null || filter.accepts(verdict.name);
    const resolution: Promise<Resolution> | null =
      verdict.kind === 'check-resolution' && ours ? guard.resolveAllowed(verdict.name) : null;
    return { verdict, resolution };
  });
  for await (const [listed, { verdict, resolution }] of checked) {
    summary.checked++;
    if (listed.target.kind === 'cidr') summary.ranges++;
    if (verdict.kind === 'excluded') summary.excluded++;
    if (verdict.kind === 'refused') throw outsideScope(listed, verdict.reason);
    if (verdict.kind !== 'check-resolution' || resolution === null) continue;
    let r: Resolution;
    try {
      r = await resolution;
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw outsideScope(
        listed,
        `${verdict.name} is not matched by any scope.include name or wildcard, and it does not resolve (${why})`,
      );
    }
    if (r.allowed.length > 0) continue;
    const seen = r.refused
      .map((x) => x.ip)
      .slice(0, 3)
      .join(', ');
    throw outsideScope(
      listed,
      r.refused.length === 0
        ? `${verdict.name} is not matched by any scope.include name or wildcard, and it has no A or AAAA records`
        : `${verdict.name} is not matched by any scope.include name or wildcard, and none of its addresses (${seen}) is in scope`,
    );
  }
  return summary;
}
