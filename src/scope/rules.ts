// The scope of a scan file compiled for fast decisions: address rules over merged intervals,
// name rules over maps. Pure; the guard adds resolution on top. Verdicts are small numbers so
// that the hot path (one check per address of a /8) allocates nothing; reasons are only built
// for refusals.
import type { ScopeEntry } from '../scanfile/types.js';
import type { ScopeDecision } from './types.js';
import {
  cidrInterval,
  findInterval,
  intersectIntervals,
  mergeIntervals,
  subtractIntervals,
  V4Lookup,
  type Interval,
} from './intervals.js';
import { formatIPv4, formatIPv6, mappedV4, nat64V4, parseIPv4, parseIPv6 } from '../core/ip.js';
import { CONDITIONAL_V4, CONDITIONAL_V6, isNeverV4, NEVER_V4, NEVER_V6, specialLabel } from './special.js';
import { isHostname, matchName, normalizeHostname } from '../core/hostname.js';

export const ALLOWED: ScopeDecision = Object.freeze({ allowed: true as const });

export const Verdict = {
  Allowed: 0,
  Never: 1,
  Excluded: 2,
  NotIncluded: 3,
  Invalid: 4,
} as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

export type Family = 4 | 6;

/**
 * IPv6 ranges wider than this are not walked address by address (a /64 is 2^64 addresses); they
 * can authorise names' addresses, but what to probe in them must be listed.
 */
export const MAX_V6_EXPANSION_PREFIX = 112;

interface AddressEntry {
  index: number;
  text: string;
  family: Family;
  interval: Interval;
}

export function entryInterval(e: ScopeEntry): { family: Family; interval: Interval } | null {
  if (e.kind === 'ip') {
    const v = e.family === 4 ? BigInt(parseIPv4(e.address)) : (parseIPv6(e.address) ?? 0n);
    return { family: e.family, interval: { start: v, end: v } };
  }
  if (e.kind === 'cidr') {
    const v = e.family === 4 ? BigInt(parseIPv4(e.network)) : (parseIPv6(e.network) ?? 0n);
    return { family: e.family, interval: cidrInterval(v, e.prefix, e.family === 4 ? 32 : 128) };
  }
  return null;
}

function addressEntries(list: readonly ScopeEntry[]): AddressEntry[] {
  const out: AddressEntry[] = [];
  list.forEach((e, index) => {
    const iv = entryInterval(e);
    if (iv !== null) out.push({ index, text: e.text, ...iv });
  });
  return out;
}

function nameMaps(list: readonly ScopeEntry[]): {
  exact: Map<string, number>;
  suffixes: Map<string, number>;
} {
  const exact = new Map<string, number>();
  const suffixes = new Map<string, number>();
  list.forEach((e, i) => {
    if (e.kind === 'host' && !exact.has(e.name)) exact.set(e.name, i);
    if (e.kind === 'wildcard' && !suffixes.has(e.suffix)) suffixes.set(e.suffix, i);
  });
  return { exact, suffixes };
}

const NEVER_V4_INTERVALS = mergeIntervals(NEVER_V4.map((r) => r.interval));
const NEVER_V6_INTERVALS = mergeIntervals(NEVER_V6.map((r) => r.interval));

export type RangeVerdict =
  { kind: 'ok' } | { kind: 'excluded'; reason: string } | { kind: 'refused'; reason: string };

export class ScopeRules {
  readonly include4: Interval[];
  readonly include6: Interval[];
  readonly exclude4: Interval[];
  readonly exclude6: Interval[];
  private readonly inc4: V4Lookup;
  private readonly exc4: V4Lookup;
  private readonly excludeEntries: AddressEntry[];
  private readonly includeNames: ReturnType<typeof nameMaps>;
  private readonly excludeNames: ReturnType<typeof nameMaps>;
  readonly exclude: readonly ScopeEntry[];

  constructor(scope: { include: readonly ScopeEntry[]; exclude: readonly ScopeEntry[] }) {
    const inc = addressEntries(scope.include);
    this.excludeEntries = addressEntries(scope.exclude);
    this.exclude = scope.exclude;
    const pick = (l: AddressEntry[], f: Family): Interval[] =>
      mergeIntervals(l.filter((e) => e.family === f).map((e) => e.interval));
    this.include4 = pick(inc, 4);
    this.include6 = pick(inc, 6);
    this.exclude4 = pick(this.excludeEntries, 4);
    this.exclude6 = pick(this.excludeEntries, 6);
    this.inc4 = new V4Lookup(this.include4);
    this.exc4 = new V4Lookup(this.exclude4);
    this.includeNames = nameMaps(scope.include);
    this.excludeNames = nameMaps(scope.exclude);
  }

