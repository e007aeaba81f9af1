// `--shard K/N`: K counts from 1 (shard 1/4 … 4/4), like the runs an operator sees and a
// Kubernetes Indexed Job's $((JOB_COMPLETION_INDEX + 1)).
import { InputError } from '../core/errors.js';
import type { ShardSpec } from '../run-store/run-meta.js';
import type { TargetFilter } from '../scope/expand.js';
import { MAX_SHARDS, shardOf } from './hash.js';

const FIELD = { file: 'command line', field: '--shard' };

/** "2/4" → { index: 2, count: 4 }; anything else is bad input naming `--shard`. */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d{1,6})\s*\/\s*(\d{1,6})\s*$/.exec(text);
  if (m === null) {
    throw new InputError(
      `expected K/N (shard K of N, K from 1 to N, e.g. 2/4), got "${text.slice(0, 40)}"`,
      FIELD,
    );
  }
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS)
    throw new InputError(`N must be from 1 to ${MAX_SHARDS}, got ${count}`, FIELD);
  if (index < 1 || index > count) {
    throw new InputError(
      `K counts from 1 to N (${count}), got ${index}${index === 0 ? ' (shards are numbered from 1)' : ''}`,
      FIELD,
    );
  }
  return { index, count };
}

export function formatShard(s: ShardSpec): string {
  return `${s.index}/${s.count}`;
}

/** The target filter of one shard, for expandTargets. */
export function shardFilter(s: ShardSpec): TargetFilter {
  return { accepts: (identity) => shardOf(identity, s.count) === s.index, share: 1 / s.count };
}
