// Builds the view of one report (the main report, or one owner's notification) from records fed
// one at a time. Memory: counts, compact rows of the findings, at most `groupAbove` full records
// (for per-host sections) and bounded compact tables — never the whole run.
import type { ErrorCode, ExchangeVerdict, Owner, ResultRecord } from '../results/schema.js';
import type { RemediationSource } from './actions.js';
import { hostView, verdictView, type HostView, type VerdictView } from './host-view.js';
import { ACTION_GROUPS, ACTION_GROUP_TITLE, compareKeys, priorityKey, type ActionGroup } from './priority.js';
import { BoundedRows, compactRow, groupHostRow, type CompactRow, type GroupHostRow } from './rows.js';
import type { RunInfo } from './run-input.js';
import { needsDetail, SummaryCounter } from './summary-counter.js';
import { summaryView, type SummaryView } from './summary.js';
import { formatCount, plural } from './text.js';
import { ImitationRows } from './imitations.js';
import { ERROR_MEANING } from './vocabulary.js';
import { metaView, type MetaView } from './meta-view.js';
import type { RunDiff } from '../history/diff.js';
import { sinceView, type HostHistoryView, type SinceView } from './history-view.js';

export interface ModelOptions {
  run: RunInfo;
  /** null: the main report; else the owner this notification is for. */
  owner: Owner | null;
  now: Date;
  remediation: RemediationSource | null;
  /** More hosts with findings than this → one section per distinct verdict instead of per host. */
  groupAbove: number;
  /** Rows kept per compact table (the rest are counted and left to results.csv). */
  tableLimit: number;
  /** Main report of a run that also gets per-owner reports. */
  perOwner: boolean;
  /** Data version behind the remediation advice; null when the advice is verdict-only. */
  adviceDataVersion: string | null;
  /** From the scan history: the diff against the previous run (already cut to this owner) and per-host lines. */
  history?: ModelHistory | null;
}

export interface ModelHistory {
  since: RunDiff | null;
  host: ((r: ResultRecord) => HostHistoryView | null) | null;
}

/** Rows per "since the last scan" category before the rest is left to `owa-audit diff`. */
const SINCE_ROWS = 100;

export interface ActionRow {
  rank: number;
  anchor: string;
  title: string;
  endpoint: string;
  owner: string;
  product: string;
  build: string;
  level: string;
  levelLabel: string;
  certainty: string;
  possible: boolean;
  supportText: string;
  kevCount: number;
  cveCount: number;
  /** "5 KEV of 24 CVEs (3 critical, 20 high, 1 without a score)", "1 KEV of 1 CVE (1 critical)". */
  cveText: string;
  todo: string;
}

export interface VerdictGroupView {
  anchor: string;
  count: string;
  verdict: VerdictView | null;
  hosts: GroupHostRow[];
  more: string | null;
}

export interface ReportView {
  meta: MetaView;
  summary: SummaryView;
  since: SinceView | null;
  actionGroups: { title: string; group: ActionGroup; rows: ActionRow[] }[];
  hasActions: boolean;
  grouped: boolean;
  hosts: HostView[];
  verdictGroups: VerdictGroupView[];
  hasDetails: boolean;
  current: { rows: CompactRow[]; more: string | null; has: boolean };
  others: { rows: CompactRow[]; more: string | null; has: boolean };
  failures: {
    rows: CompactRow[];
    more: string | null;
    has: boolean;
    codes: { code: string; meaning: string; count: string }[];
  };
  /** Main report only: endpoints that presented as Exchange and failed corroboration. */
  imitations: { rows: CompactRow[]; more: string | null; has: boolean };
}

interface Group {
  verdict: ExchangeVerdict | null;
  key: number[];
  rows: BoundedRows<GroupHostRow>;
}

function verdictKey(v: ExchangeVerdict | null): string {
  if (v === null) return 'no-verdict';
  const cves = v.cves.map((c) => `${c.id}:${c.certainty}`).join(',');
  return [v.product, v.build, v.precision, v.patchLevel, v.certainty, v.supported, v.release, cves].join('|');
}

export class ReportModel {
  private readonly counter = new SummaryCounter();
  private detailRecords: ResultRecord[] | null = [];
  private readonly groups = new Map<string, Group>();
  private readonly current: BoundedRows<CompactRow>;
  private readonly others: BoundedRows<CompactRow>;
  private readonly failures: BoundedRows<CompactRow>;
  private readonly codes = new Map<ErrorCode, number>();
  private readonly imitations: ImitationRows;

  constructor(private readonly opts: ModelOptions) {
    this.imitations = new ImitationRows(opts.tableLimit);
    this.current = new BoundedRows(opts.tableLimit);
    this.others = new BoundedRows(opts.tableLimit);
    this.failures = new BoundedRows(opts.tableLimit);
  }

