// What every scan — and `scan --dry-run` — does before its first packet, in one place so the plan
// and the scan cannot drift apart: command-line overrides over the scan file, the scope guard
// with its resolver, the shard filter, the check of every listed target against the scope, and
// the request budget per endpoint.
import type { KnowledgeBase } from '../classify/index.js';
import type { ShardSpec } from '../run-store/run-meta.js';
import type { ProbeSettings, ScanFile } from '../scanfile/types.js';
import { createResolver } from '../engine/resolver.js';
import { createScopeGuard, validateScanTargets, type ValidationSummary } from '../scope/index.js';
import type { TargetFilter } from '../scope/expand.js';
import type { Resolver, ScopeGuard } from '../scope/types.js';
import { shardFilter } from '../shard/index.js';

/** Requests of the standard plan (README "Use it responsibly": never more than five GETs per endpoint). */
export const STANDARD_MAX_REQUESTS = 5;

export type ScanOverrides = Partial<Pick<ProbeSettings, 'rate' | 'concurrency'>>;

export function applyOverrides(scan: ScanFile, overrides: ScanOverrides): ScanFile {
  return { ...scan, probe: { ...scan.probe, ...overrides } };
}

/** The largest number of published builds on one CU: thorough mode may try each of them. */
function largestCu(kb: KnowledgeBase): number {
  const perCu = new Map<string, number>();
  for (const b of kb.builds) {
    const cu = b.build.split('.').slice(0, 3).join('.');
    perCu.set(cu, (perCu.get(cu) ?? 0) + 1);
  }
  return Math.max(0, ...perCu.values());
}

export function maxRequestsFor(mode: ProbeSettings['mode'], kb: KnowledgeBase): number {
  return mode === 'thorough' ? STANDARD_MAX_REQUESTS + largestCu(kb) : STANDARD_MAX_REQUESTS;
}

export interface Preflight {
  guard: ScopeGuard;
  /** The shard's part of the targets; null for a whole scan. */
  filter: TargetFilter | null;
  /** What the check of the listed targets counted. */
  listed: ValidationSummary;
}

/** Builds the guard and refuses (InputError, nothing sent) a listed target outside the scope. */
export async function preflight(
  scan: ScanFile,
  opts: { shard: ShardSpec | null; resolver?: Resolver | undefined },
): Promise<Preflight> {
  const resolver =
    opts.resolver ??
    createResolver(scan.probe.resolvers, { timeoutMs: Math.min(scan.probe.timeoutMs, 5000) });
  const guard = createScopeGuard(scan.scope, { resolver });
  const filter = opts.shard === null ? null : shardFilter(opts.shard);
  const listed = await validateScanTargets(scan, guard, filter === null ? {} : { filter });
  return { guard, filter, listed };
}
