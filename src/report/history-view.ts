// The report's history parts: "Since the last scan" (the diff against the previous run of the
// same scan) and the per-host line (first seen, first seen vulnerable, days exposed). Values from
// scanned servers go through displayText; the template escapes them. No markup here.
import type { DiffEntry, ListedKind, RunDiff } from '../history/diff.js';
import type { EndpointState } from '../history/endpoint-state.js';
import type { HostHistory } from '../history/host-history.js';
import { displayText, formatCount, plural } from '../core/text.js';
import { formatTimestamp } from '../core/time.js';
import { PATCH_LEVEL_LABEL } from './vocabulary.js';

export interface SinceRow {
  title: string;
  endpoint: string;
  owner: string;
  before: string;
  after: string;
  /** Badge of the current patch level ("" when not Exchange now). */
  level: string;
  levelLabel: string;
}

export interface SinceGroup {
  kind: ListedKind;
  title: string;
  meaning: string;
  count: string;
  rows: SinceRow[];
  more: string | null;
}

export interface SinceView {
  previousStarted: string;
  previousName: string;
  headline: string;
  tiles: { cls: string; n: string; label: string }[];
  groups: SinceGroup[];
  hasGroups: boolean;
}

export interface HostHistoryView {
  text: string;
  /** For the one-line host rows of grouped sections. */
  short: string;
  exposed: boolean;
}

/** What each category means, for the reader of the report. */
const GROUPS: { kind: ListedKind; title: string; meaning: string }[] = [
  {
    kind: 'newlyVulnerable',
    title: 'Newly vulnerable',
    meaning: 'Known-exploited vulnerabilities apply now that did not at the last scan.',
  },
  {
    kind: 'new',
    title: 'New Exchange servers',
    meaning:
      'Answered as on-premises Exchange now, but not at the last scan (not scanned, unreachable or something else then).',
  },
  {
    kind: 'stillVulnerable',
    title: 'Still vulnerable',
    meaning: 'Vulnerable at the last scan and still vulnerable now.',
  },
  {
    kind: 'fixed',
    title: 'Fixed',
    meaning: 'Vulnerable at the last scan and not any more, or the patch level improved.',
  },
  {
    kind: 'gone',
    title: 'Gone',
    meaning: 'Exchange at the last scan; now unreachable, answering as something else, or not scanned.',
  },
  {
    kind: 'changedBuild',
    title: 'Changed build',
    meaning: 'Another build than at the last scan, with no change in exposure.',
  },
  {
    kind: 'changedVerdict',
    title: 'Changed verdict, same build',
    meaning: 'Same build, another patch level or certainty — usually newer vulnerability data.',
  },
];

function stateLine(s: EndpointState | null): string {
  if (s === null) return 'not scanned';
  if (s.status !== 'exchange') {
    const what: Record<string, string> = {
      'exchange-online': 'Exchange Online',
      'not-exchange': 'not Exchange',
      unreachable: 'unreachable',
      error: 'could not be read',
    };
    return `${what[s.status] ?? s.status}${s.errorCode === null ? '' : ` (${s.errorCode})`}`;
  }
  const v = s.verdict;
  if (v === null) return 'Exchange, no verdict';
  const build = v.build === null ? '' : ` ${displayText(v.build, 40)}`;
  return `${v.product.replace('Exchange Server ', 'Exchange ')}${build} · ${PATCH_LEVEL_LABEL[v.patchLevel]}${v.certainty === 'possible' ? ' (possible)' : ''}`;
}

function row(e: DiffEntry): SinceRow {
  const s = e.after ?? e.before;
  const addr =
    s === null ? '' : s.ip === null ? (s.host ?? s.target) : s.ip.includes(':') ? `[${s.ip}]` : s.ip;
  const level = e.after?.verdict?.patchLevel ?? null;
  return {
    title: displayText(s?.host ?? s?.ip ?? s?.target ?? e.key, 120),
    endpoint: s === null ? displayText(e.key, 120) : displayText(`${s.scheme}://${addr}:${s.port}`, 120),
    owner: s?.owner === null || s === null ? '—' : displayText(s.owner.name, 80),
    before: stateLine(e.before),
    after: stateLine(e.after),
    level: level ?? '',
    levelLabel: level === null ? '' : PATCH_LEVEL_LABEL[level],
  };
}