  add(r: ResultRecord): void {
    this.counter.add(r);
    if (this.opts.owner === null) this.imitations.add(r);
    if (r.error !== null && r.status !== 'exchange')
      this.codes.set(r.error.code, (this.codes.get(r.error.code) ?? 0) + 1);
    if (needsDetail(r)) {
      const key = verdictKey(r.exchange);
      let g = this.groups.get(key);
      if (g === undefined) {
        g = {
          verdict: r.exchange,
          key: r.exchange === null ? [ACTION_GROUPS.indexOf('verify')] : priorityKey(r.exchange),
          rows: new BoundedRows(this.opts.tableLimit),
        };
        this.groups.set(key, g);
      }
      g.rows.push(() => groupHostRow(r, this.opts.now, this.opts.history?.host ?? null));
      if (this.detailRecords !== null) {
        this.detailRecords.push(r);
        if (this.detailRecords.length > this.opts.groupAbove) this.detailRecords = null;
      }
    } else if (r.status === 'exchange') this.current.push(() => compactRow(r));
    else if (r.status === 'unreachable' || r.status === 'error') this.failures.push(() => compactRow(r));
    else this.others.push(() => compactRow(r));
  }

  get endpoints(): number {
    return this.counter.total;
  }

  view(skippedLines: number): ReportView {
    const history = this.opts.history ?? null;
    const ctx = {
      now: this.opts.now,
      remediation: this.opts.remediation,
      history: history?.host ?? undefined,
    };
    const more = (b: BoundedRows<unknown>): string | null =>
      b.more === 0
        ? null
        : `${formatCount(b.more)} more ${b.more === 1 ? 'endpoint is' : 'endpoints are'} listed in results.csv.`;
    const grouped = this.detailRecords === null;
    const actionRows = new Map<ActionGroup, ActionRow[]>(ACTION_GROUPS.map((g) => [g, []]));
    let hosts: HostView[] = [];
    let verdictGroups: VerdictGroupView[] = [];
    let rank = 0;

    if (this.detailRecords !== null) {
      const sorted = this.detailRecords
        .map((r) => ({
          r,
          key: r.exchange === null ? [ACTION_GROUPS.indexOf('verify')] : priorityKey(r.exchange),
        }))
        .sort(
          (a, b) =>
            compareKeys(a.key, b.key) ||
            (a.r.host ?? a.r.ip ?? a.r.target).localeCompare(b.r.host ?? b.r.ip ?? b.r.target),
        );
      hosts = sorted.map(({ r }, i) => hostView(r, `h-${i + 1}`, ctx));
      for (const h of hosts) {
        const v = h.verdict;
        const group: ActionGroup = v === null ? 'verify' : v.group;
        actionRows.get(group)?.push(actionRow(++rank, h.anchor, h.title, h.endpoint, h.owner ?? '—', v));
      }
    } else {
      const sorted = [...this.groups.values()].sort(
        (a, b) => compareKeys(a.key, b.key) || b.rows.total - a.rows.total,
      );
      verdictGroups = sorted.map((g, i) => ({
        anchor: `g-${i + 1}`,
        count: plural(g.rows.total, 'host'),
        verdict: g.verdict === null ? null : verdictView(g.verdict, ctx),
        hosts: g.rows.rows,
        more: more(g.rows),
      }));
      for (const g of verdictGroups) {
        const group: ActionGroup = g.verdict === null ? 'verify' : g.verdict.group;
        actionRows.get(group)?.push(actionRow(++rank, g.anchor, g.count, 'see section', '—', g.verdict));
      }
    }

    const actionGroups = ACTION_GROUPS.filter((g) => g !== 'none')
      .map((g) => ({ title: ACTION_GROUP_TITLE[g], group: g, rows: actionRows.get(g) ?? [] }))
      .filter((g) => g.rows.length > 0);
    const codes = [...this.codes.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([code, n]) => ({ code, meaning: ERROR_MEANING[code], count: formatCount(n) }));

    return {
      meta: metaView(this.opts, skippedLines, this.counter.unowned, this.counter.byOwner.size),
      summary: summaryView(this.counter, { withOwners: this.opts.owner === null }),
      since: history === null || history.since === null ? null : sinceView(history.since, SINCE_ROWS),
      actionGroups,
      hasActions: actionGroups.length > 0,
      grouped,
      hosts,
      verdictGroups,
      hasDetails: hosts.length > 0 || verdictGroups.length > 0,
      current: { rows: this.current.rows, more: more(this.current), has: this.current.total > 0 },
      others: { rows: this.others.rows, more: more(this.others), has: this.others.total > 0 },
      failures: { rows: this.failures.rows, more: more(this.failures), has: this.failures.total > 0, codes },
      imitations: this.imitations.view(),
    };
  }
}

function actionRow(
  rank: number,
  anchor: string,
  title: string,
  endpoint: string,
  owner: string,
  v: VerdictView | null,
): ActionRow {
  return {
    rank,
    anchor,
    title,
    endpoint,
    owner,
    product: v?.product ?? 'Exchange',
    build: v?.build ?? '—',
    level: v?.level ?? 'unknown',
    levelLabel: v?.levelLabel ?? 'Unknown',
    certainty: v?.certainty ?? 'possible',
    possible: v?.possible ?? true,
    supportText: v?.supportText ?? '—',
    kevCount: v?.kevCount ?? 0,
    cveCount: v?.cveCount ?? 0,
    cveText:
      `${v?.kevCount ?? 0} KEV of ${plural(v?.cveCount ?? 0, 'CVE')}` +
      (v === null || v.severityText === '' ? '' : ` (${v.severityText})`),
    todo:
      v === null
        ? 'The verdict could not be read from the record; check the server by hand.'
        : (v.steps[0]?.text ?? v.headline),
  };
}
