// Which shard runs can become one run, decided from their run.json alone (pure): the same scan
// file, the same data, one split into N, each shard once. Every refusal is bad input (exit 2)
// whose message names the runs and what differs between them.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { RUN_FILE } from '../run-store/run-dir.js';
import { type RunMeta, type ShardSpec } from '../run-store/run-meta.js';
import { formatShard } from '../shard/index.js';

export interface ShardRun {
  /** Absolute path of the run directory. */
  dir: string;
  meta: RunMeta;
}

export interface PlannedShard extends ShardRun {
  shard: ShardSpec;
}

export interface MergePlan {
  /** The runs to merge, by shard index. */
  runs: PlannedShard[];
  /** N of the split. */
  count: number;
  /** Shard indices not given (only with `partial`). */
  missing: number[];
  /** Every shard present and finished: the merged run is finished. */
  complete: boolean;
  /** What the user should know (only with `partial`: what is missing or unfinished). */
  warnings: string[];
}

/** Short fingerprint of a scan file's text: two runs of one scan file share it. */
export function scanFileDigest(source: string): string {
  return createHash('sha256').update(source, 'utf8').digest('hex').slice(0, 16);
}

function runFile(r: ShardRun): string {
  return join(r.dir, RUN_FILE);
}

function sameScanFile(first: ShardRun, other: ShardRun): void {
  const a = first.meta;
  const b = other.meta;
  if (a.name === b.name && a.scanFile.source === b.scanFile.source) return;
  const describe = (r: ShardRun): string =>
    `${r.dir} (scan "${r.meta.name}", scan file ${r.meta.scanFile.path}, sha256 ${scanFileDigest(r.meta.scanFile.source)})`;
  const what = a.name === b.name ? 'the scan files differ in content' : 'the scan names differ';
  throw new InputError(
    `runs of different scan files cannot be merged (${what}): ${describe(first)} and ${describe(other)}`,
    {
      file: runFile(other),
      field: 'scanFile',
    },
  );
}

function sameData(first: ShardRun, other: ShardRun): void {
  const a = first.meta.data;
  const b = other.meta.data;
  if (a.version === b.version) return;
  const show = (d: { version: string | null; asOf: string | null }): string =>
    `${d.version ?? 'unknown'}${d.asOf === null ? '' : ` as of ${d.asOf}`}`;
  throw new InputError(
    `runs classified with different data versions cannot be merged: ${first.dir} has data ${show(a)}, ${other.dir} has ${show(b)}; ` +
      'bring them to the same data with `owa-audit reclassify <run-dir>` on each, then merge again',
    { file: runFile(other), field: 'data.version' },
  );
}

function shardOfRun(r: ShardRun): ShardSpec {
  const s = r.meta.shard;
  if (s === undefined || s === null) {
    throw new InputError(
      `${r.dir} is not a shard run (it was not started with \`scan --shard K/N\`); only shard runs can be merged`,
      {
        file: runFile(r),
        field: 'shard',
      },
    );
  }
  return s;
}

/**
 * Check that `runs` are shards of one scan and say how they combine. Refuses (InputError) runs of
 * different scan files or data versions, non-shard runs, different splits, a shard given twice,
 * and — unless `partial` — a missing or unfinished shard.
 */
export function planMerge(runs: readonly ShardRun[], opts: { partial: boolean }): MergePlan {
  const first = runs[0];
  if (first === undefined)
    throw new InputError('give the shard run directories to merge', {
      file: 'command line',
      field: 'run-dir',
    });
  for (const r of runs.slice(1)) {
    sameScanFile(first, r);
    sameData(first, r);
  }
  const planned: PlannedShard[] = runs.map((r) => ({ ...r, shard: shardOfRun(r) }));
  const count = (planned[0] as PlannedShard).shard.count;
  const byIndex = new Map<number, PlannedShard>();
  for (const r of planned) {
    if (r.shard.count !== count) {
      const a = planned[0] as PlannedShard;
      throw new InputError(
        `${a.dir} is shard ${formatShard(a.shard)} but ${r.dir} is shard ${formatShard(r.shard)}: shards of different splits cannot be merged`,
        { file: runFile(r), field: 'shard.count' },
      );
    }
    const seen = byIndex.get(r.shard.index);
    if (seen !== undefined) {
      throw new InputError(
        seen.dir === r.dir
          ? `${r.dir} is given twice`
          : `shard ${formatShard(r.shard)} is given twice, as ${seen.dir} and ${r.dir}: the runs overlap; merge one run per shard`,
        { file: runFile(r), field: 'shard.index' },
      );
    }
    byIndex.set(r.shard.index, r);
  }

  const warnings: string[] = [];
  const missing: number[] = [];
  for (let k = 1; k <= count; k++) if (!byIndex.has(k)) missing.push(k);
  if (missing.length > 0) {
    const list = `${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''} (of ${count})`;
    if (!opts.partial) {
      throw new InputError(
        `shard${missing.length === 1 ? '' : 's'} ${list} missing: give all ${count} shard runs, or pass --partial for an incomplete merged run`,
        { file: 'command line', field: 'run-dir' },
      );
    }
    warnings.push(
      `shard${missing.length === 1 ? '' : 's'} ${list} missing: the merged run is incomplete (state stopped)`,
    );
  }
  for (const r of planned) {
    if (r.meta.state === 'finished') continue;
    const advice = `finish it with \`owa-audit scan --resume ${r.dir}\``;
    if (!opts.partial) {
      throw new InputError(
        `${r.dir} (shard ${formatShard(r.shard)}) did not finish (state: ${r.meta.state}); ${advice}, or pass --partial`,
        {
          file: runFile(r),
          field: 'state',
        },
      );
    }
    warnings.push(
      `${r.dir} (shard ${formatShard(r.shard)}) did not finish (state: ${r.meta.state}): the merged run is incomplete; ${advice} and merge again`,
    );
  }
  const sorted = [...byIndex.values()].sort((a, b) => a.shard.index - b.shard.index);
  const complete = missing.length === 0 && sorted.every((r) => r.meta.state === 'finished');
  return { runs: sorted, count, missing, complete, warnings };
}
