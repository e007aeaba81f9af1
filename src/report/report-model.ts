// Builds the view of one report (the main report, or one owner's notification) from records fed
// one at a time, in the second pass over results.jsonl: the first pass grouped the endpoints into
// servers and said which servers this report lays out (server-plan.ts). Every endpoint of an
// Exchange server is listed under that server; other endpoints go to the compact tables. Memory:
// counts, at most `groupAbove` full records (one per server section), bounded table rows — never
// the whole run.
import type { ErrorCode, Owner, ResultRecord } from '../core/result-schema.js';
import type { RemediationSource } from './actions.js';
import { verdictView, type VerdictView } from './host-view.js';
import { ACTION_GROUPS, ACTION_GROUP_TITLE, compareKeys, type ActionGroup } from './priority.js';
import { BoundedRows, compactRow, groupHostRow, type CompactRow, type GroupHostRow } from './rows.js';
import type { RunInfo } from '../run-store/run-info.js';
import { ServerEntry, type EntryLimits } from './server-entry.js';
import type { ServerIndex } from './server-grouping.js';
import { planServers, type ServerPlan } from './server-plan.js';
import type { ServerFacts } from './server-table.js';
import { severityKey } from './server-verdict.js';
import { serverCompactRow, serverGroupRow, serverView, serverWhere, type ServerView } from './server-view.js';
import { SummaryCounter } from './summary-counter.js';
import { summaryView, type SummaryView } from './summary.js';
import { formatCount, plural } from '../core/text.js';
import { groupTable, type GroupTableView } from './group-table.js';
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

/** The servers of the run, from the report's first pass. */
export interface ModelServers {
  index: ServerIndex;
  /** This report's Exchange servers (the owner's only, for an owner's notification). */
  facts: ReadonlyMap<string, ServerFacts>;
  /** Main report: each owner's Exchange servers, for the summary's owner table. */
  byOwner: ReadonlyMap<string, ReadonlyMap<string, ServerFacts>> | null;
}

/** Endpoints and names listed per server: in its own section, and in a table row. */
const SECTION_LIMITS: EntryLimits = { endpoints: 20, names: 10, full: true };
const ROW_LIMITS: EntryLimits = { endpoints: 4, names: 3, full: false };

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
  hosts: GroupTableView;
  more: string | null;
}

export interface ReportView {
  meta: MetaView;
  summary: SummaryView;
  since: SinceView | null;
  actionGroups: { title: string; group: ActionGroup; rows: ActionRow[] }[];
  hasActions: boolean;
  grouped: boolean;
  hosts: ServerView[];
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

export class ReportModel {
  private readonly counter = new SummaryCounter();
  private readonly plan: ServerPlan;
  /** The servers this report builds, by key: a section, a group-table row, or a compact row. */
  private readonly sections = new Map<string, ServerEntry<ResultRecord>>();
  private readonly groupRows = new Map<string, ServerEntry<GroupHostRow>>();
  private readonly currentRows = new Map<string, ServerEntry<CompactRow>>();
  private readonly others: BoundedRows<CompactRow>;
  private readonly failures: BoundedRows<CompactRow>;
  private readonly codes = new Map<ErrorCode, number>();
  private readonly imitations: ImitationRows;

  constructor(
    private readonly opts: ModelOptions,
    private readonly servers: ModelServers,
  ) {
    this.imitations = new ImitationRows(opts.tableLimit);
    this.others = new BoundedRows(opts.tableLimit);
    this.failures = new BoundedRows(opts.tableLimit);
    this.plan = planServers(servers.facts, opts);
    const history = opts.history?.host ?? null;
    const entry = <T>(key: string, summarize: (r: ResultRecord) => T, limits: EntryLimits) =>
      new ServerEntry(servers.facts.get(key)?.worst ?? null, summarize, limits);
    for (const key of this.plan.detailed)
      this.sections.set(
        key,
        entry(key, (r) => r, SECTION_LIMITS),
      );
    for (const g of this.plan.groups)
      for (const key of g.listed)
        this.groupRows.set(
          key,
          entry(key, (r) => groupHostRow(r, opts.now, history), ROW_LIMITS),
        );
    for (const key of this.plan.current.listed) this.currentRows.set(key, entry(key, compactRow, ROW_LIMITS));
  }

