// Counts for the report summary. Endpoints are counted one record at a time; Exchange servers
// (endpoints grouped, judged by their worst verdict) from the first pass's server facts. Memory
// grows with the number of owners and products, plus 4 bytes per endpoint to count servers (8 for
// a server that is not an IPv4 address).
import { KeySetBuilder } from '../core/key-set.js';
import { parseIPv4 } from '../core/ip.js';
import {
  ENDPOINT_STATUSES,
  PATCH_LEVELS,
  type EndpointStatus,
  type PatchLevel,
  type ProductName,
  type ResultRecord,
} from '../core/result-schema.js';
import type { ServerFacts } from './server-table.js';

export interface OwnerCounts {
  name: string;
  contact: string | null;
  endpoints: number;
  /** Exchange servers of this owner. */
  exchange: number;
  levels: Record<PatchLevel, number>;
  eol: number;
}

export const zeroLevels = (): Record<PatchLevel, number> => ({
  vulnerable: 0,
  outdated: 0,
  current: 0,
  unknown: 0,
});

type ServerFactsMap = ReadonlyMap<string, ServerFacts>;

/** Counts distinct server keys: IPv4 keys exactly as 32-bit numbers, the others as 64-bit hashes. */
class DistinctKeys {
  private v4 = new Uint32Array(1024);
  private size = 0;
  private readonly others = new KeySetBuilder();

  add(key: string): void {
    const n = parseIPv4(key);
    if (n < 0) {
      this.others.add(key);
      return;
    }
    if (this.size === this.v4.length) {
      const grown = new Uint32Array(this.v4.length * 2);
      grown.set(this.v4);
      this.v4 = grown;
    }
    this.v4[this.size++] = n;
  }

  /** The count; the counter must not be used afterwards. */
  count(): number {
    const sorted = this.v4.subarray(0, this.size).sort();
    let unique = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) unique++;
    this.v4 = new Uint32Array(0);
    return unique + this.others.build().size;
  }
}

export class SummaryCounter {
  /** Endpoints. */
  total = 0;
  readonly byStatus = Object.fromEntries(ENDPOINT_STATUSES.map((s) => [s, 0])) as Record<
    EndpointStatus,
    number
  >;
  /** Exchange servers by their worst verdict. */
  readonly byLevel = Object.fromEntries(
    PATCH_LEVELS.map((l) => [l, { confirmed: 0, possible: 0 }]),
  ) as Record<PatchLevel, { confirmed: number; possible: number }>;
  readonly byProduct = new Map<
    ProductName,
    { total: number; supported: number; eol: number; vulnerable: number }
  >();
  readonly byOwner = new Map<string, OwnerCounts>();
  /** Known-exploited CVEs → Exchange servers it applies to. */
  readonly kevHosts = new Map<
    string,
    { name: string; score: number | null; severity: string | null; confirmed: number; possible: number }
  >();
  /** Endpoints without an owner. */
  unowned = 0;
  /** Exchange servers without a readable verdict. */
  noVerdict = 0;
  /** Exchange servers out of support. */
  eol = 0;
  /** Exchange servers. */
  exchangeServers = 0;
  /** Servers (distinct server keys among all endpoints); set by countServers. */
  servers = 0;
  private serverKeys: DistinctKeys | null = new DistinctKeys();

  /** One endpoint and the key of its server. */
  add(r: ResultRecord, serverKey: string): void {
    this.total++;
    this.byStatus[r.status]++;
    this.serverKeys?.add(serverKey);
    if (r.owner === null) this.unowned++;
    else {
      let o = this.byOwner.get(r.owner.name);
      if (o === undefined) {
        o = {
          name: r.owner.name,
          contact: r.owner.contact,
          endpoints: 0,
          exchange: 0,
          levels: zeroLevels(),
          eol: 0,
        };
        this.byOwner.set(r.owner.name, o);
      }
      o.endpoints++;
    }
  }

  /**
   * The Exchange servers (and each owner's, for the owner table), once all endpoints were added.
   * Counted once: later calls change nothing.
   */
  countServers(servers: ServerFactsMap, byOwner: ReadonlyMap<string, ServerFactsMap> | null): void {
    if (this.serverKeys === null) return;
    this.servers = this.serverKeys.count();
    this.serverKeys = null;
    for (const f of servers.values()) this.addServer(f);
    for (const [name, own] of byOwner ?? []) {
      const o = this.byOwner.get(name);
      if (o === undefined) continue;
      for (const f of own.values()) {
        o.exchange++;
        if (f.worst === null) continue;
        o.levels[f.worst.patchLevel]++;
        if (!f.worst.supported) o.eol++;
      }
    }
  }

  private addServer(f: ServerFacts): void {
    this.exchangeServers++;
    const v = f.worst;
    if (v === null) {
      this.noVerdict++;
      return;
    }
    this.byLevel[v.patchLevel][v.certainty]++;
    if (!v.supported) this.eol++;
    let p = this.byProduct.get(v.product);
    if (p === undefined) {
      p = { total: 0, supported: 0, eol: 0, vulnerable: 0 };
      this.byProduct.set(v.product, p);
    }
    p.total++;
    if (v.supported) p.supported++;
    else p.eol++;
    if (v.patchLevel === 'vulnerable') p.vulnerable++;
    for (const c of v.cves) {
      if (!c.kev) continue;
      let k = this.kevHosts.get(c.id);
      if (k === undefined) {
        k = {
          name: c.name ?? '',
          score: c.score ?? null,
          severity: c.severity ?? null,
          confirmed: 0,
          possible: 0,
        };
        this.kevHosts.set(c.id, k);
      }
      k[c.certainty]++;
    }
  }

  /** Endpoints with status `exchange`. */
  get exchangeEndpoints(): number {
    return this.byStatus.exchange;
  }
}
