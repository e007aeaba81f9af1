// The items of one listed or included name once its lookup has settled: an endpoint per allowed
// address and port, or — when it did not resolve or no address is in scope — one unprobeable item
// per port, so the name still gets its record.
import type { Owner, Scheme } from '../core/result-schema.js';
import type { PortSpec } from '../scanfile/types.js';
import type { EndpointDedupe } from './dedupe.js';
import type { OwnerMatcher } from './owners.js';
import type { Endpoint, ScopeGuard, TargetItem } from './types.js';

export type Resolution = Awaited<ReturnType<ScopeGuard['resolveAllowed']>>;

export interface NameJob {
  name: string;
  ports: readonly PortSpec[];
}

export function endpointItem(
  owners: OwnerMatcher,
  target: string,
  host: string | null,
  ip: string,
  port: number,
  scheme: Scheme,
): TargetItem {
  const owner: Owner | null = owners.empty ? null : owners.match(ip, host);
  const endpoint: Endpoint = { target, host, ip, port, scheme, owner };
  return { kind: 'endpoint', endpoint };
}

/** Endpoints of a resolved name, or its one unprobeable item per port. */
export function* nameResultItems(
  owners: OwnerMatcher,
  job: NameJob,
  r: Resolution | Error,
  dedupe: EndpointDedupe,
): Generator<TargetItem> {
  const { name } = job;
  if (!(r instanceof Error) && r.allowed.length > 0) {
    for (const { port, scheme } of job.ports) {
      for (const ip of r.allowed) {
        if (dedupe.claim(ip, port, scheme, name)) yield endpointItem(owners, name, name, ip, port, scheme);
      }
    }
    return;
  }
  const refused = r instanceof Error ? undefined : r.refused[0];
  const code = refused === undefined ? 'dns-error' : 'out-of-scope';
  const message =
    r instanceof Error
      ? `${name} did not resolve: ${r.message}`
      : refused === undefined
        ? `${name} has no A or AAAA records`
        : `no address of ${name} is in scope: ${refused.reason}`;
  const ip = refused?.ip ?? null;
  const owner = owners.empty ? null : owners.match(ip, name);
  for (const { port, scheme } of job.ports) {
    if (!dedupe.claim(null, port, scheme, name)) continue;
    yield { kind: 'unprobeable', target: name, host: name, ip, port, scheme, owner, code, message };
  }
}

/** A lookup's outcome as a value: a failed lookup is an answer (dns-error), not a crash. */
export async function settle<T>(p: Promise<T>): Promise<T | Error> {
  try {
    return await p;
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}
