// Counts for the report summary, accumulated one record at a time: memory grows with the number
// of owners and products, never with the number of endpoints.
import {
  ENDPOINT_STATUSES,
  PATCH_LEVELS,
  type EndpointStatus,
  type PatchLevel,
  type ProductName,
  type ResultRecord,
} from '../results/schema.js';
import { actionGroupOf } from './priority.js';

export interface OwnerCounts {
  name: string;
  contact: string | null;
  endpoints: number;
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

export class SummaryCounter {
  total = 0;
  readonly byStatus = Object.fromEntries(ENDPOINT_STATUSES.map((s) => [s, 0])) as Record<
    EndpointStatus,
    number
  >;
  readonly byLevel = Object.fromEntries(
    PATCH_LEVELS.map((l) => [l, { confirmed: 0, possible: 0 }]),
  ) as Record<PatchLevel, { confirmed: number; possible: number }>;
  readonly byProduct = new Map<
    ProductName,
    { total: number; supported: number; eol: number; vulnerable: number }
  >();
  readonly byOwner = new Map<string, OwnerCounts>();
  readonly kevHosts = new Map<
    string,
    { name: string; score: number | null; severity: string | null; confirmed: number; possible: number }
  >();
  unowned = 0;
  /** Exchange hosts whose record carries no readable verdict. */
  noVerdict = 0;
  eol = 0;

  add(r: ResultRecord): void {
    this.total++;
    this.byStatus[r.status]++;
    const v = r.exchange;
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
      if (r.status === 'exchange') o.exchange++;
      if (v !== null) {
        o.levels[v.patchLevel]++;
        if (!v.supported) o.eol++;
      }
    }
    if (r.status === 'exchange' && v === null) this.noVerdict++;
    if (v === null) return;
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

  get exchangeCount(): number {
    return this.byStatus.exchange;
  }
}

/** True when a record needs a detailed section (a finding, or an uncertain verdict to explain). */
export function needsDetail(r: ResultRecord): boolean {
  if (r.status !== 'exchange') return false;
  if (r.exchange === null) return true;
  return actionGroupOf(r.exchange) !== 'none' || r.exchange.certainty === 'possible';
}
