// `owa-audit scan --dry-run`: everything a scan does before its first packet — the scan file, the
// authorisation, the scope pre-flight of every listed target, name resolution (DNS goes to the
// resolvers, never to a target), the target expansion — and then, instead of probing, a count of
// what would be probed and how long it would take at the scan's politeness settings. A CERT
// checks the plan (and can hand the endpoint list to an owner) before touching a constituency.
import { loadKnowledgeBase } from '../knowledge/index.js';
import type { ShardSpec } from '../run-store/run-meta.js';
import type { Owner, Scheme } from '../core/result-schema.js';
import { loadScanFile } from '../scope/load.js';
import type { Authorisation } from '../scanfile/types.js';
import { expandTargets } from '../scope/index.js';
import type { Resolver, TargetItem } from '../scope/types.js';
import { applyOverrides, maxRequestsFor, preflight, type ScanOverrides } from './preflight.js';

export interface PlanScanOptions {
  scanPath: string;
  overrides?: ScanOverrides;
  shard?: ShardSpec | null;
  today?: string;
  resolver?: Resolver;
  /** Every item the scan would take, in the order it would take them. */
  onItem?: (item: TargetItem) => void;
  /** Stop counting after this many items (a /8 has 16 million); the plan then says it is partial. */
  limit?: number;
}

export interface ScanPlan {
  name: string;
  scanFile: string;
  authorisation: Authorisation;
  shard: ShardSpec | null;
  settings: {
    rate: number;
    concurrency: number;
    hostGapMs: number;
    timeoutMs: number;
    mode: 'standard' | 'thorough';
    maxRequestsPerEndpoint: number;
  };
  /** Endpoints that would be probed. */
  endpoints: number;
  /** By port and scheme, e.g. "443/https". */
  byPort: Record<string, number>;
  /** Names that would get records without a probe (one per port): not resolving, or only outside the scope. */
  unprobeable: { dnsError: number; outOfScope: number };
  /** Items walked: endpoints plus the records of names that cannot be probed. */
  items: number;
  byOwner: { name: string; contact: string | null; endpoints: number }[];
  withoutOwner: number;
  /** Most endpoints on one address: the per-IP gap makes them take turns. */
  maxEndpointsPerAddress: number;
  /** False when `limit` stopped the count. */
  complete: boolean;
  /** The expansion's own estimate (null with target files), for a partial count. */
  estimatedEndpoints: number | null;
  /**
   * What the duration is computed from: the endpoints counted (`counted`, a complete count); the
   * scope's own arithmetic over the whole scan when the count stopped (`scope`); or, when there is
   * no such arithmetic (target files), the partial count — a lower bound (`partial`).
   */
  durationBasis: 'counted' | 'scope' | 'partial';
  /** Endpoints the duration is computed for. */
  durationEndpoints: number;
  duration: PlanDuration;
  warnings: string[];
}

export interface PlanDuration {
  /** Every endpoint answers its first request (or refuses at once): one request each at the rate. */
  fastestSeconds: number;
  /** Every endpoint takes the whole probe plan. */
  slowestSeconds: number;
  /** Every endpoint drops packets until timeout_ms, `concurrency` at a time. */
  allTimeOutSeconds: number;
  /** The busiest address's requests one per host gap. */
  busiestAddressSeconds: number;
}

export const PLAN_LIMIT = 5_000_000;
/** Exact per-address counts up to this many addresses; past it the ports bound is used. */
const ADDRESS_COUNT_LIMIT = 1_000_000;

export function planDuration(
  endpoints: number,
  maxEndpointsPerAddress: number,
  s: ScanPlan['settings'],
): PlanDuration {
  const perSecond = s.rate;
  return {
    fastestSeconds: endpoints / perSecond,
    slowestSeconds: (endpoints * s.maxRequestsPerEndpoint) / perSecond,
    allTimeOutSeconds: (endpoints / s.concurrency) * (s.timeoutMs / 1000),
    busiestAddressSeconds:
      maxEndpointsPerAddress === 0
        ? 0
        : ((maxEndpointsPerAddress * s.maxRequestsPerEndpoint - 1) * s.hostGapMs) / 1000,
  };
}

