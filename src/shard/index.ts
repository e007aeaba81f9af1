// Deterministic shards of a scan (`scan --shard K/N`); see docs/scaling.md.
export { SHARD_HASH, MAX_SHARDS, shardHash, shardIdentity, shardOf, recordIdentity } from './hash.js';
export { parseShard, formatShard, shardFilter } from './spec.js';
