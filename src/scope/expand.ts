// Target expansion: a scan file → a stream of endpoints (and of targets that need a record but
// cannot be probed). Streams all the way: ranges are walked address by address from their
// intervals, target files line by line; a /8 is never materialised.
//
// Order: ranges are walked port by port (all addresses on 443, then all on 80) so the same IP
// does not come back to back; single targets go through a round-robin window (interleave.ts).
// Every address is put to the guard before it is yielded; the interval arithmetic before it only
// saves the guard from looking at addresses it would refuse. An optional filter (a shard of the
// scan) keeps targets by their identity before any name is resolved.
import type { PortSpec, ScanFile } from '../scanfile/types.js';
import type { ScopeGuard, TargetItem } from './types.js';
import { listTargets } from '../scanfile/listed.js';
import { parseTarget, type ParsedTarget } from '../scanfile/targets.js';
import { schemeForPort } from '../scanfile/ports.js';
import { entryInterval, MAX_V6_EXPANSION_PREFIX, ScopeRules, type Family } from './rules.js';
import { intervalsSize, type Interval } from './intervals.js';
import { formatIPv4, formatIPv6 } from '../core/ip.js';
import { OwnerMatcher } from './owners.js';
import { EndpointDedupe } from './dedupe.js';
import { Interleaver } from './interleave.js';
import { lookahead } from './lookahead.js';
import { checkListedTarget } from './listed-check.js';
import { InputError } from '../core/errors.js';
import { endpointItem, nameResultItems, settle, type NameJob } from './name-items.js';

export interface TargetSource {
  /** A fresh pass over the targets on each call (target files are read again). */
  items(): AsyncIterable<TargetItem>;
  /** Endpoint count when it is cheap to know (no target files; a name counts as one address). */
  estimateTotal(): number | null;
  /** What the user should know: wildcards not expanded, listed targets skipped. Complete after items(). */
  warnings: string[];
}

/**
 * Keeps part of the targets (a shard of the scan). Applied to each target's pre-resolution
 * identity — a hostname as listed (lower case) or an address as text — before any name is
 * resolved, so a filtered-out name costs no DNS lookup and no packet.
 */
export interface TargetFilter {
  accepts(identity: string): boolean;
  /** Expected share of targets accepted, in (0, 1]: scales the progress estimate of ranges. */
  share: number;
}

export interface ExpandOptions {
  filter?: TargetFilter;
}

/** Single targets collected before a window is interleaved and emitted. */
export const INTERLEAVE_WINDOW = 256;
/** Name lookups in flight ahead of the one being emitted. */
export const DNS_IN_FLIGHT = 64;

class Expansion implements TargetSource {
  readonly warnings: string[] = [];
  private readonly rules: ScopeRules;
  private readonly owners: OwnerMatcher;
  private readonly staticWarnings: string[] = [];
  private readonly filter: TargetFilter | null;

  constructor(
    private readonly scan: ScanFile,
    private readonly guard: ScopeGuard,
    options: ExpandOptions,
  ) {
    this.filter = options.filter ?? null;
    this.rules = new ScopeRules(scan.scope);
    this.owners = new OwnerMatcher(scan.owners);
    if (scan.targets.length === 0) {
      scan.scope.include.forEach((e, i) => {
        if (e.kind === 'wildcard') {
          this.staticWarnings.push(
            `scope.include[${i}] ${e.text}: a wildcard cannot be expanded into targets; list the names to probe under targets`,
          );
        }
      });
    }
    this.warnings.push(...this.staticWarnings);
  }

