// A small ScopeGuard for the engine tests, written against the contract in src/scope/types.ts
// (the real guard lands in parallel). Addresses are allowed by exact IP or by a "127.5." prefix;
// names are allowed by exact name and resolve through a fixed table. Every call is logged.
import type { ScopeDecision, ScopeGuard } from '../../src/scope/types.js';

export interface TestGuardOptions {
  /** Exact addresses or prefixes ending in "." (e.g. "127.5."). */
  allow: string[];
  /** Always refused, even inside `allow` or for an allowed name. */
  exclude?: string[];
  /** Names authorised by name. */
  names?: string[];
  /** The DNS the guard resolves with. */
  dns?: Record<string, string[]>;
}

export interface TestGuard extends ScopeGuard {
  connectionChecks: { ip: string; host: string | null; allowed: boolean }[];
}

function matches(ip: string, rules: readonly string[]): boolean {
  return rules.some((r) => (r.endsWith('.') ? ip.startsWith(r) : ip === r));
}

export function testGuard(opts: TestGuardOptions): TestGuard {
  const exclude = opts.exclude ?? [];
  const names = new Set(opts.names ?? []);
  const dns = opts.dns ?? {};
  const connectionChecks: TestGuard['connectionChecks'] = [];

  const checkAddress = (ip: string): ScopeDecision => {
    if (matches(ip, exclude)) return { allowed: false, reason: `${ip} is excluded` };
    return matches(ip, opts.allow)
      ? { allowed: true }
      : { allowed: false, reason: `${ip} is not in the scope` };
  };
  const checkHostname = (name: string): ScopeDecision =>
    names.has(name) ? { allowed: true } : { allowed: false, reason: `${name} is not in the scope` };
  const allowedFor = (name: string, ip: string): boolean =>
    checkAddress(ip).allowed || (checkHostname(name).allowed && !matches(ip, exclude));

  return {
    connectionChecks,
    checkAddress,
    checkHostname,
    checkConnection(ip, host) {
      let decision: ScopeDecision = checkAddress(ip);
      if (!decision.allowed && host !== null && (dns[host] ?? []).includes(ip) && allowedFor(host, ip))
        decision = { allowed: true };
      connectionChecks.push({ ip, host, allowed: decision.allowed });
      return decision;
    },
    resolveAllowed(name) {
      const all = dns[name] ?? [];
      const allowed = all.filter((ip) => allowedFor(name, ip));
      const refused = all
        .filter((ip) => !allowedFor(name, ip))
        .map((ip) => ({
          ip,
          reason: `${name} → ${ip}: ${checkAddress(ip).allowed ? 'excluded' : 'not in the scope'}`,
        }));
      return Promise.resolve({ allowed, refused });
    },
  };
}
