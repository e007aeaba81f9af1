// What the report must know about each Exchange server before it lays one out: how many Exchange
// endpoints it has, its worst verdict, whether it is a finding, and whether its endpoints disagree
// about the version. Collected in the report's first pass over results.jsonl, per address and
// owner (the grouping is only known at the end of that pass), then folded into servers — for the
// main report and for each owner's, which sees only its own endpoints.
//
// Memory: one small entry per Exchange address and owner; verdicts are kept once per distinct
// verdict, not per endpoint.
import type { ExchangeVerdict, Precision, ProductName, ResultRecord } from '../results/schema.js';
import type { ServerIndex } from './server-grouping.js';
import { serverBase } from './server-identity.js';
import { compareVerdicts, verdictKey } from './server-verdict.js';
import { needsDetail } from './summary-counter.js';

/** Distinct readings kept per server to show how its endpoints disagree. */
export const READINGS_SHOWN = 4;

/** What one Exchange endpoint read; null when it carried no verdict. */
export type Reading = { product: ProductName; build: string | null; precision: Precision } | null;

export interface ServerFacts {
  key: string;
  /** Endpoints with status `exchange`. */
  exchange: number;
  /** The worst verdict of its Exchange endpoints; null when one of them carried no verdict. */
  worst: ExchangeVerdict | null;
  /** Some endpoint needs a detailed section (a finding, or a verdict that is only possible). */
  finding: boolean;
  /** Distinct readings of its Exchange endpoints, at most READINGS_SHOWN. */
  readings: Reading[];
  /** The Exchange endpoints read different versions (or some none). */
  disagree: boolean;
}

export interface ResolvedServers {
  /** Exchange servers of the whole run, by server key. */
  main: Map<string, ServerFacts>;
  /** Per owner: the same, from that owner's endpoints only. */
  byOwner: Map<string, Map<string, ServerFacts>>;
}

function readingOf(v: ExchangeVerdict | null): Reading {
  return v === null ? null : { product: v.product, build: v.build, precision: v.precision };
}

const sameReading = (a: Reading, b: Reading): boolean =>
  a === b ||
  (a !== null && b !== null && a.product === b.product && a.build === b.build && a.precision === b.precision);

function emptyFacts(key: string): ServerFacts {
  return { key, exchange: 0, worst: null, finding: false, readings: [], disagree: false };
}

function addReading(f: ServerFacts, reading: Reading): void {
  if (f.readings.some((r) => sameReading(r, reading))) return;
  if (f.readings.length > 0) f.disagree = true;
  if (f.readings.length < READINGS_SHOWN) f.readings.push(reading);
}

function mergeInto(target: ServerFacts, f: ServerFacts): void {
  target.worst =
    target.exchange === 0 ? f.worst : compareVerdicts(f.worst, target.worst) < 0 ? f.worst : target.worst;
  target.exchange += f.exchange;
  target.finding ||= f.finding;
  for (const r of f.readings) addReading(target, r);
  target.disagree ||= f.disagree;
}

interface Entry {
  base: string;
  owner: string | null;
  facts: ServerFacts;
}

export class ServerTable {
  private readonly entries = new Map<string, Entry>();
  private readonly verdicts = new Map<string, ExchangeVerdict>();

  /** One record of the first pass. Only Exchange endpoints leave a trace. */
  add(r: ResultRecord): void {
    if (r.status !== 'exchange') return;
    const base = serverBase(r);
    const owner = r.owner?.name ?? null;
    const id = owner === null ? base : `${base}\n${owner}`;
    let e = this.entries.get(id);
    if (e === undefined) {
      e = { base, owner, facts: emptyFacts(base) };
      this.entries.set(id, e);
    }
    const f = e.facts;
    const v = this.intern(r.exchange);
    f.worst = f.exchange === 0 || compareVerdicts(v, f.worst) < 0 ? v : f.worst;
    f.exchange++;
    f.finding ||= needsDetail(r);
    addReading(f, readingOf(v));
  }

  private intern(v: ExchangeVerdict | null): ExchangeVerdict | null {
    if (v === null) return null;
    const key = verdictKey(v);
    const known = this.verdicts.get(key);
    if (known !== undefined) return known;
    this.verdicts.set(key, v);
    return v;
  }

  /** Folds addresses into servers once the grouping is known. The table is empty afterwards. */
  resolve(index: ServerIndex): ResolvedServers {
    const main = new Map<string, ServerFacts>();
    const byOwner = new Map<string, Map<string, ServerFacts>>();
    const fold = (into: Map<string, ServerFacts>, key: string, f: ServerFacts): void => {
      let t = into.get(key);
      if (t === undefined) {
        t = emptyFacts(key);
        into.set(key, t);
      }
      mergeInto(t, f);
    };
    for (const e of this.entries.values()) {
      const key = index.keyOfBase(e.base);
      fold(main, key, e.facts);
      if (e.owner === null) continue;
      let own = byOwner.get(e.owner);
      if (own === undefined) {
        own = new Map();
        byOwner.set(e.owner, own);
      }
      fold(own, key, e.facts);
    }
    this.entries.clear();
    this.verdicts.clear();
    return { main, byOwner };
  }
}
