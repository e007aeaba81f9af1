// Running counts over result records: run.json's counts, the progress line, resume's starting
// point. Constant size whatever the number of records.
import { ENDPOINT_STATUSES, type EndpointStatus, type ResultRecord } from '../core/result-schema.js';

export interface Tally {
  records: number;
  byStatus: Record<EndpointStatus, number>;
  /** Records with exchange.patchLevel === 'vulnerable'. */
  vulnerable: number;
  /** Sum of the records' `requests`. */
  requests: number;
}

export function emptyTally(): Tally {
  return {
    records: 0,
    byStatus: Object.fromEntries(ENDPOINT_STATUSES.map((s) => [s, 0])) as Record<EndpointStatus, number>,
    vulnerable: 0,
    requests: 0,
  };
}

export function addToTally(t: Tally, r: Pick<ResultRecord, 'status' | 'exchange' | 'requests'>): void {
  t.records++;
  if (Object.hasOwn(t.byStatus, r.status)) t.byStatus[r.status]++;
  if (r.exchange?.patchLevel === 'vulnerable') t.vulnerable++;
  if (Number.isFinite(r.requests) && r.requests > 0) t.requests += r.requests;
}

export function copyTally(t: Tally): Tally {
  return { records: t.records, byStatus: { ...t.byStatus }, vulnerable: t.vulnerable, requests: t.requests };
}
