// One-line renderings of a record for the compact tables: endpoints that are not findings
// (Exchange Online, not Exchange, current Exchange), endpoints that could not be read, and the
// host lists of grouped verdict sections in large runs.
import type { ResultRecord } from '../core/result-schema.js';
import { primaryEvidence } from '../core/evidence.js';
import type { HostHistoryView } from './history-view.js';
import { endpointText, titleOf } from './host-view.js';
import { displayText } from '../core/text.js';
import { formatDay, parseDate } from '../core/time.js';
import { SIGNAL_LABEL, SIGNAL_SHORT, STATUS_LABEL } from './vocabulary.js';

export interface CompactRow {
  title: string;
  endpoint: string;
  owner: string;
  status: string;
  detail: string;
}

export interface GroupHostRow {
  title: string;
  endpoint: string;
  owner: string;
  evidence: string;
  tls: string;
  /** Short per-host history (first seen, days exposed); null without a scan history. */
  history: HostHistoryView | null;
  /** Why the server's endpoints were judged by the worst of them; null when they agree. */
  note: string | null;
}

const ownerText = (r: ResultRecord): string => (r.owner === null ? '—' : displayText(r.owner.name, 80));

/** The most telling evidence item (core/evidence.ts), in words. */
export function evidenceText(r: ResultRecord, short = false): string {
  const e = primaryEvidence(r);
  if (e === undefined) return '—';
  return short
    ? `${displayText(e.value, 80)} (${SIGNAL_SHORT[e.signal]})`
    : `${SIGNAL_LABEL[e.signal]}: ${displayText(e.value, 120)}`;
}

export function tlsSummary(r: Pick<ResultRecord, 'tls' | 'scheme'>, now: Date): string {
  const t = r.tls;
  if (t === null) return r.scheme === 'http' ? 'plain HTTP' : '—';
  const parts = [t.subject === null ? 'no subject' : displayText(t.subject, 80)];
  if (t.notAfter !== null) {
    const d = parseDate(t.notAfter);
    parts.push(
      d !== null && d.getTime() < now.getTime()
        ? `expired ${formatDay(t.notAfter)}`
        : `valid to ${formatDay(t.notAfter)}`,
    );
  }
  if (t.selfSigned) parts.push('self-signed');
  return parts.join(' · ');
}

export function groupHostRow(
  r: ResultRecord,
  now: Date,
  history: ((r: ResultRecord) => HostHistoryView | null) | null = null,
): GroupHostRow {
  return {
    title: titleOf(r),
    endpoint: endpointText(r),
    owner: ownerText(r),
    evidence: evidenceText(r, true),
    tls: tlsSummary(r, now),
    history: history === null ? null : history(r),
    note: null,
  };
}

export function compactRow(r: ResultRecord): CompactRow {
  let detail: string;
  if (r.error !== null) detail = `${r.error.code}: ${displayText(r.error.message, 160)}`;
  else if (r.exchange !== null) {
    const v = r.exchange;
    detail = `${v.product.replace('Exchange Server ', 'Exchange ')} ${v.build ?? ''} ${v.release ?? ''}`
      .replace(/\s+/g, ' ')
      .trim();
  } else detail = evidenceText(r);
  return {
    title: titleOf(r),
    endpoint: endpointText(r),
    owner: ownerText(r),
    status: STATUS_LABEL[r.status],
    detail,
  };
}

/** A bounded list: the first `limit` rows are kept, the rest only counted. */
export class BoundedRows<T> {
  readonly rows: T[] = [];
  more = 0;
  constructor(private readonly limit: number) {}
  push(make: () => T): void {
    if (this.rows.length < this.limit) this.rows.push(make());
    else this.more++;
  }
  get total(): number {
    return this.rows.length + this.more;
  }
}