  /** One record of the second pass; `key` is its server's (computed here when not given). */
  add(r: ResultRecord, key: string = this.servers.index.keyOf(r)): void {
    this.counter.add(r, key);
    if (this.opts.owner === null) this.imitations.add(r);
    if (this.servers.facts.has(key)) {
      // An endpoint of an Exchange server, whatever it showed itself: listed under its server.
      (this.sections.get(key) ?? this.groupRows.get(key) ?? this.currentRows.get(key))?.add(r);
      return;
    }
    if (r.error !== null) this.codes.set(r.error.code, (this.codes.get(r.error.code) ?? 0) + 1);
    if (r.status === 'unreachable' || r.status === 'error') this.failures.push(() => compactRow(r));
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
    const facts = this.servers.facts;
    this.counter.countServers(facts, this.servers.byOwner);
    const more = (n: number, what: 'endpoint' | 'server'): string | null =>
      n === 0
        ? null
        : `${formatCount(n)} more ${n === 1 ? `${what} is` : `${what}s are`} listed in results.csv.`;
    const grouped = this.plan.grouped;
    const actionRows = new Map<ActionGroup, ActionRow[]>(ACTION_GROUPS.map((g) => [g, []]));
    let hosts: ServerView[] = [];
    let verdictGroups: VerdictGroupView[] = [];
    let rank = 0;

    if (!grouped) {
      const sorted = this.plan.detailed
        .map((key) => {
          const entry = this.sections.get(key);
          const f = facts.get(key);
          return entry === undefined || f === undefined || entry.judged === null
            ? null
            : { key, entry, f, order: severityKey(f.worst), title: entry.names[0] ?? key };
        })
        .filter((x) => x !== null)
        .sort((a, b) => compareKeys(a.order, b.order) || a.title.localeCompare(b.title));
      hosts = sorted
        .map(({ key, entry, f }, i) => serverView(key, entry, f, `h-${i + 1}`, ctx))
        .filter((h) => h !== null);
      for (const h of hosts) {
        const v = h.verdict;
        const group: ActionGroup = v === null ? 'verify' : v.group;
        actionRows.get(group)?.push(actionRow(++rank, h.anchor, h.title, serverWhere(h), h.owner ?? '—', v));
      }
    } else {
      verdictGroups = this.plan.groups.map((g, i) => {
        const rows = g.listed.flatMap((key) => {
          const entry = this.groupRows.get(key);
          const f = facts.get(key);
          const row =
            entry === undefined || f === undefined ? null : serverGroupRow(key, entry, f, this.opts.now);
          return row === null ? [] : [row];
        });
        return {
          anchor: `g-${i + 1}`,
          count: plural(g.servers, 'server'),
          verdict: g.verdict === null ? null : verdictView(g.verdict, ctx),
          hosts: groupTable(rows),
          more: more(g.servers - rows.length, 'server'),
        };
      });
      for (const g of verdictGroups) {
        const group: ActionGroup = g.verdict === null ? 'verify' : g.verdict.group;
        actionRows.get(group)?.push(actionRow(++rank, g.anchor, g.count, 'see section', '—', g.verdict));
      }
    }
    const currentRows = this.plan.current.listed.flatMap((key) => {
      const entry = this.currentRows.get(key);
      const row = entry === undefined ? null : serverCompactRow(key, entry);
      return row === null ? [] : [row];
    });

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
      current: {
        rows: currentRows,
        more: more(this.plan.current.total - currentRows.length, 'server'),
        has: this.plan.current.total > 0,
      },
      others: {
        rows: this.others.rows,
        more: more(this.others.more, 'endpoint'),
        has: this.others.total > 0,
      },
      failures: {
        rows: this.failures.rows,
        more: more(this.failures.more, 'endpoint'),
        has: this.failures.total > 0,
        codes,
      },
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
