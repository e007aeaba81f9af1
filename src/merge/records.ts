// The records of the shard runs, streamed into one results.jsonl. Each record is checked to
// belong to the shard it came from (the shard is recomputed from its pre-resolution identity),
// and no endpoint may appear twice: either would mean the shards overlapped, which a correct
// split cannot produce, so the merge is refused rather than silently deduplicated.
//
// Memory: 8 bytes per record (a 64-bit hash of its endpoint key); an exact second pass looks at
// the records whose hashes collided, so a hash collision never refuses a good merge.
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { RESULTS_FILE } from '../run-store/run-dir.js';
import { keyHash, KeySetBuilder } from '../core/key-set.js';
import type { ResultsSink } from '../run-store/results-sink.js';
import { addToTally, emptyTally } from '../run-store/tally.js';
import { readResults, type ReadStats } from '../run-store/read-results.js';
import { endpointKey, type ResultRecord } from '../core/result-schema.js';
import { formatShard, recordIdentity, shardOf } from '../shard/index.js';
import type { MergedCounts } from './meta.js';
import type { MergePlan, PlannedShard } from './plan.js';

export interface CopiedRecords extends MergedCounts {
  records: number;
  /** Lines of a shard's results.jsonl that were not records (a torn tail, a foreign line). */
  skipped: { dir: string; lines: number }[];
  /** Some record carries an owner: the scan file has owners, so per-owner reports apply. */
  owners: boolean;
}

async function* recordsOf(run: PlannedShard, stats: ReadStats): AsyncGenerator<ResultRecord> {
  const file = join(run.dir, RESULTS_FILE);
  try {
    yield* readResults(file, stats);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new InputError('not a run directory: results.jsonl is missing', { file });
    throw e;
  }
}

function checkMembership(run: PlannedShard, r: ResultRecord): void {
  const file = join(run.dir, RESULTS_FILE);
  const identity = recordIdentity(r);
  if (identity === null)
    throw new InputError(`a record has neither host nor ip: ${endpointKey(r)}`, { file });
  const k = shardOf(identity, run.shard.count);
  if (k !== run.shard.index) {
    throw new InputError(
      `${endpointKey(r)} belongs to shard ${k}/${run.shard.count}, not to shard ${formatShard(run.shard)} that this run claims to be: ` +
        'the runs overlap or were split differently (another owa-audit version?), so they cannot be merged',
      { file },
    );
  }
}

/** Second pass, only when hashes repeated: the first endpoint key that really appears twice. */
async function findDuplicate(
  plan: MergePlan,
  suspects: ReadonlySet<bigint>,
): Promise<{ key: string; first: string; second: string } | null> {
  const seen = new Map<string, string>();
  for (const run of plan.runs) {
    for await (const r of recordsOf(run, { records: 0, skippedLines: 0 })) {
      const key = endpointKey(r);
      if (!suspects.has(keyHash(key))) continue;
      const where = seen.get(key);
      if (where !== undefined) return { key, first: where, second: run.dir };
      seen.set(key, run.dir);
    }
  }
  return null;
}

/** Stream every record of the plan's runs, in shard order, into `sink`. */
export async function copyShardRecords(plan: MergePlan, sink: ResultsSink): Promise<CopiedRecords> {
  const tally = emptyTally();
  const perShard = new Map<number, number>();
  const skipped: { dir: string; lines: number }[] = [];
  const hashes = new KeySetBuilder();
  let owners = false;
  for (const run of plan.runs) {
    const stats: ReadStats = { records: 0, skippedLines: 0 };
    for await (const r of recordsOf(run, stats)) {
      checkMembership(run, r);
      hashes.add(endpointKey(r));
      addToTally(tally, r);
      if (r.owner !== null) owners = true;
      await sink.write(r);
    }
    perShard.set(run.shard.index, stats.records);
    if (stats.skippedLines > 0) skipped.push({ dir: run.dir, lines: stats.skippedLines });
  }
  const suspects = hashes.repeated();
  if (suspects.size > 0) {
    const dup = await findDuplicate(plan, suspects);
    if (dup !== null) {
      const where =
        dup.first === dup.second ? `twice in ${dup.first}` : `in ${dup.first} and in ${dup.second}`;
      throw new InputError(
        `endpoint ${dup.key} has two records (${where}): the shard runs overlap, so they cannot be merged`,
        {
          file: join(dup.second, RESULTS_FILE),
        },
      );
    }
  }
  return { byStatus: tally.byStatus, perShard, records: tally.records, skipped, owners };
}
