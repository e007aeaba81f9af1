// A record against a host's hand-written expectation: the list of what does not match (empty when
// it does). Pure; used by the replay command and the end-to-end tests.
import type { ResultRecord } from '../../core/result-schema.js';
import type { HostExpectation } from '../types.js';

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

export function checkRecord(r: ResultRecord, e: HostExpectation): string[] {
  const problems: string[] = [];
  const acceptable = [{ status: e.status, error: e.error }, ...(e.alsoAcceptable ?? [])];
  const statusOk = acceptable.some(
    (a) => a.status === r.status && (a.error === undefined || a.error === r.error?.code),
  );
  if (!statusOk) {
    problems.push(`status ${r.status}${r.error === null ? '' : `/${r.error.code}`}, expected ${e.status}`);
    return problems;
  }
  if (r.status !== 'exchange' && r.exchange !== null)
    problems.push('a verdict on a record that is not Exchange');
  const v = r.exchange;
  const want = <T>(label: string, expected: T | undefined, got: T | undefined | null): void => {
    if (expected !== undefined && expected !== got)
      problems.push(`${label} ${String(got ?? '—')}, expected ${String(expected)}`);
  };
  want('product', e.product, v?.product);
  want('build', e.build, v?.build);
  want('precision', e.precision, v?.precision);
  want('patch level', e.patchLevel, v?.patchLevel);
  want('certainty', e.certainty, v?.certainty);
  if (e.supported !== undefined && v !== null && v.supported !== e.supported)
    problems.push(`supported ${yesNo(v.supported)}, expected ${yesNo(e.supported)}`);
  if (e.contradicted !== undefined && (v?.contradicted === true) !== e.contradicted)
    problems.push(`contradicted ${yesNo(v?.contradicted === true)}, expected ${yesNo(e.contradicted)}`);
  if (e.lowerBound !== undefined && (v?.lowerBound === true) !== e.lowerBound)
    problems.push(`lower bound ${yesNo(v?.lowerBound === true)}, expected ${yesNo(e.lowerBound)}`);
  if (v !== null && e.notPatchLevels?.includes(v.patchLevel) === true)
    problems.push(`patch level ${v.patchLevel}, which it must not be`);
  for (const c of e.cves ?? []) {
    const got = v?.cves.find((x) => x.id === c.id);
    if (got?.certainty !== c.certainty)
      problems.push(`${c.id} ${got?.certainty ?? 'not listed'}, expected ${c.certainty}`);
  }
  const signals = new Set(r.evidence.map((x) => x.signal));
  for (const s of e.signals ?? []) if (!signals.has(s)) problems.push(`no ${s} evidence`);
  for (const s of e.absentSignals ?? [])
    if (signals.has(s)) problems.push(`${s} evidence, which it must not carry`);
  return problems;
}

/** "exchange Exchange Server 2019 15.2.858 cu" — a record's verdict in one line. */
export function verdictLine(r: Pick<ResultRecord, 'status' | 'exchange' | 'error'>): string {
  if (r.error !== null && r.status !== 'exchange') return `${r.status} (${r.error.code})`;
  const v = r.exchange;
  if (v === null) return r.status;
  const flags = [v.contradicted === true ? 'contradicted' : '', v.lowerBound === true ? 'lower bound' : '']
    .filter((f) => f !== '')
    .join(', ');
  return `${v.product.replace('Exchange Server ', 'Exchange ')} ${v.build ?? ''} ${v.precision} ${v.patchLevel}/${v.certainty}${flags === '' ? '' : ` (${flags})`}`.replace(
    /\s+/g,
    ' ',
  );
}

/** The expectation in one line, like `verdictLine`. */
export function expectationLine(e: HostExpectation): string {
  const parts: string[] = [e.status];
  if (e.product !== undefined) parts.push(e.product.replace('Exchange Server ', 'Exchange '));
  if (e.build !== undefined) parts.push(e.build);
  if (e.precision !== undefined) parts.push(e.precision);
  if (e.signals?.includes('imitation-suspected') === true) parts.push('(imitation suspected)');
  if (e.contradicted === true) parts.push('(contradicted)');
  if (e.lowerBound === true) parts.push('(lower bound)');
  return parts.join(' ');
}
