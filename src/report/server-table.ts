// What the report must know about each Exchange server before it lays one out: how many Exchange
// endpoints it has, its worst verdict, whether it is a finding, and whether its endpoints disagree
// about the version. Collected in the report's first pass over results.jsonl, per address and
// owner (the grouping is only known at the end of that pass), then folded into servers — for the
// main report and for each owner's, which sees only its own endpoints.
//
// Memory: one small entry per Exchange address and owner; verdicts are kept once per distinct
// verdict, not per endpoint.
import type { ExchangeVerdict, Precision, ProductName, ResultRecord } from '../core/result-schema.js';
import type { ServerIndex } from './server-grouping.js';
import { serverBase } from './server-identity.js';
import { compareVerdicts, sameVerdict, verdictKey } from './server-verdict.js';
import { needsDetail } from './priority.js';

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
  /** verdictKey(worst), computed once. */
  worstKey: string;
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

const NO_VERDICT = verdictKey(null);

function emptyFacts(key: string): ServerFacts {
  return {
    key,
    exchange: 0,
    worst: null,
    worstKey: NO_VERDICT,
    finding: false,
    readings: [],
    disagree: false,
  };
}

function addReading(f: ServerFacts, reading: Reading): void {
  if (f.readings.includes(reading)) return; // readings are interned: equal readings are one object
  if (f.readings.length === 0) {
    f.readings = [reading]; // an array literal of one: no spare capacity on every server
    return;
  }
  f.disagree = true;
  if (f.readings.length < READINGS_SHOWN) f.readings.push(reading);
}

function takeWorst(f: ServerFacts, v: ExchangeVerdict | null, key: string): void {
  if (f.exchange === 0 || (key !== f.worstKey && compareVerdicts(v, f.worst) < 0)) {
    f.worst = v;
    f.worstKey = key;
  }
}

function mergeInto(target: ServerFacts, f: ServerFacts): void {
  takeWorst(target, f.worst, f.worstKey);
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

/** Cheap fields first: most endpoints' verdicts differ in one of them or are equal. */
const quickKey = (v: ExchangeVerdict): string =>
  `${v.build ?? ''}|${v.patchLevel}|${v.certainty}|${v.cves.length}`;

export class ServerTable {
  /** Per address: its entry, or one entry per owner when its endpoints have several. */
  private readonly bases = new Map<string, Entry | Entry[]>();
  /** Each distinct verdict once, with its key (one string per verdict, not per endpoint). */
  private readonly verdicts = new Map<string, { verdict: ExchangeVerdict; key: string }[]>();
  private readonly readings = new Map<string, Reading>();

  /** One record of the first pass. Only Exchange endpoints leave a trace. */
  add(r: ResultRecord): void {
    if (r.status !== 'exchange') return;
    const f = this.entryOf(serverBase(r), r.owner?.name ?? null).facts;
    const { verdict, key } = this.internVerdict(r.exchange);
    takeWorst(f, verdict, key);
    f.exchange++;
    f.finding ||= needsDetail(r);
    addReading(f, this.internReading(verdict));
  }

  private entryOf(base: string, owner: string | null): Entry {
    const known = this.bases.get(base);
    if (known !== undefined && !Array.isArray(known) && known.owner === owner) return known;
    const list = known === undefined ? [] : Array.isArray(known) ? known : [known];
    const found = list.find((e) => e.owner === owner);
    if (found !== undefined) return found;
    const e: Entry = { base, owner, facts: emptyFacts(base) };
    this.bases.set(base, list.length === 0 ? e : [...list, e]);
    return e;
  }

  private internVerdict(v: ExchangeVerdict | null): { verdict: ExchangeVerdict | null; key: string } {
    if (v === null) return { verdict: null, key: NO_VERDICT };
    const quick = quickKey(v);
    const known = this.verdicts.get(quick);
    const same = known?.find((k) => sameVerdict(k.verdict, v));
    if (same !== undefined) return same;
    const interned = { verdict: v, key: verdictKey(v) };
    if (known === undefined) this.verdicts.set(quick, [interned]);
    else known.push(interned);
    return interned;
  }

  private internReading(v: ExchangeVerdict | null): Reading {
    if (v === null) return null;
    const id = `${v.product}\n${v.build ?? ''}\n${v.precision}`;
    const known = this.readings.get(id);
    if (known !== undefined) return known;
    const reading = { product: v.product, build: v.build, precision: v.precision };
    this.readings.set(id, reading);
    return reading;
  }

  /**
   * Folds addresses into servers once the grouping is known. A server of one address and one
   * owner (the common case) keeps its entry's facts, shared by the main and the owner's map. The
   * table is empty afterwards.
   */
  resolve(index: ServerIndex): ResolvedServers {
    // Addresses joined with others are gathered under their server first; the rest are servers.
    const joined = new Map<string, Entry[]>();
    const main = new Map<string, ServerFacts>();
    const byOwner = new Map<string, Map<string, ServerFacts>>();
    const ownerMap = (owner: string): Map<string, ServerFacts> => {
      let own = byOwner.get(owner);
      if (own === undefined) {
        own = new Map();
        byOwner.set(owner, own);
      }
      return own;
    };
    const fold = (key: string, entries: readonly Entry[]): void => {
      const all = emptyFacts(key);
      const owners = new Map<string, ServerFacts>();
      for (const e of entries) {
        mergeInto(all, e.facts);
        if (e.owner === null) continue;
        let own = owners.get(e.owner);
        if (own === undefined) {
          own = emptyFacts(key);
          owners.set(e.owner, own);
        }
        mergeInto(own, e.facts);
      }
      main.set(key, all);
      for (const [owner, own] of owners) ownerMap(owner).set(key, own);
    };
    for (const [base, found] of this.bases) {
      if (index.joined.has(base)) {
        const key = index.keyOfBase(base);
        const list = joined.get(key) ?? [];
        list.push(...(Array.isArray(found) ? found : [found]));
        joined.set(key, list);
      } else if (!Array.isArray(found)) {
        main.set(base, found.facts);
        if (found.owner !== null) ownerMap(found.owner).set(base, found.facts);
      } else fold(base, found);
    }
    for (const [key, entries] of joined) fold(key, entries);
    this.bases.clear();
    this.verdicts.clear();
    this.readings.clear();
    return { main, byOwner };
  }
}
