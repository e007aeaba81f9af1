// What changed for one endpoint between two runs, and the diff of two runs built from those
// changes. Pure: the pairs come from the history database (store.exchangePairs), the categories
// are decided here and table-tested.
//
// Each endpoint lands in exactly one category, first match wins:
//   new              Exchange now, not Exchange (or not scanned) before
//   gone             Exchange before, not now (unreachable, something else, or not scanned)
//   newlyVulnerable  vulnerable now, Exchange but not vulnerable before
//   fixed            vulnerable before and now outdated or current; or outdated → current
//   stillVulnerable  vulnerable in both runs (the build may have changed)
//   changedBuild     another product or build, none of the above
//   changedVerdict   same build, another patch level or certainty (e.g. newer vulnerability data)
//   unchanged        the rest (counted only)
// "unknown" is never an improvement: a build the data cannot place is not proof of a fix.
import type { PatchLevel } from '../core/result-schema.js';
import type { EndpointState, EndpointVerdict } from './endpoint-state.js';

export const CHANGE_KINDS = [
  'new',
  'gone',
  'newlyVulnerable',
  'fixed',
  'stillVulnerable',
  'changedBuild',
  'changedVerdict',
  'unchanged',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Categories whose endpoints are listed (the rest are counted). */
export type ListedKind = Exclude<ChangeKind, 'unchanged'>;
export const LISTED_KINDS: readonly ListedKind[] = CHANGE_KINDS.filter(
  (k): k is ListedKind => k !== 'unchanged',
);

export const CHANGE_TITLE: Record<ChangeKind, string> = {
  new: 'New Exchange endpoints',
  gone: 'Gone (no longer seen as Exchange)',
  newlyVulnerable: 'Newly vulnerable',
  fixed: 'Fixed',
  stillVulnerable: 'Still vulnerable',
  changedBuild: 'Changed build',
  changedVerdict: 'Changed verdict, same build',
  unchanged: 'Unchanged',
};

/** Higher is better; unknown has no rank (it neither improves nor worsens). */
const LEVEL_RANK: Record<PatchLevel, number | null> = {
  vulnerable: 0,
  outdated: 1,
  current: 2,
  unknown: null,
};

function buildOf(v: EndpointVerdict): string {
  return `${v.product}|${v.build ?? ''}`;
}

export function classifyChange(before: EndpointState | null, after: EndpointState | null): ChangeKind | null {
  const wasExchange = before?.status === 'exchange';
  const isExchange = after?.status === 'exchange';
  if (!wasExchange && !isExchange) return null;
  if (!wasExchange) return 'new';
  if (!isExchange) return 'gone';
  const a = before.verdict;
  const b = after.verdict;
  if (a === null || b === null) return a === b ? 'unchanged' : 'changedVerdict';
  const wasVulnerable = a.patchLevel === 'vulnerable';
  const isVulnerable = b.patchLevel === 'vulnerable';
  if (isVulnerable && !wasVulnerable) return 'newlyVulnerable';
  if (wasVulnerable && isVulnerable) return 'stillVulnerable';
  const rankA = LEVEL_RANK[a.patchLevel];
  const rankB = LEVEL_RANK[b.patchLevel];
  if (rankA !== null && rankB !== null && rankB > rankA) return 'fixed';
  if (buildOf(a) !== buildOf(b)) return 'changedBuild';
  if (a.patchLevel !== b.patchLevel || a.certainty !== b.certainty) return 'changedVerdict';
  return 'unchanged';
}

export interface DiffEntry {
  kind: ListedKind;
  key: string;
  before: EndpointState | null;
  after: EndpointState | null;
}

export interface DiffRunInfo {
  name: string;
  startedAt: string;
  finishedAt: string | null;
  runDir: string | null;
}

export interface RunDiff {
  before: DiffRunInfo;
  after: DiffRunInfo;
  counts: Record<ChangeKind, number>;
  entries: Record<ListedKind, DiffEntry[]>;
  /** Unchanged endpoints per owner name (unchanged ones are not listed, so owner reports need this count). */
  unchangedByOwner: Map<string, number>;
}

export function emptyCounts(): Record<ChangeKind, number> {
  return Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>;
}

function sortKey(e: DiffEntry): string {
  const s = e.after ?? e.before;
  return `${s?.host ?? ''}\u0000${s?.ip ?? ''}\u0000${String(s?.port ?? 0).padStart(5, '0')}\u0000${e.key}`;
}

/** Builds the diff from the pairs of the two runs' states (any order; each key once). */
export function diffFromPairs(
  before: DiffRunInfo,
  after: DiffRunInfo,
  pairs: Iterable<[EndpointState | null, EndpointState | null]>,
): RunDiff {
  const counts = emptyCounts();
  const entries = Object.fromEntries(LISTED_KINDS.map((k) => [k, [] as DiffEntry[]])) as Record<
    ListedKind,
    DiffEntry[]
  >;
  const unchangedByOwner = new Map<string, number>();
  for (const [a, b] of pairs) {
    const kind = classifyChange(a, b);
    if (kind === null) continue;
    counts[kind]++;
    const key = b?.key ?? a?.key ?? '';
    const entry = { key, before: a, after: b };
    if (kind === 'unchanged') {
      const owner = entryOwner(entry);
      if (owner !== null) unchangedByOwner.set(owner, (unchangedByOwner.get(owner) ?? 0) + 1);
      continue;
    }
    entries[kind].push({ kind, ...entry });
  }
  for (const list of Object.values(entries)) list.sort((x, y) => sortKey(x).localeCompare(sortKey(y)));
  return { before, after, counts, entries, unchangedByOwner };
}

/** The owner an entry belongs to: the current one, else the one it had. */
export function entryOwner(e: Pick<DiffEntry, 'before' | 'after'>): string | null {
  return e.after?.owner?.name ?? e.before?.owner?.name ?? null;
}

/** The same diff restricted to one owner's endpoints (per-owner notifications). */
export function diffForOwner(diff: RunDiff, owner: string): RunDiff {
  const counts = emptyCounts();
  const entries = Object.fromEntries(
    LISTED_KINDS.map((k) => {
      const list = diff.entries[k].filter((e) => entryOwner(e) === owner);
      counts[k] = list.length;
      return [k, list];
    }),
  ) as Record<ListedKind, DiffEntry[]>;
  counts.unchanged = diff.unchangedByOwner.get(owner) ?? 0;
  const unchangedByOwner = new Map(counts.unchanged === 0 ? [] : [[owner, counts.unchanged]]);
  return { ...diff, counts, entries, unchangedByOwner };
}

export function totalChanges(diff: RunDiff): number {
  return LISTED_KINDS.filter((k) => k !== 'stillVulnerable').reduce((n, k) => n + diff.counts[k], 0);
}
