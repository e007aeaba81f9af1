// Server-side request log. Cheap enough for 10,000 hosts at a thousand requests a second:
// counters live on a per-endpoint slot (no lookups on the hot path), timestamps go into a fixed
// ring of typed arrays, and paths are interned so an entry is three numbers.
import type { EndpointCount, FleetRequest, FleetRequestLog, LogFilter } from './types.js';

const MAX_PATHS_PER_ENDPOINT = 64;
const MAX_INTERNED_PATHS = 4096;
const MAX_PATH_LENGTH = 200;
const OTHER = '(other)';

interface Slot {
  ip: string;
  port: number;
  connections: number;
  requests: number;
  paths: Map<string, number> | null;
}

/** Epoch milliseconds with sub-millisecond resolution (performance.now is monotonic within a run). */
export function fleetNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Most values of a sorted array inside any window [t, t + windowMs). */
export function maxInSlidingWindow(sortedTimes: readonly number[], windowMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < sortedTimes.length; end++) {
    const tEnd = sortedTimes[end] ?? 0;
    while ((sortedTimes[start] ?? 0) <= tEnd - windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

export class RequestLog implements FleetRequestLog {
  readonly capacity: number;
  private readonly slots: Slot[] = [];
  private readonly slotsByIp = new Map<string, number[]>();
  private readonly times: Float64Array;
  private readonly slotOf: Int32Array;
  private readonly pathOf: Int32Array;
  private readonly pathIds = new Map<string, number>();
  private readonly pathNames: string[] = [];
  private next = 0;
  private stored = 0;
  private droppedCount = 0;
  private requestCount = 0;
  private connectionCount = 0;

  constructor(capacity: number) {
    this.capacity = Math.max(0, Math.floor(capacity));
    this.times = new Float64Array(this.capacity);
    this.slotOf = new Int32Array(this.capacity);
    this.pathOf = new Int32Array(this.capacity);
  }

  /** One slot per listening endpoint; the returned id is what the hot path passes back. */
  register(ip: string, port: number): number {
    const id = this.slots.length;
    this.slots.push({ ip, port, connections: 0, requests: 0, paths: null });
    const ids = this.slotsByIp.get(ip);
    if (ids === undefined) this.slotsByIp.set(ip, [id]);
    else ids.push(id);
    return id;
  }

  connection(slotId: number): void {
    const slot = this.slots[slotId];
    if (slot === undefined) return;
    slot.connections++;
    this.connectionCount++;
  }

  request(slotId: number, rawPath: string, t: number = fleetNow()): void {
    const slot = this.slots[slotId];
    if (slot === undefined) return;
    const path = rawPath.length > MAX_PATH_LENGTH ? rawPath.slice(0, MAX_PATH_LENGTH) : rawPath;
    slot.requests++;
    this.requestCount++;
    slot.paths ??= new Map();
    const key = slot.paths.has(path) || slot.paths.size < MAX_PATHS_PER_ENDPOINT ? path : OTHER;
    slot.paths.set(key, (slot.paths.get(key) ?? 0) + 1);
    if (this.capacity === 0) return;
    if (this.stored === this.capacity) this.droppedCount++;
    else this.stored++;
    this.times[this.next] = t;
    this.slotOf[this.next] = slotId;
    this.pathOf[this.next] = this.intern(key);
    this.next = (this.next + 1) % this.capacity;
  }

  get requests(): number {
    return this.requestCount;
  }

  get connections(): number {
    return this.connectionCount;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  count(ip: string, port?: number, path?: string): number {
    let n = 0;
    for (const slot of this.slotsFor({ ip, ...(port === undefined ? {} : { port }) })) {
      n += path === undefined ? slot.requests : (slot.paths?.get(path) ?? 0);
    }
    return n;
  }

  connectionsTo(ip: string, port?: number): number {
    let n = 0;
    for (const slot of this.slotsFor({ ip, ...(port === undefined ? {} : { port }) })) n += slot.connections;
    return n;
  }

  endpoints(): EndpointCount[] {
    return this.slots
      .filter((s) => s.connections > 0 || s.requests > 0)
      .map((s) => ({
        ip: s.ip,
        port: s.port,
        connections: s.connections,
        requests: s.requests,
        paths: new Map(s.paths ?? []),
      }));
  }

  maxRequestsPerEndpoint(): number {
    let max = 0;
    for (const slot of this.slots) max = Math.max(max, slot.requests);
    return max;
  }

  entries(filter?: LogFilter): FleetRequest[] {
    const out: FleetRequest[] = [];
    const first = this.stored === this.capacity ? this.next : 0;
    for (let k = 0; k < this.stored; k++) {
      const i = (first + k) % this.capacity;
      const slot = this.slots[this.slotOf[i] ?? -1];
      if (slot === undefined) continue;
      if (filter?.ip !== undefined && slot.ip !== filter.ip) continue;
      if (filter?.port !== undefined && slot.port !== filter.port) continue;
      out.push({
        ip: slot.ip,
        port: slot.port,
        path: this.pathNames[this.pathOf[i] ?? -1] ?? OTHER,
        t: this.times[i] ?? 0,
      });
    }
    return out;
  }

  maxInWindow(windowMs: number, filter?: LogFilter): number {
    const times = this.entries(filter).map((e) => e.t);
    times.sort((a, b) => a - b);
    return maxInSlidingWindow(times, windowMs);
  }

  minGapMs(ip: string): number | null {
    const times = this.entries({ ip }).map((e) => e.t);
    if (times.length < 2) return null;
    times.sort((a, b) => a - b);
    let min = Infinity;
    for (let i = 1; i < times.length; i++) min = Math.min(min, (times[i] ?? 0) - (times[i - 1] ?? 0));
    return min;
  }

  reset(): void {
    for (const slot of this.slots) {
      slot.connections = 0;
      slot.requests = 0;
      slot.paths = null;
    }
    this.next = 0;
    this.stored = 0;
    this.droppedCount = 0;
    this.requestCount = 0;
    this.connectionCount = 0;
  }

  private slotsFor(filter: LogFilter): Slot[] {
    const ids = filter.ip === undefined ? this.slots.map((_, i) => i) : (this.slotsByIp.get(filter.ip) ?? []);
    const out: Slot[] = [];
    for (const id of ids) {
      const slot = this.slots[id];
      if (slot !== undefined && (filter.port === undefined || slot.port === filter.port)) out.push(slot);
    }
    return out;
  }

  private intern(path: string): number {
    const known = this.pathIds.get(path);
    if (known !== undefined) return known;
    const key = this.pathNames.length < MAX_INTERNED_PATHS ? path : OTHER;
    const again = this.pathIds.get(key);
    if (again !== undefined) return again;
    this.pathNames.push(key);
    this.pathIds.set(key, this.pathNames.length - 1);
    return this.pathNames.length - 1;
  }
}