export async function planScan(opts: PlanScanOptions): Promise<ScanPlan> {
  const scan = applyOverrides(
    await loadScanFile(opts.scanPath, {
      readTargetFiles: false,
      ...(opts.today === undefined ? {} : { today: opts.today }),
    }),
    opts.overrides ?? {},
  );
  const shard = opts.shard ?? null;
  const { guard, filter } = await preflight(scan, { shard, resolver: opts.resolver });
  const settings: ScanPlan['settings'] = {
    rate: scan.probe.rate,
    concurrency: scan.probe.concurrency,
    hostGapMs: scan.probe.hostGapMs,
    timeoutMs: scan.probe.timeoutMs,
    mode: scan.probe.mode,
    maxRequestsPerEndpoint: maxRequestsFor(scan.probe.mode, loadKnowledgeBase()),
  };

  const source = expandTargets(scan, guard, filter === null ? {} : { filter });
  const limit = opts.limit ?? PLAN_LIMIT;
  const byPort = new Map<string, number>();
  const owners = new Map<string, { owner: Owner; endpoints: number }>();
  let addressCounts: Map<string, number> | null = new Map();
  let endpoints = 0;
  let withoutOwner = 0;
  const unprobeable = { dnsError: 0, outOfScope: 0 };
  const unprobeableNames = new Set<string>();
  let walked = 0;
  let complete = true;
  const portKey = (port: number, scheme: Scheme): string => `${port}/${scheme}`;
  for await (const item of source.items()) {
    if (walked === limit) {
      complete = false;
      break;
    }
    walked++;
    opts.onItem?.(item);
    if (item.kind === 'unprobeable') {
      // Counted by name: a name that does not resolve gets one record per port.
      if (!unprobeableNames.has(item.target)) {
        unprobeableNames.add(item.target);
        if (item.code === 'dns-error') unprobeable.dnsError++;
        else unprobeable.outOfScope++;
      }
      continue;
    }
    const e = item.endpoint;
    endpoints++;
    const port = portKey(e.port, e.scheme);
    byPort.set(port, (byPort.get(port) ?? 0) + 1);
    if (e.owner === null) withoutOwner++;
    else {
      const o = owners.get(e.owner.name) ?? { owner: e.owner, endpoints: 0 };
      o.endpoints++;
      owners.set(e.owner.name, o);
    }
    if (addressCounts !== null) {
      addressCounts.set(e.ip, (addressCounts.get(e.ip) ?? 0) + 1);
      if (addressCounts.size > ADDRESS_COUNT_LIMIT) addressCounts = null; // memory stays bounded
    }
  }
  // A stopped count says nothing about the rest of the scan: the duration then comes from the
  // scope's own count (interval arithmetic over include minus exclude, never an enumeration).
  const estimatedEndpoints = source.estimateTotal();
  const durationBasis: ScanPlan['durationBasis'] = complete
    ? 'counted'
    : estimatedEndpoints !== null
      ? 'scope'
      : 'partial';
  const durationEndpoints = durationBasis === 'scope' ? (estimatedEndpoints ?? endpoints) : endpoints;
  let maxEndpointsPerAddress = 0;
  if (addressCounts === null) maxEndpointsPerAddress = scan.ports.length;
  else for (const n of addressCounts.values()) maxEndpointsPerAddress = Math.max(maxEndpointsPerAddress, n);
  return {
    name: scan.name,
    scanFile: scan.path,
    authorisation: scan.authorisation,
    shard,
    settings,
    endpoints,
    items: walked,
    byPort: Object.fromEntries([...byPort].sort((a, b) => b[1] - a[1])),
    unprobeable,
    byOwner: [...owners.values()]
      .sort((a, b) => b.endpoints - a.endpoints || a.owner.name.localeCompare(b.owner.name))
      .map((o) => ({ name: o.owner.name, contact: o.owner.contact, endpoints: o.endpoints })),
    withoutOwner,
    maxEndpointsPerAddress,
    complete,
    estimatedEndpoints,
    durationBasis,
    durationEndpoints,
    duration: planDuration(durationEndpoints, maxEndpointsPerAddress, settings),
    warnings: [...source.warnings],
  };
}
