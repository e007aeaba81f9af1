// Keeping the history bounded: it grows with endpoints × runs (every record is kept whole), so a
// CERT scanning a large constituency every week needs to drop old runs. Retention rules in the
// manner of backup tools: a run is kept when any given rule keeps it (the newest N runs of its
// scan, or runs started on or after a date); everything else is deleted with its results, then
// the file is compacted. Per-host history (first seen, days exposed) then counts from the oldest
// run kept — the command says so.
import { statSync } from 'node:fs';
import type { HistoryStore, StoredRun } from './store.js';

export interface RetentionRules {
  /** Keep the newest `keep` runs of each scan. */
  keep?: number;
  /** Keep runs started at or after this instant (ISO 8601). */
  since?: string;
  /** Only the runs of this scan are considered; others are kept. */
  scan?: string;
}

export interface PruneOutcome {
  /** Runs deleted (or that would be, on a dry run), oldest first. */
  runs: StoredRun[];
  /** Result rows deleted with them. */
  results: number;
  /** Runs left in the history. */
  kept: number;
  /** Database size in bytes (with its WAL) before and after; after = before on a dry run. */
  bytesBefore: number;
  bytesAfter: number;
}

/** The runs the rules do not keep, oldest first. Pure; needs at least one of `keep` and `since`. */
export function runsToPrune(runs: readonly StoredRun[], rules: RetentionRules): StoredRun[] {
  if (rules.keep === undefined && rules.since === undefined)
    throw new Error('runsToPrune: give keep or since');
  const considered = runs.filter((r) => rules.scan === undefined || r.name === rules.scan);
  const kept = new Set<number>();
  if (rules.keep !== undefined) {
    const newerOfScan = new Map<string, number>();
    for (const r of [...considered].sort(byStart).reverse()) {
      const newer = newerOfScan.get(r.name) ?? 0;
      if (newer < rules.keep) kept.add(r.id);
      newerOfScan.set(r.name, newer + 1);
    }
  }
  const since = rules.since === undefined ? null : Date.parse(rules.since);
  if (since !== null) {
    for (const r of considered) {
      const t = Date.parse(r.startedAt);
      // A start time that does not parse is never judged old: deleting needs proof.
      if (Number.isNaN(t) || t >= since) kept.add(r.id);
    }
  }
  return considered.filter((r) => !kept.has(r.id)).sort(byStart);
}

/** Oldest first; runs started at the same instant in the order they were recorded. */
function byStart(a: StoredRun, b: StoredRun): number {
  return a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id - b.id;
}

/** The database file with its WAL, in bytes. */
export function historyFileBytes(path: string): number {
  let total = 0;
  for (const p of [path, `${path}-wal`]) {
    try {
      total += statSync(p).size;
    } catch {
      // no WAL (or an in-memory database): nothing to count
    }
  }
  return total;
}

export function pruneHistory(
  store: HistoryStore,
  rules: RetentionRules,
  options: { dryRun?: boolean } = {},
): PruneOutcome {
  const all = store.listRuns();
  const doomed = runsToPrune(all, rules);
  const bytesBefore = historyFileBytes(store.path);
  const count = store.db.prepare<[number], { n: number }>(
    'SELECT COUNT(*) AS n FROM results WHERE run_id = ?',
  );
  let results = 0;
  for (const r of doomed) results += count.get(r.id)?.n ?? 0;
  const outcome = {
    runs: doomed,
    results,
    kept: all.length - doomed.length,
    bytesBefore,
    bytesAfter: bytesBefore,
  };
  if (options.dryRun === true || doomed.length === 0) return outcome;
  const del = store.db.prepare<[number]>('DELETE FROM runs WHERE id = ?');
  store.db
    .transaction(() => {
      for (const r of doomed) del.run(r.id); // results go with their run (ON DELETE CASCADE)
    })
    .immediate();
  // Deleted pages are only reused, not returned, until the file is rebuilt.
  store.db.exec('VACUUM');
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  return { ...outcome, bytesAfter: historyFileBytes(store.path) };
}
