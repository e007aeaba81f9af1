// Endpoints → servers. Every endpoint of one address (all ports, all names) is one server. Two
// addresses are one server only when proven: an endpoint of each showed the same certificate
// (SHA-256) and the same X-FEServer name, both belong to the same owner of the scan file, and
// nothing they read contradicts it (another product or another build). A certificate alone is no
// proof (wildcard and shared certificates), nor is a server name alone (EX01 is everywhere).
//
// The server key is the lowest address of the server (IPv4 before IPv6, numerically), or the name
// of an endpoint whose name did not resolve: the same records give the same keys in any order.
//
// Memory: one small entry per address that showed a certificate with an X-FEServer name or a
// version, never the records. Cost: O(n) to collect, near-linear union-find to join.
import type { ResultRecord } from '../core/result-schema.js';
import {
  certFingerprint,
  compareServerKeys,
  feServerOf,
  readingsAgree,
  serverBase,
  versionOf,
  type VersionRead,
} from './server-identity.js';

/** More distinct proofs (certificate + name pairs) than this on one address: it proves nothing. */
const PROOFS_PER_ADDRESS = 16;
/** More distinct versions than this on one address: it proves nothing across addresses. */
const READINGS_PER_ADDRESS = 4;
/** More distinct versions than this in a group of addresses: they are not joined. */
const READINGS_PER_SERVER = 8;
/** Owner names are the scan file's, but a proof key need not carry more of one than this. */
const OWNER_MAX = 200;

interface AddressState {
  /** "sha256|FESERVER|owner" pairs seen on its endpoints (a short list: bounded). */
  proofs: string[];
  /** Versions read on its endpoints (bounded; copies, so no record is kept). */
  readings: VersionRead[];
  feServer: string | null;
  /** Shown contradicting names, a malformed name, or too many values: never joined to another address. */
  excluded: boolean;
}

export interface ServerIndex {
  /** The server key of an endpoint. */
  keyOf(r: Pick<ResultRecord, 'ip' | 'host' | 'target'>): string;
  /** The server key of a base (an address, or the name of an endpoint that did not resolve). */
  keyOfBase(base: string): string;
  /** Addresses proven to share a server with another address: address → server key. */
  readonly joined: ReadonlyMap<string, string>;
}

function indexOf(joined: ReadonlyMap<string, string>): ServerIndex {
  const keyOfBase = (base: string): string => joined.get(base) ?? base;
  return { keyOf: (r) => keyOfBase(serverBase(r)), keyOfBase, joined };
}

/** Union-find over addresses (path halving, union by size). */
class Components {
  private readonly parent = new Map<string, string>();
  private readonly size = new Map<string, number>();

  find(a: string): string {
    if (!this.parent.has(a)) {
      this.parent.set(a, a);
      this.size.set(a, 1);
      return a;
    }
    let x = a;
    for (;;) {
      const p = this.parent.get(x) ?? x;
      if (p === x) return x;
      const grand = this.parent.get(p) ?? p;
      this.parent.set(x, grand);
      x = grand;
    }
  }

  union(a: string, b: string): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if ((this.size.get(ra) ?? 1) < (this.size.get(rb) ?? 1)) [ra, rb] = [rb, ra];
    this.parent.set(rb, ra);
    this.size.set(ra, (this.size.get(ra) ?? 1) + (this.size.get(rb) ?? 1));
  }

  groups(): string[][] {
    const out = new Map<string, string[]>();
    for (const a of this.parent.keys()) {
      const root = this.find(a);
      const list = out.get(root);
      if (list === undefined) out.set(root, [a]);
      else list.push(a);
    }
    return [...out.values()];
  }
}

/** Collects what grouping needs from each record, then joins addresses. */
export class ServerGrouping {
  private readonly addresses = new Map<string, AddressState>();

  add(r: ResultRecord): void {
    if (r.ip === null) return; // an unresolved name is a server of its own
    const fe = feServerOf(r);
    const reading = versionOf(r);
    // A certificate without a server name proves nothing and reads no version: no entry.
    if (fe.name === null && !fe.ambiguous && reading === null) return;
    const base = serverBase(r);
    let s = this.addresses.get(base);
    if (s === undefined) {
      s = { proofs: [], readings: [], feServer: null, excluded: false };
      this.addresses.set(base, s);
    }
    if (s.excluded) return;
    if (fe.ambiguous || (fe.name !== null && s.feServer !== null && fe.name !== s.feServer)) {
      this.exclude(s);
      return;
    }
    if (fe.name !== null) s.feServer = fe.name;
    if (reading !== null) {
      const build = reading.build === null ? null : reading.build.slice(0, 40);
      if (!s.readings.some((x) => x.product === reading.product && x.build === build))
        s.readings.push({ product: reading.product, build });
    }
    const cert = fe.name === null ? null : certFingerprint(r);
    if (cert !== null && fe.name !== null) {
      const proof = `${cert}|${fe.name}|${(r.owner?.name ?? '').slice(0, OWNER_MAX)}`;
      if (!s.proofs.includes(proof)) s.proofs.push(proof);
    }
    if (s.readings.length > READINGS_PER_ADDRESS || s.proofs.length > PROOFS_PER_ADDRESS) this.exclude(s);
  }

  private exclude(s: AddressState): void {
    s.excluded = true;
    s.proofs = [];
    s.readings = [];
  }

  finish(): ServerIndex {
    const components = new Components();
    const firstWithProof = new Map<string, string>();
    for (const [address, s] of this.addresses) {
      for (const proof of s.proofs) {
        const other = firstWithProof.get(proof);
        if (other === undefined) firstWithProof.set(proof, address);
        else components.union(address, other);
      }
    }
    const joined = new Map<string, string>();
    for (const members of components.groups()) {
      if (members.length < 2 || !agree(members.map((a) => this.addresses.get(a)?.readings ?? []))) continue;
      const key = members.reduce((min, a) => (compareServerKeys(a, min) < 0 ? a : min));
      for (const a of members) joined.set(a, key);
    }
    this.addresses.clear();
    return indexOf(joined);
  }
}

/** Every version read on the addresses could come from one machine. */
function agree(lists: readonly (readonly VersionRead[])[]): boolean {
  const distinct = new Map<string, VersionRead>();
  for (const list of lists) for (const v of list) distinct.set(`${v.product}\n${v.build ?? ''}`, v);
  if (distinct.size > READINGS_PER_SERVER) return false;
  const all = [...distinct.values()];
  for (let i = 0; i < all.length; i++)
    for (let j = i + 1; j < all.length; j++) {
      const [a, b] = [all[i], all[j]];
      if (a !== undefined && b !== undefined && !readingsAgree(a, b)) return false;
    }
  return true;
}

/** The servers of a set of records (pure; the report streams the same steps over results.jsonl). */
export function groupServers(records: Iterable<ResultRecord>): ServerIndex {
  const g = new ServerGrouping();
  for (const r of records) g.add(r);
  return g.finish();
}
