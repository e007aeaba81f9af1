// Which shard a target belongs to. The unit is the target's identity *before* name resolution:
// a hostname (lower case, no trailing dot) or an address (canonical text). Every endpoint of a
// name — all its addresses, all the scan's ports — therefore lands in the shard of the name, and
// all endpoints of a bare address in the shard of the address:
// - DNS may answer differently in different shard processes; since no shard decides by a
//   resolved address, such differences can change which addresses a name has, never whether an
//   endpoint is scanned twice or not at all;
// - a bare address is probed by one shard on every port, so its per-IP gap holds across shards.
//
// The hash is part of the run-directory contract: a resumed shard and `merge` recompute it, so it
// must never change. test/shard-hash.test.ts pins its values.
import { canonicalIp } from '../core/ip.js';

/** Name of the assignment below, for messages and docs. */
export const SHARD_HASH = 'fnv1a32+fmix32 of the pre-resolution identity';

/** Largest N of `--shard K/N` (a Kubernetes Indexed Job allows up to 100,000 completions). */
export const MAX_SHARDS = 100_000;

/**
 * 32-bit FNV-1a over the UTF-16 code units, finished with MurmurHash3's fmix32 so that keys
 * differing only in their last characters (consecutive addresses) spread over the high bits too.
 */
export function shardHash(identity: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < identity.length; i++) {
    h ^= identity.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The identity the hash sees: canonical address text, or the lower-case name without a trailing dot. */
export function shardIdentity(nameOrAddress: string): string {
  return canonicalIp(nameOrAddress) ?? nameOrAddress.toLowerCase().replace(/\.$/, '');
}

/**
 * The shard (1..count) of a target. Scales the hash instead of taking it modulo `count`: the
 * high bits decide, and every shard owns 2^32 / count hash values, give or take one.
 */
export function shardOf(nameOrAddress: string, count: number): number {
  // hash < 2^32 and count ≤ 10^5, so the product is exact in a double.
  return Math.floor((shardHash(shardIdentity(nameOrAddress)) * count) / 2 ** 32) + 1;
}

/**
 * The pre-resolution identity of a result record: its name when it was scanned by name
 * (records of names carry `host`), else its address. Null for a record with neither.
 */
export function recordIdentity(r: { host: string | null; ip: string | null }): string | null {
  return r.host ?? r.ip;
}
