// Which evidence item stands for an endpoint in one-line outputs (CSV, report rows, IntelMQ): the
// first one that carried a version number — the response that revealed the build — else the first.
import type { Evidence, EvidenceSignal, ResultRecord } from './result-schema.js';

/** Signals that carry a version number, most direct first. */
const VERSIONED: readonly EvidenceSignal[] = [
  'x-owa-version',
  'exporttool-manifest',
  'owa-legacy-asset-path',
  'owa-asset-path',
  'ecp-version-dir',
];

export function primaryEvidence(r: Pick<ResultRecord, 'evidence'>): Evidence | undefined {
  for (const signal of VERSIONED) {
    const e = r.evidence.find((x) => x.signal === signal);
    if (e !== undefined) return e;
  }
  return r.evidence[0];
}
