// `owa-audit merge`: shard runs → one run directory; see docs/scaling.md.
export { mergeRuns, type MergeRunsOptions, type MergeRunsResult } from './merge-runs.js';
export { planMerge, scanFileDigest, type MergePlan, type ShardRun, type PlannedShard } from './plan.js';
export { mergedRunMeta, type MergedCounts } from './meta.js';
export { copyShardRecords, type CopiedRecords } from './records.js';
