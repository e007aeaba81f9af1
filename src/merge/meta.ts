// run.json of a merged run (pure): one run that reads like a scan of the whole file — earliest
// start, latest finish, summed requests, counts of the merged records — plus where it came from.
import { RUN_SCHEMA, type MergedShard, type RunMeta, type RunSettings } from '../run-store/run-meta.js';
import type { EndpointStatus } from '../core/result-schema.js';
import { TOOL_NAME, TOOL_VERSION } from '../util/version.js';
import type { MergePlan, PlannedShard } from './plan.js';

export interface MergedCounts {
  byStatus: Record<EndpointStatus, number>;
  /** Records taken from each shard, by shard index. */
  perShard: ReadonlyMap<number, number>;
}

function earliest(values: readonly string[]): string | null {
  return values.reduce<string | null>((a, v) => (a === null || v < a ? v : a), null);
}

function latest(values: readonly string[]): string | null {
  return values.reduce<string | null>((a, v) => (a === null || v > a ? v : a), null);
}

/**
 * The shards ran side by side: together they sent up to the sum of their rates and held the sum
 * of their concurrency, which is what the merged run's settings report. The per-IP gap and the
 * rest are the scan file's, the same in every shard.
 */
function combinedSettings(runs: readonly PlannedShard[]): RunSettings {
  const first = (runs[0] as PlannedShard).meta.settings;
  return {
    ...first,
    rate: runs.reduce((s, r) => s + r.meta.settings.rate, 0),
    concurrency: runs.reduce((s, r) => s + r.meta.settings.concurrency, 0),
    maxRequestsPerEndpoint: Math.max(...runs.map((r) => r.meta.settings.maxRequestsPerEndpoint)),
  };
}

function sameJson<T>(values: readonly T[]): T | undefined {
  const first = values[0];
  const text = JSON.stringify(first);
  return values.every((v) => JSON.stringify(v) === text) ? first : undefined;
}

export function mergedRunMeta(plan: MergePlan, counts: MergedCounts, now: Date = new Date()): RunMeta {
  const runs = plan.runs;
  const first = (runs[0] as PlannedShard).meta;
  const startedAt = earliest(runs.map((r) => r.meta.startedAt)) ?? now.toISOString();
  const finishedAt = plan.complete
    ? latest(runs.map((r) => r.meta.finishedAt).filter((t): t is string => t !== null))
    : null;
  const shards: MergedShard[] = runs.map((r) => ({
    dir: r.dir,
    index: r.shard.index,
    state: r.meta.state,
    startedAt: r.meta.startedAt,
    finishedAt: r.meta.finishedAt,
    requests: r.meta.requests,
    records: counts.perShard.get(r.shard.index) ?? 0,
    rate: r.meta.settings.rate,
    tool: r.meta.tool,
  }));
  const meta: RunMeta = {
    schema: RUN_SCHEMA,
    name: first.name,
    scanFile: first.scanFile,
    authorisation: first.authorisation,
    settings: combinedSettings(runs),
    overrides: sameJson(runs.map((r) => r.meta.overrides)) ?? {},
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    data: first.data,
    startedAt,
    finishedAt: finishedAt ?? (plan.complete ? now.toISOString() : null),
    state: plan.complete ? 'finished' : 'stopped',
    counts: { ...counts.byStatus },
    requests: runs.reduce((s, r) => s + r.meta.requests, 0),
    resumedAt: runs.flatMap((r) => r.meta.resumedAt).sort(),
    shard: null,
    merged: { mergedAt: now.toISOString(), shardCount: plan.count, shards, missing: [...plan.missing] },
  };
  const reclassified = latest(
    runs.flatMap((r) => (r.meta.reclassifiedAt === undefined ? [] : [r.meta.reclassifiedAt])),
  );
  if (reclassified !== null) meta.reclassifiedAt = reclassified;
  const scanData = sameJson(runs.map((r) => r.meta.scanData));
  if (scanData !== undefined) meta.scanData = scanData;
  return meta;
}
