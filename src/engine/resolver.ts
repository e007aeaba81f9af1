// Name resolution for the scope guard: A and AAAA through node:dns/promises' Resolver (c-ares,
// not the libuv thread pool that `lookup` would tie up under fan-out), against the scan's own DNS
// servers when it names them.
import { promises as dns } from 'node:dns';
import type { Resolver } from '../scope/types.js';

export interface ResolverOptions {
  /** Budget for one name, both families in parallel. */
  timeoutMs: number;
  /** Attempts per server (c-ares doubles its timeout after each); default 2. */
  tries?: number;
}

/** Codes that mean "no such name / no records of this type": an answer, not a failure. */
const NO_RECORDS = new Set(['ENODATA', 'ENOTFOUND']);

function errorCode(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') return e.code;
  return e instanceof Error ? e.message : String(e);
}

export class DnsError extends Error {
  constructor(
    readonly hostname: string,
    readonly code: string,
  ) {
    super(`DNS lookup of ${hostname} failed (${code})`);
    this.name = 'DnsError';
  }
}

/**
 * Returns the A and AAAA addresses of a name. A name without records resolves to []; a lookup
 * that fails for both families (timeout, SERVFAIL, refused) rejects with DnsError. The whole
 * lookup is bounded by `timeoutMs`: c-ares gets a per-try timeout of timeoutMs / 3 (tries 2, so
 * ≈ t + 2t), and a deadline timer backs that up.
 */
export function createResolver(servers: readonly string[], opts: ResolverOptions): Resolver {
  const tries = opts.tries ?? 2;
  const perTry = Math.max(50, Math.floor(opts.timeoutMs / (2 ** tries - 1)));
  const resolver = new dns.Resolver({ timeout: perTry, tries });
  if (servers.length > 0) resolver.setServers([...servers]);

  return async (name: string): Promise<string[]> => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DnsError(name, 'ETIMEOUT')), opts.timeoutMs);
      timer.unref();
    });
    try {
      const [a, aaaa] = await Promise.race([
        Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]),
        deadline,
      ]);
      const out: string[] = [];
      const failures: string[] = [];
      for (const r of [a, aaaa]) {
        if (r.status === 'fulfilled') out.push(...r.value);
        else if (!NO_RECORDS.has(errorCode(r.reason))) failures.push(errorCode(r.reason));
      }
      const failure = failures[0];
      if (out.length === 0 && failure !== undefined) throw new DnsError(name, failure);
      return out;
    } finally {
      clearTimeout(timer);
    }
  };
}
