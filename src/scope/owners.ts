// Owners: who gets told about an endpoint. First matching owner wins; its ranges match the IP,
// its names and wildcards match the host.
import type { Owner } from '../core/result-schema.js';
import type { OwnerSpec } from '../scanfile/types.js';
import { ScopeRules } from './rules.js';
import { canonicalIp, parseIPv4 } from '../core/ip.js';
import { isHostname, normalizeHostname } from '../core/hostname.js';

interface CompiledOwner {
  owner: Owner;
  rules: ScopeRules;
}

/** Owners compiled once per list; `matchOwner` is called for every endpoint of a range. */
export class OwnerMatcher {
  private readonly owners: CompiledOwner[];

  constructor(specs: readonly OwnerSpec[]) {
    this.owners = specs.map((s) => ({
      owner: { name: s.name, contact: s.contact },
      // An owner's match list reuses the include side of scope rules: ranges and names.
      rules: new ScopeRules({ include: s.match, exclude: [] }),
    }));
  }

  get empty(): boolean {
    return this.owners.length === 0;
  }

  match(ip: string | null, host: string | null): Owner | null {
    if (this.owners.length === 0) return null;
    const addr = ip === null ? null : canonicalIp(ip);
    const name = host === null ? null : normalizeHostname(host);
    const nameOk = name !== null && isHostname(name);
    for (const o of this.owners) {
      if (addr !== null && inRanges(o.rules, addr)) return o.owner;
      if (nameOk && o.rules.checkHostname(name).allowed) return o.owner;
    }
    return null;
  }
}

function inRanges(rules: ScopeRules, ip: string): boolean {
  const n = parseIPv4(ip);
  // Owners map addresses, not permissions: the never-rules of the scope do not apply here.
  if (n >= 0) return rules.includesV4(n);
  return rules.includes(ip);
}

const compiled = new WeakMap<readonly OwnerSpec[], OwnerMatcher>();

export function matchOwner(owners: OwnerSpec[], ip: string | null, host: string | null): Owner | null {
  let m = compiled.get(owners);
  if (m === undefined) {
    m = new OwnerMatcher(owners);
    compiled.set(owners, m);
  }
  return m.match(ip, host);
}