  estimateTotal(): number | null {
    const ports = this.scan.ports.length;
    const share = this.filter?.share ?? 1;
    if (this.scan.targets.length === 0) {
      const names = this.defaultNames().filter(
        (name) => this.filter === null || this.filter.accepts(name),
      ).length;
      const addresses = Number(
        intervalsSize(this.rules.allowedIntervals(4)) + intervalsSize(this.rules.allowedIntervals(6)),
      );
      return Math.round(addresses * share) * ports + names * ports;
    }
    let total = 0n;
    let rangeTotal = 0n;
    for (const spec of this.scan.targets) {
      if (spec.kind === 'file') return null;
    }
    const seen = new EndpointDedupe(this.scan.ports);
    for (const spec of this.scan.targets) {
      if (spec.kind !== 'inline') continue;
      const t = parseInline(spec.value);
      if (t === null || !this.keeps(t) || checkListedTarget(this.rules, t).kind === 'excluded') continue;
      if (t.kind === 'cidr')
        rangeTotal += intervalsSize(seen.claimRange(...this.cidrIntervals(t))) * BigInt(ports);
      else total += BigInt(t.port === null ? ports : 1);
    }
    return Number(total) + Math.round(Number(rangeTotal) * share);
  }

  async *items(): AsyncGenerator<TargetItem> {
    this.warnings.length = 0;
    this.warnings.push(...this.staticWarnings);
    const skipped = { excluded: 0, outside: 0 };
    const dedupe = new EndpointDedupe(this.scan.ports);
    const window = new Interleaver<TargetItem>(INTERLEAVE_WINDOW, hostKey);
    if (this.scan.targets.length === 0) {
      this.refuseUnwalkableDefault();
      const jobs = this.defaultNames()
        .filter((name) => this.filter === null || this.filter.accepts(name))
        .map((name) => ({ name, ports: this.scan.ports }));
      yield* this.nameItems(toAsync(jobs), dedupe, window);
      yield* window.drain();
      for (const family of [4, 6] as const)
        yield* this.rangeItems(family, this.rules.allowedIntervals(family), dedupe);
    } else {
      yield* this.listedItems(dedupe, window, skipped);
      yield* window.drain();
    }
    if (skipped.excluded > 0) {
      this.warnings.push(`${skipped.excluded} listed target(s) skipped: covered by scope.exclude`);
    }
    if (skipped.outside > 0) {
      // Only reachable without the pre-flight (validateScanTargets refuses such targets).
      this.warnings.push(
        `${skipped.outside} listed target(s) outside the scope: skipped, or ranges trimmed to the scope`,
      );
    }
  }

  /**
   * The loader refuses IPv6 include ranges wider than /112 when there are no targets; a ScanFile
   * built by other means gets the same answer here instead of a walk that would never end.
   */
  private refuseUnwalkableDefault(): void {
    this.scan.scope.include.forEach((e, i) => {
      if (e.kind === 'cidr' && e.family === 6 && e.prefix < MAX_V6_EXPANSION_PREFIX) {
        throw new InputError(
          `${e.text} is too wide to walk as the default target set; list targets explicitly`,
          {
            file: this.scan.path,
            field: `scope.include[${i}]`,
          },
        );
      }
    });
  }

  /** Include hostnames, minus excluded ones (exclude wins). */
  private defaultNames(): string[] {
    const names = new Set<string>();
    for (const e of this.scan.scope.include) {
      if (e.kind === 'host' && this.rules.nameExclusion(e.name) === null) names.add(e.name);
    }
    return [...names];
  }

  /**
   * Whether a listed IP or name belongs to this expansion (always, without a filter). Ranges pass
   * here and are filtered address by address.
   */
  private keeps(t: ParsedTarget): boolean {
    if (this.filter === null || t.kind === 'cidr') return true;
    return this.filter.accepts(t.kind === 'ip' ? t.ip : t.name);
  }

  private cidrIntervals(t: Extract<ParsedTarget, { kind: 'cidr' }>): [Family, Interval[]] {
    const iv = entryInterval(t);
    return iv === null ? [t.family, []] : [iv.family, this.rules.allowedIntervals(iv.family, [iv.interval])];
  }

  private portsFor(port: number | null): readonly PortSpec[] {
    return port === null ? this.scan.ports : [{ port, scheme: schemeForPort(port, this.scan.ports) }];
  }