  // ---- address rules -------------------------------------------------------------------------

  verdictV4(n: number): Verdict {
    if (isNeverV4(n) && specialLabel(NEVER_V4, BigInt(n)) !== null) return Verdict.Never;
    if (this.exc4.has(n)) return Verdict.Excluded;
    if (!this.inc4.has(n)) return Verdict.NotIncluded;
    return Verdict.Allowed;
  }

  verdictV6(v: bigint): Verdict {
    if (specialLabel(NEVER_V6, v) !== null) return Verdict.Never;
    // A NAT64 address is a door to the IPv4 address it embeds: that address's never and exclude
    // rules hold for it too.
    const e = nat64V4(v);
    if (e >= 0 && isNeverV4(e) && specialLabel(NEVER_V4, BigInt(e)) !== null) return Verdict.Never;
    if (e >= 0 && this.exc4.has(e)) return Verdict.Excluded;
    if (findInterval(this.exclude6, v) >= 0) return Verdict.Excluded;
    if (findInterval(this.include6, v) < 0) return Verdict.NotIncluded;
    return Verdict.Allowed;
  }

  /** Inside an include range or IP literal (membership only, no other rule). */
  includesV4(n: number): boolean {
    return this.inc4.has(n);
  }

  includes(ip: string): boolean {
    const n = parseIPv4(ip);
    if (n >= 0) return this.inc4.has(n);
    const v = parseIPv6(ip);
    if (v === null) return false;
    const m = mappedV4(v);
    return m >= 0 ? this.inc4.has(m) : findInterval(this.include6, v) >= 0;
  }

  /** Verdict for an address in text form (IPv4-mapped IPv6 follows the IPv4 rules). */
  verdict(ip: string): Verdict {
    const n = parseIPv4(ip);
    if (n >= 0) return this.verdictV4(n);
    const v = parseIPv6(ip);
    if (v === null) return Verdict.Invalid;
    const m = mappedV4(v);
    return m >= 0 ? this.verdictV4(m) : this.verdictV6(v);
  }

  checkAddress(ip: string): ScopeDecision {
    const v = this.verdict(ip);
    return v === Verdict.Allowed ? ALLOWED : { allowed: false, reason: `${ip} is ${this.explain(ip, v)}` };
  }

  /** Why an address got its verdict, as the words after "<ip> is …". */
  explain(ip: string, verdict: Verdict): string {
    const n = parseIPv4(ip);
    const v6 = n >= 0 ? null : parseIPv6(ip);
    const m = v6 === null ? -1 : mappedV4(v6);
    const v4 = n >= 0 ? n : m;
    switch (verdict) {
      case Verdict.Allowed:
        return 'in scope';
      case Verdict.Invalid:
        return 'not an IP address';
      case Verdict.Never: {
        if (v4 >= 0) return `${specialLabel(NEVER_V4, BigInt(v4)) ?? 'a reserved address'}, never probed`;
        const e = v6 === null ? -1 : nat64V4(v6);
        if (v6 !== null && e >= 0 && specialLabel(NEVER_V6, v6) === null) {
          return `a NAT64 address of ${formatIPv4(e)}, ${specialLabel(NEVER_V4, BigInt(e)) ?? 'a reserved address'}, never probed`;
        }
        return `${specialLabel(NEVER_V6, v6 ?? 0n) ?? 'a reserved address'}, never probed`;
      }
      case Verdict.Excluded: {
        // For a NAT64 address the exclusion may be of the IPv4 address it embeds.
        const e = v6 === null ? -1 : nat64V4(v6);
        const [fam, x]: [Family, bigint] =
          v4 >= 0 ? [4, BigInt(v4)] : e >= 0 && this.exc4.has(e) ? [4, BigInt(e)] : [6, v6 ?? 0n];
        const entry = this.excludeEntries.find(
          (en) => en.family === fam && x >= en.interval.start && x <= en.interval.end,
        );
        return entry === undefined
          ? 'excluded by scope.exclude'
          : `excluded by scope.exclude[${entry.index}] (${entry.text})`;
      }
      case Verdict.NotIncluded:
        return 'not in any scope.include range';
    }
  }

