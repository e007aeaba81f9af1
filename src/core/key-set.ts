// A compact, read-only set of endpoint keys for resume: 8 bytes per key (the first 64 bits of
// SHA-1 of the key) in a sorted BigUint64Array, looked up by binary search. Ten million finished
// endpoints take 80 MB instead of the ~1 GB a Set of strings would.
//
// Collision odds: a key that is *not* in the set is wrongly reported present with probability
// n / 2^64 per lookup (n keys in the set). For n = 10^7 and 10^7 lookups that is
// 10^14 / 1.8·10^19 ≈ 5·10^-6 over the whole resume; the cost of a collision is one endpoint
// skipped (no record), which is far below any other source of loss in a scan.
import { hash } from 'node:crypto';

export function keyHash(key: string): bigint {
  return (hash('sha1', key, 'buffer') as unknown as Buffer).readBigUInt64BE(0);
}

export class KeySetBuilder {
  private hashes = new BigUint64Array(1024);
  private size = 0;

  add(key: string): void {
    if (this.size === this.hashes.length) {
      const grown = new BigUint64Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[this.size++] = keyHash(key);
  }

  get count(): number {
    return this.size;
  }

  /** Hashes added more than once (keyHash). Sorts in place: add no more afterwards. */
  repeated(): Set<bigint> {
    const sorted = this.hashes.subarray(0, this.size).sort();
    const out = new Set<bigint>();
    for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) out.add(sorted[i] as bigint);
    return out;
  }

  /** Sort, drop duplicates, and trim to size. The builder must not be used afterwards. */
  build(): KeySet {
    const sorted = this.hashes.subarray(0, this.size).sort();
    let unique = 0;
    for (let i = 0; i < sorted.length; i++) {
      if (i === 0 || sorted[i] !== sorted[unique - 1]) sorted[unique++] = sorted[i] as bigint;
    }
    const exact = sorted.slice(0, unique);
    this.hashes = new BigUint64Array(0);
    this.size = 0;
    return new KeySet(exact);
  }
}

export class KeySet {
  constructor(private readonly sorted: BigUint64Array) {}

  get size(): number {
    return this.sorted.length;
  }

  has(key: string): boolean {
    const h = keyHash(key);
    let lo = 0;
    let hi = this.sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.sorted[mid] as bigint;
      if (v === h) return true;
      if (v < h) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}
