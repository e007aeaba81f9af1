// Sets of addresses as sorted, merged, inclusive intervals. Scope arithmetic (include minus
// exclude minus the built-in refusals) is done on intervals once, so that expanding a /8 never
// looks at an address twice and never holds more than the interval list in memory.

export interface Interval {
  start: bigint;
  end: bigint; // inclusive
}

export function cidrInterval(network: bigint, prefix: number, bits: 32 | 128): Interval {
  const hostBits = BigInt(bits - prefix);
  return { start: network, end: network | ((1n << hostBits) - 1n) };
}

/** Sorted, overlapping and adjacent intervals joined. */
export function mergeIntervals(list: readonly Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Interval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && iv.start <= last.end + 1n) {
      if (iv.end > last.end) last.end = iv.end;
    } else {
      out.push({ start: iv.start, end: iv.end });
    }
  }
  return out;
}

/** a minus b; both merged. */
export function subtractIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const iv of a) {
    let start = iv.start;
    const end = iv.end;
    while (j < b.length && (b[j]?.end ?? 0n) < start) j++;
    let k = j;
    while (start <= end) {
      const cut = b[k];
      if (cut === undefined || cut.start > end) {
        out.push({ start, end });
        break;
      }
      if (cut.start > start) out.push({ start, end: cut.start - 1n });
      start = cut.end + 1n;
      k++;
    }
  }
  return out;
}

/** a ∩ b; both merged. */
export function intersectIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x === undefined || y === undefined) break;
    const start = x.start > y.start ? x.start : y.start;
    const end = x.end < y.end ? x.end : y.end;
    if (start <= end) out.push({ start, end });
    if (x.end < y.end) i++;
    else j++;
  }
  return out;
}

export function intervalsSize(list: readonly Interval[]): bigint {
  let n = 0n;
  for (const iv of list) n += iv.end - iv.start + 1n;
  return n;
}

/** Index of the interval containing x in a merged list, else -1 (binary search). */
export function findInterval(list: readonly Interval[], x: bigint): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const iv = list[mid];
    if (iv === undefined) return -1;
    if (x < iv.start) hi = mid - 1;
    else if (x > iv.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * Membership test for IPv4 numbers over a merged interval list, on typed arrays: the hot path of
 * checkAddress. No allocation per call.
 */
export class V4Lookup {
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;

  constructor(list: readonly Interval[]) {
    this.starts = new Float64Array(list.length);
    this.ends = new Float64Array(list.length);
    list.forEach((iv, i) => {
      this.starts[i] = Number(iv.start);
      this.ends[i] = Number(iv.end);
    });
  }

  get empty(): boolean {
    return this.starts.length === 0;
  }

  has(n: number): boolean {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (n < (starts[mid] ?? 0)) hi = mid - 1;
      else if (n > (this.ends[mid] ?? -1)) lo = mid + 1;
      else return true;
    }
    return false;
  }
}