  /** Every allowed address of `intervals` × every scan port, port-major. */
  private *rangeItems(
    family: Family,
    intervals: readonly Interval[],
    dedupe: EndpointDedupe,
  ): Generator<TargetItem> {
    const fresh = dedupe.claimRange(family, intervals);
    for (const { port, scheme } of this.scan.ports) {
      for (const iv of fresh) {
        if (family === 4) {
          const end = Number(iv.end);
          for (let n = Number(iv.start); n <= end; n++) {
            if (dedupe.seenSingleV4(n, port, scheme)) continue;
            const ip = formatIPv4(n);
            if (this.filter !== null && !this.filter.accepts(ip)) continue;
            if (!this.guard.checkAddress(ip).allowed) continue;
            yield endpointItem(this.owners, ip, null, ip, port, scheme);
          }
        } else {
          for (let v = iv.start; v <= iv.end; v++) {
            const ip = formatIPv6(v);
            if (this.filter !== null && !this.filter.accepts(ip)) continue;
            if (dedupe.seenSingle(ip, port, scheme) || !this.guard.checkAddress(ip).allowed) continue;
            yield endpointItem(this.owners, ip, null, ip, port, scheme);
          }
        }
      }
    }
  }

  private async *listedItems(
    dedupe: EndpointDedupe,
    window: Interleaver<TargetItem>,
    skipped: { excluded: number; outside: number },
  ): AsyncGenerator<TargetItem> {
    const pipeline = lookahead(listTargets(this.scan), DNS_IN_FLIGHT, (listed) => {
      const t = listed.target;
      // The filter comes first: a name of another shard is never resolved here.
      return t.kind === 'host' && this.keeps(t) && this.rules.nameExclusion(t.name) === null
        ? this.guard.resolveAllowed(t.name)
        : null;
    });
    for await (const [listed, resolution] of pipeline) {
      const t = listed.target;
      if (!this.keeps(t)) continue;
      const verdict = checkListedTarget(this.rules, t);
      if (verdict.kind === 'excluded') {
        skipped.excluded++;
        continue;
      }
      if (t.kind === 'cidr') {
        if (verdict.kind === 'refused') skipped.outside++;
        yield* window.drain();
        yield* this.rangeItems(...this.cidrIntervals(t), dedupe);
      } else if (t.kind === 'ip') {
        if (!this.guard.checkAddress(t.ip).allowed) {
          skipped.outside++;
          continue;
        }
        for (const { port, scheme } of this.portsFor(t.port)) {
          if (dedupe.claim(t.ip, port, scheme, null))
            window.push(endpointItem(this.owners, t.ip, null, t.ip, port, scheme));
        }
      } else if (resolution !== null) {
        const job: NameJob = { name: t.name, ports: this.portsFor(t.port) };
        for (const item of nameResultItems(this.owners, job, await settle(resolution), dedupe))
          window.push(item);
      }
      if (window.full) yield* window.drain();
    }
  }

  private async *nameItems(
    jobs: AsyncIterable<NameJob>,
    dedupe: EndpointDedupe,
    window: Interleaver<TargetItem>,
  ): AsyncGenerator<TargetItem> {
    for await (const [job, resolution] of lookahead(jobs, DNS_IN_FLIGHT, (j) =>
      this.guard.resolveAllowed(j.name),
    )) {
      for (const item of nameResultItems(this.owners, job, await settle(resolution), dedupe))
        window.push(item);
      if (window.full) yield* window.drain();
    }
  }
}

function hostKey(item: TargetItem): string {
  return item.kind === 'endpoint' ? item.endpoint.ip : (item.ip ?? item.target);
}

async function* toAsync<T>(list: readonly T[]): AsyncGenerator<T> {
  for (const x of list) yield await Promise.resolve(x);
}

/** Inline targets were validated by the loader; one that does not parse counts as nothing. */
function parseInline(value: string): ParsedTarget | null {
  const r = parseTarget(value);
  return r.ok ? r.value : null;
}

/**
 * The targets of a scan: the listed ones, or by default every address of the include ranges and
 * every include hostname. `guard` decides each address and resolves each name (once);
 * `options.filter` keeps a part of them (a shard) without resolving the names it drops.
 */
export function expandTargets(scan: ScanFile, guard: ScopeGuard, options: ExpandOptions = {}): TargetSource {
  return new Expansion(scan, guard, options);
}
