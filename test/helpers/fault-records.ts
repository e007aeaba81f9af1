// Reading results.jsonl the strict way (every line whole and a result record, or the test says
// which is not) and judging a record against the fleet's hand-written expectation.
import { readFile } from 'node:fs/promises';
import type { HostExpectation } from '../../src/fleet/types.js';
import { endpointKey, RESULT_SCHEMA, type ResultRecord } from '../../src/core/result-schema.js';

export interface StrictResults {
  /** Complete lines (each ended with "\n"), without the newline. */
  lines: string[];
  records: ResultRecord[];
  /** Text after the last "\n" (a torn line), or "" when the file ends cleanly. */
  tail: string;
  /** Lines that are not JSON result records, with their 1-based numbers. */
  bad: { line: number; text: string }[];
}

export async function readResultsStrict(path: string): Promise<StrictResults> {
  const text = await readFile(path, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  const lines = text.slice(0, end).split('\n').slice(0, -1);
  const records: ResultRecord[] = [];
  const bad: StrictResults['bad'] = [];
  lines.forEach((l, i) => {
    try {
      const r = JSON.parse(l) as Partial<ResultRecord> | null;
      if (r?.schema === RESULT_SCHEMA) records.push(r as ResultRecord);
      else bad.push({ line: i + 1, text: l.slice(0, 200) });
    } catch {
      bad.push({ line: i + 1, text: l.slice(0, 200) });
    }
  });
  return { lines, records, tail: text.slice(end), bad };
}

/** Endpoint keys that occur more than once. */
export function duplicateKeys(records: readonly ResultRecord[]): string[] {
  const seen = new Set<string>();
  const dups: string[] = [];
  for (const r of records) {
    const k = endpointKey(r);
    if (seen.has(k)) dups.push(k);
    seen.add(k);
  }
  return dups;
}

/** Why `r` does not say what `e` expects, or null when it does (status, error code, verdict, evidence). */
export function mismatch(r: ResultRecord, e: HostExpectation): string | null {
  const acceptable = [{ status: e.status, error: e.error }, ...(e.alsoAcceptable ?? [])];
  const ok = acceptable.some(
    (a) => a.status === r.status && (a.error === undefined || a.error === r.error?.code),
  );
  const got = `${r.status}/${r.error?.code ?? '-'}`;
  if (!ok)
    return `got ${got}, expected ${acceptable.map((a) => `${a.status}/${a.error ?? '*'}`).join(' or ')} (${e.why})`;
  if (r.status === e.status) {
    if (e.product !== undefined && r.exchange?.product !== e.product)
      return `product ${String(r.exchange?.product)}, expected ${e.product}`;
    if (e.build !== undefined && r.exchange?.build !== e.build)
      return `build ${String(r.exchange?.build)}, expected ${e.build}`;
    if (e.precision !== undefined && r.exchange?.precision !== e.precision)
      return `precision ${String(r.exchange?.precision)}, expected ${e.precision}`;
    for (const s of e.signals ?? [])
      if (!r.evidence.some((x) => x.signal === s)) return `evidence ${s} missing`;
  }
  if (r.status !== 'exchange' && r.exchange !== null) return `a verdict on a ${r.status} record`;
  return null;
}