  /** The built-in rule that allows an address only inside an include range, or null. */
  conditionalLabel(ip: string): string | null {
    const n = parseIPv4(ip);
    if (n >= 0) return specialLabel(CONDITIONAL_V4, BigInt(n));
    const v = parseIPv6(ip);
    if (v === null) return null;
    const m = mappedV4(v);
    if (m >= 0) return specialLabel(CONDITIONAL_V4, BigInt(m));
    const e = nat64V4(v);
    if (e >= 0) {
      const l = specialLabel(CONDITIONAL_V4, BigInt(e));
      if (l !== null) return `a NAT64 address of ${formatIPv4(e)}, ${l}`;
    }
    return specialLabel(CONDITIONAL_V6, v);
  }

  /**
   * Decision for an address a name resolved to. Address rules first; an address that is merely
   * outside the include ranges is still allowed when the name itself is in scope, unless the
   * built-in rules keep it for include ranges (private, loopback, link-local, …).
   */
  checkResolved(ip: string, name: string, nameAllowed: boolean): ScopeDecision {
    const v = this.verdict(ip);
    if (v === Verdict.Allowed) return ALLOWED;
    if (v !== Verdict.NotIncluded || !nameAllowed) {
      const tail = v === Verdict.NotIncluded ? `, and ${name} is not an included name` : '';
      return { allowed: false, reason: `${ip} (${name}) is ${this.explain(ip, v)}${tail}` };
    }
    const special = this.conditionalLabel(ip);
    if (special !== null) {
      return {
        allowed: false,
        reason: `${ip} (${name}) is ${special}, allowed only inside a scope.include range`,
      };
    }
    return ALLOWED;
  }

  // ---- name rules ----------------------------------------------------------------------------

  /** Why a (normalized) name is excluded, or null. */
  nameExclusion(name: string): string | null {
    const i = matchName(name, this.excludeNames.exact, this.excludeNames.suffixes);
    if (i === undefined) return null;
    return `${name} is excluded by scope.exclude[${i}] (${this.exclude[i]?.text ?? name})`;
  }

  checkHostname(raw: string): ScopeDecision {
    const name = normalizeHostname(raw);
    if (!isHostname(name)) return { allowed: false, reason: `"${raw}" is not a valid hostname` };
    const ex = this.nameExclusion(name);
    if (ex !== null) return { allowed: false, reason: ex };
    if (matchName(name, this.includeNames.exact, this.includeNames.suffixes) !== undefined) return ALLOWED;
    return { allowed: false, reason: `${name} is not matched by any scope.include name or wildcard` };
  }

  // ---- ranges --------------------------------------------------------------------------------

  /** Include ∩ within − exclude − never: what a range expansion may touch, as intervals. */
  allowedIntervals(family: Family, within?: readonly Interval[]): Interval[] {
    const include = family === 4 ? this.include4 : this.include6;
    const base = within === undefined ? include : intersectIntervals(include, mergeIntervals(within));
    const minusExcluded = subtractIntervals(base, family === 4 ? this.exclude4 : this.exclude6);
    return subtractIntervals(minusExcluded, family === 4 ? NEVER_V4_INTERVALS : NEVER_V6_INTERVALS);
  }

  /**
   * A CIDR listed as a target must lie inside the include ranges. Its excluded parts are skipped
   * (exclude carves holes in ranges), and so are never-addresses; a range with nothing left is
   * refused or, when exclusion emptied it, reported as excluded.
   */
  checkRange(family: Family, iv: Interval, text: string): RangeVerdict {
    const include = family === 4 ? this.include4 : this.include6;
    const outside = subtractIntervals([iv], include);
    const first = outside[0];
    if (first !== undefined) {
      const addr = family === 4 ? formatIPv4(Number(first.start)) : formatIPv6(first.start);
      return {
        kind: 'refused',
        reason: `${text} is not inside the scope.include ranges (${addr} is not in any)`,
      };
    }
    if (this.allowedIntervals(family, [iv]).length > 0) return { kind: 'ok' };
    const notExcluded = subtractIntervals([iv], family === 4 ? this.exclude4 : this.exclude6);
    if (notExcluded.length === 0) return { kind: 'excluded', reason: `${text} is excluded by scope.exclude` };
    return {
      kind: 'refused',
      reason: `no address of ${text} may be probed (multicast, reserved or unspecified)`,
    };
  }
}
