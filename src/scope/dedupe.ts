// Duplicate suppression for target expansion, with memory bounded by what can repeat.
// - Ranges (CIDRs, default expansion) are deduplicated as intervals: a range listed twice, or two
//   overlapping ranges, yield each address once, at no cost per address.
// - Single endpoints (listed IPs, resolved names, file lines) are remembered one by one, since a
//   masscan or hand-written file may repeat them: ≈ 30–40 bytes per distinct IPv4 endpoint (a
//   numeric key), more for IPv6 and names (a string key). Memory thus grows with the number of
//   distinct single targets read from files — a few tens of MB per million — never with the
//   size of a range.
import type { Scheme } from '../core/result-schema.js';
import { endpointKey } from '../core/result-schema.js';
import type { PortSpec } from '../scanfile/types.js';
import { findInterval, mergeIntervals, subtractIntervals, V4Lookup, type Interval } from './intervals.js';
import { parseIPv4, parseIPv6 } from '../core/ip.js';
import type { Family } from './rules.js';

/** Exact numeric key of a bare IPv4 endpoint: 32 + 16 + 1 bits, below 2^53. */
function v4Key(n: number, port: number, scheme: Scheme): number {
  return n * 131072 + port * 2 + (scheme === 'http' ? 1 : 0);
}

export class EndpointDedupe {
  private readonly singlesV4 = new Set<number>();
  private readonly singles = new Set<string>();
  private ranges4: Interval[] = [];
  private ranges6: Interval[] = [];
  private lookup4 = new V4Lookup([]);

  constructor(private readonly scanPorts: readonly PortSpec[]) {}

  /** Part of `intervals` not yet emitted as a range; records it as emitted. */
  claimRange(family: Family, intervals: readonly Interval[]): Interval[] {
    const done = family === 4 ? this.ranges4 : this.ranges6;
    const fresh = subtractIntervals(mergeIntervals(intervals), done);
    if (fresh.length === 0) return fresh;
    const merged = mergeIntervals([...done, ...fresh]);
    if (family === 4) {
      this.ranges4 = merged;
      this.lookup4 = new V4Lookup(merged);
    } else {
      this.ranges6 = merged;
    }
    return fresh;
  }

  /** Whether a range address collides with a single endpoint already emitted. */
  seenSingleV4(n: number, port: number, scheme: Scheme): boolean {
    return this.singlesV4.size > 0 && this.singlesV4.has(v4Key(n, port, scheme));
  }

  seenSingle(ip: string, port: number, scheme: Scheme): boolean {
    return this.singles.size > 0 && this.singles.has(endpointKey({ scheme, ip, port, host: null }));
  }

  /** True when the endpoint is new (and records it). `ip` null: an unprobeable name. */
  claim(ip: string | null, port: number, scheme: Scheme, host: string | null): boolean {
    if (host === null && ip !== null && this.coveredByRange(ip, port, scheme)) return false;
    const n = host === null && ip !== null ? parseIPv4(ip) : -1;
    if (n >= 0) {
      const k = v4Key(n, port, scheme);
      if (this.singlesV4.has(k)) return false;
      this.singlesV4.add(k);
      return true;
    }
    const key = endpointKey({ scheme, ip, port, host });
    if (this.singles.has(key)) return false;
    this.singles.add(key);
    return true;
  }

  private coveredByRange(ip: string, port: number, scheme: Scheme): boolean {
    // Ranges are expanded over the scan's ports only.
    if (!this.scanPorts.some((p) => p.port === port && p.scheme === scheme)) return false;
    const n = parseIPv4(ip);
    if (n >= 0) return this.lookup4.has(n);
    const v = parseIPv6(ip);
    return v !== null && findInterval(this.ranges6, v) >= 0;
  }
}
