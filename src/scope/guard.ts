// The one gate (README "Use it responsibly": fail closed): every connection — target, resolved name, redirect hop —
// is checked here right before its socket opens. Names are resolved once per guard (one guard
// per scan) and the connection check only accepts addresses that this resolution produced, so a
// second DNS answer cannot move a connection out of scope.
import type { ScanFile } from '../scanfile/types.js';
import type { Resolver, ScopeDecision, ScopeGuard } from './types.js';
import { ALLOWED, ScopeRules } from './rules.js';
import { canonicalIp } from '../core/ip.js';
import { isHostname, normalizeHostname } from '../core/hostname.js';

export interface ScopeGuardOptions {
  resolver: Resolver;
}

type Resolution = Awaited<ReturnType<ScopeGuard['resolveAllowed']>>;

class Guard implements ScopeGuard {
  private readonly rules: ScopeRules;
  private readonly resolver: Resolver;
  private readonly resolutions = new Map<string, Promise<Resolution>>();
  /** name → addresses resolveAllowed() allowed for it (settled resolutions only). */
  private readonly allowedByName = new Map<string, ReadonlySet<string>>();

  constructor(scope: Pick<ScanFile['scope'], 'include' | 'exclude'>, opts: ScopeGuardOptions) {
    this.rules = new ScopeRules(scope);
    this.resolver = opts.resolver;
  }

  checkAddress(ip: string): ScopeDecision {
    return this.rules.checkAddress(ip);
  }

  checkHostname(name: string): ScopeDecision {
    return this.rules.checkHostname(name);
  }

  checkConnection(ip: string, host: string | null): ScopeDecision {
    const addr = canonicalIp(ip);
    if (addr === null) return { allowed: false, reason: `"${ip}" is not an IP address` };
    // A Host that is itself an IP literal carries no name: address rules alone decide.
    const name = host === null || canonicalIp(host) !== null ? null : normalizeHostname(host);
    if (name !== null) {
      const excluded = this.rules.nameExclusion(name);
      if (excluded !== null) return { allowed: false, reason: excluded };
    }
    const byAddress = this.rules.checkAddress(addr);
    if (byAddress.allowed || name === null) return byAddress;
    if (this.allowedByName.get(name)?.has(addr) === true) return ALLOWED;
    return { allowed: false, reason: `${byAddress.reason}, and it is not an in-scope address of ${name}` };
  }

  resolveAllowed(raw: string): Promise<Resolution> {
    const name = canonicalIp(raw) ?? normalizeHostname(raw);
    let pending = this.resolutions.get(name);
    if (pending === undefined) {
      pending = this.resolve(name);
      // Resolutions are started ahead of use (look-ahead); a failure is seen when awaited.
      pending.catch(() => undefined);
      this.resolutions.set(name, pending);
    }
    return pending;
  }

  private async resolve(name: string): Promise<Resolution> {
    const literal = canonicalIp(name);
    let addresses: string[];
    if (literal !== null) {
      addresses = [literal];
    } else {
      if (!isHostname(name)) throw new Error(`"${name}" is not a valid hostname`);
      addresses = await this.resolver(name);
    }
    const nameDecision = literal !== null ? null : this.rules.checkHostname(name);
    const excluded = literal !== null ? null : this.rules.nameExclusion(name);
    const allowed: string[] = [];
    const refused: { ip: string; reason: string }[] = [];
    const seen = new Set<string>();
    for (const raw of addresses) {
      const ip = canonicalIp(raw);
      if (ip === null) {
        refused.push({ ip: raw, reason: `the resolver returned "${raw}", which is not an IP address` });
        continue;
      }
      if (seen.has(ip)) continue;
      seen.add(ip);
      if (excluded !== null) {
        refused.push({ ip, reason: excluded });
        continue;
      }
      const d = this.rules.checkResolved(ip, name, nameDecision?.allowed === true);
      if (d.allowed) allowed.push(ip);
      else refused.push({ ip, reason: d.reason });
    }
    this.allowedByName.set(name, new Set(allowed));
    return { allowed, refused };
  }
}

export function createScopeGuard(
  scope: Pick<ScanFile['scope'], 'include' | 'exclude'>,
  opts: ScopeGuardOptions,
): ScopeGuard {
  return new Guard(scope, opts);
}
