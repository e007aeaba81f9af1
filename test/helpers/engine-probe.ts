// A stand-in for probe/run.ts in the engine tests: GETs a list of paths, follows redirects by
// hand (scope-checked by the session at every hop), and builds plain records.
import {
  RESULT_SCHEMA,
  UNREACHABLE_CODES,
  type ResultError,
  type ResultRecord,
  type TlsInfo,
} from '../../src/core/result-schema.js';
import type { Endpoint, TargetItem } from '../../src/scope/types.js';
import { ProbeError, ScopeRefusal } from '../../src/core/errors.js';
import { type HttpSession } from '../../src/engine/session.js';
import type { ProbeResponse } from '../../src/core/probe-types.js';
import type { EngineOptions } from '../../src/engine/scan.js';

/** A fixed observation time: the engine tests judge counts and codes, never the date. */
const OBSERVED_AT = '2026-11-27T12:00:00.000Z';

export function baseRecord(e: Endpoint, requests: number, tls: TlsInfo | null): ResultRecord {
  return {
    schema: RESULT_SCHEMA,
    target: e.target,
    host: e.host,
    ip: e.ip,
    port: e.port,
    scheme: e.scheme,
    status: 'not-exchange',
    observedAt: OBSERVED_AT,
    requests,
    exchange: null,
    evidence: [],
    tls,
    owner: e.owner,
    error: null,
  };
}

export const failureRecord: EngineOptions['failureRecord'] = (e, error: ResultError, requests, tls) => ({
  ...baseRecord(e, requests, tls),
  status: UNREACHABLE_CODES.has(error.code) ? 'unreachable' : 'error',
  error,
});

export const unprobeableRecord: EngineOptions['unprobeableRecord'] = (item) => ({
  schema: RESULT_SCHEMA,
  target: item.target,
  host: item.host,
  ip: item.ip,
  port: item.port,
  scheme: item.scheme,
  status: item.code === 'dns-error' ? 'unreachable' : 'error',
  observedAt: OBSERVED_AT,
  requests: 0,
  exchange: null,
  evidence: [],
  tls: null,
  owner: item.owner,
  error: { code: item.code, message: item.message },
});

/** GET one path, following up to `maxHops` redirects; a revisit or one hop too many is redirect-loop. */
export async function getFollowing(
  session: HttpSession,
  path: string,
  maxHops: number,
): Promise<{ responses: ProbeResponse[]; refused: ScopeRefusal[] }> {
  const responses: ProbeResponse[] = [];
  const refused: ScopeRefusal[] = [];
  const seen = new Set<string>();
  let next: string = path;
  for (let hop = 0; ; hop++) {
    let res: ProbeResponse;
    try {
      res = await session.get(next);
    } catch (err) {
      // A refused hop is evidence; a refused endpoint is the endpoint's failure.
      if (err instanceof ScopeRefusal && hop > 0) {
        refused.push(err);
        return { responses, refused };
      }
      throw err;
    }
    responses.push(res);
    seen.add(res.url);
    const location = res.headers.location;
    if (res.status < 300 || res.status > 399 || location === undefined) return { responses, refused };
    const target = new URL(location, res.url).href;
    if (seen.has(target) || hop + 1 > maxHops)
      throw new ProbeError('redirect-loop', `redirect chain from ${path} loops at ${target}`);
    next = target;
  }
}

export interface TestProbeOptions {
  paths: string[];
  maxHops?: number;
  /** Called with each endpoint's responses (for assertions). */
  onResponses?: (e: Endpoint, responses: ProbeResponse[]) => void;
}

export function testProbe(opts: TestProbeOptions): EngineOptions['probeEndpoint'] {
  return async (endpoint, session) => {
    const all: ProbeResponse[] = [];
    const evidence: ResultRecord['evidence'] = [];
    for (const path of opts.paths) {
      const { responses, refused } = await getFollowing(session, path, opts.maxHops ?? 3);
      all.push(...responses);
      for (const r of refused)
        evidence.push({ signal: 'redirect-out-of-scope', url: r.url, value: r.reason });
    }
    opts.onResponses?.(endpoint, all);
    return { ...baseRecord(endpoint, session.requests, session.tls), evidence };
  };
}

export function endpoint(ip: string, port: number, extra: Partial<Endpoint> = {}): Endpoint {
  return { target: extra.host ?? ip, host: null, ip, port, scheme: 'http', owner: null, ...extra };
}

/** A lazy source like the scope's expansion; counts how many items were pulled. */
export function itemsOf(
  endpoints: (Endpoint | TargetItem)[],
): AsyncIterable<TargetItem> & { pulled: number } {
  const source = {
    pulled: 0,
    async *[Symbol.asyncIterator](): AsyncGenerator<TargetItem> {
      for (const e of endpoints) {
        await Promise.resolve();
        source.pulled++;
        yield 'kind' in e ? e : { kind: 'endpoint', endpoint: e };
      }
    },
  };
  return source;
}