/** The "Since the last scan" section; `limit` rows per category, the rest counted. */
export function sinceView(diff: RunDiff, limit: number): SinceView {
  const c = diff.counts;
  const groups = GROUPS.filter((g) => c[g.kind] > 0).map((g) => {
    const list = diff.entries[g.kind];
    const more = list.length - limit;
    return {
      kind: g.kind,
      title: g.title,
      meaning: g.meaning,
      count: formatCount(list.length),
      rows: list.slice(0, limit).map(row),
      more: more > 0 ? `${plural(more, 'more endpoint')} — owa-audit diff lists them all.` : null,
    };
  });
  const parts = [
    c.newlyVulnerable > 0 ? `${formatCount(c.newlyVulnerable)} newly vulnerable` : null,
    c.new > 0 ? `${formatCount(c.new)} new` : null,
    c.fixed > 0 ? `${formatCount(c.fixed)} fixed` : null,
    c.stillVulnerable > 0 ? `${formatCount(c.stillVulnerable)} still vulnerable` : null,
    c.gone > 0 ? `${formatCount(c.gone)} gone` : null,
    c.changedBuild > 0 ? `${formatCount(c.changedBuild)} on another build` : null,
    c.changedVerdict > 0 ? `${formatCount(c.changedVerdict)} with another verdict` : null,
    c.unchanged > 0 ? `${formatCount(c.unchanged)} unchanged` : null,
  ].filter((p): p is string => p !== null);
  return {
    previousStarted: formatTimestamp(diff.before.startedAt),
    previousName: displayText(diff.before.name, 120),
    headline:
      parts.length === 0
        ? 'No Exchange endpoint in either scan.'
        : `Exchange endpoints since the last scan: ${parts.join(', ')}.`,
    tiles: [
      {
        cls: c.newlyVulnerable > 0 ? 't-vulnerable' : 't-endpoints',
        n: formatCount(c.newlyVulnerable),
        label: 'Newly vulnerable',
      },
      { cls: 't-endpoints', n: formatCount(c.new), label: 'New' },
      { cls: c.fixed > 0 ? 't-current' : 't-endpoints', n: formatCount(c.fixed), label: 'Fixed' },
      {
        cls: c.stillVulnerable > 0 ? 't-vulnerable' : 't-endpoints',
        n: formatCount(c.stillVulnerable),
        label: 'Still vulnerable',
      },
      { cls: 't-endpoints', n: formatCount(c.gone), label: 'Gone' },
    ],
    groups,
    hasGroups: groups.length > 0,
  };
}

function day(iso: string): string {
  return formatTimestamp(iso).slice(0, 10);
}

/** The per-host line; null when the history knows nothing beyond this run. */
export function hostHistoryView(h: HostHistory): HostHistoryView | null {
  if (h.observations < 2) return null;
  const parts: string[] = [];
  if (h.firstSeen !== null) parts.push(`first seen ${day(h.firstSeen)}`);
  if (h.vulnerableSince !== null && h.daysExposed !== null) {
    parts.push(
      h.daysExposed > 0
        ? `exposed for at least ${plural(h.daysExposed, 'day')} (vulnerable in every check since ${day(h.vulnerableSince)})`
        : h.vulnerableChecks > 1
          ? `vulnerable in every check since ${day(h.vulnerableSince)} (${h.vulnerableChecks} checks, less than a day)`
          : 'vulnerable since this check',
    );
    if (h.firstSeenVulnerable !== null && h.firstSeenVulnerable !== h.vulnerableSince)
      parts.push(`first seen vulnerable ${day(h.firstSeenVulnerable)}`);
  } else if (h.firstSeenVulnerable !== null) {
    parts.push(`vulnerable in earlier checks (first on ${day(h.firstSeenVulnerable)})`);
  }
  parts.push(`${plural(h.observations, 'check')} in the history`);
  const exposed = h.daysExposed !== null && h.daysExposed > 0;
  const short =
    exposed && h.vulnerableSince !== null
      ? `exposed ≥ ${plural(h.daysExposed ?? 0, 'day')} (since ${day(h.vulnerableSince)})`
      : h.firstSeen !== null
        ? `first seen ${day(h.firstSeen)}`
        : `${plural(h.observations, 'check')} in the history`;
  return { text: `${parts.join(' · ')}.`, short, exposed };
}
