// Comparing scans of the simulated fleet: the records of a run, and what a record says that does
// not depend on time — so a scan split into shards (in processes side by side, or through GNU
// parallel) can be checked against the same fleet scanned whole.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fleet } from '../../src/fleet/index.js';
import type { HostExpectation } from '../../src/fleet/types.js';
import { endpointKey, type ResultRecord } from '../../src/core/result-schema.js';

export async function recordsOf(run: string): Promise<ResultRecord[]> {
  const text = await readFile(join(run, 'results.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ResultRecord);
}

function expectationOf(fleet: Fleet, r: ResultRecord): HostExpectation | undefined {
  return fleet.host(r.ip ?? '')?.ports.find((p) => p.port === r.port)?.expect;
}

/** A host that answers 429 + Retry-After for a while after its first request (a whole scan sees that, a shard may not). */
function answersByTime(fleet: Fleet, r: ResultRecord): boolean {
  const profile = fleet.host(r.ip ?? '')?.profile;
  return profile !== undefined && 'retryAfterSeconds' in profile;
}

/**
 * What a record says that does not depend on time: no timestamps, request counts or error
 * texts. Hosts whose outcome the fleet lets vary with timing (alsoAcceptable) keep only whether
 * the outcome is one of the acceptable ones; a host that answers by time keeps its verdict, not
 * the path the probe took to it.
 */
export function stableRecord(fleet: Fleet, r: ResultRecord): string {
  const e = expectationOf(fleet, r);
  if (e?.alsoAcceptable !== undefined) {
    const ok = [{ status: e.status, error: e.error }, ...e.alsoAcceptable].some(
      (a) => a.status === r.status && (a.error === undefined || a.error === r.error?.code),
    );
    return JSON.stringify({ target: r.target, acceptable: ok });
  }
  return JSON.stringify({
    target: r.target,
    status: r.status,
    error: r.error?.code ?? null,
    exchange: r.exchange,
    evidence: answersByTime(fleet, r) ? null : r.evidence.map((x) => [x.signal, x.value]),
    tls: r.tls?.sha256 ?? null,
    owner: r.owner,
  });
}

/** endpointKey → stableRecord, for comparing two runs record by record. */
export function stableByKey(fleet: Fleet, records: readonly ResultRecord[]): Map<string, string> {
  return new Map(records.map((r) => [endpointKey(r), stableRecord(fleet, r)]));
}
