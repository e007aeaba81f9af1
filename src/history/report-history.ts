// What a report needs from the history: the diff against the previous run of the same scan
// ("Since the last scan") and, per host, first seen / first seen vulnerable / days exposed.
// Read-only: a report never creates or changes the history.
import { endpointKey, type ResultRecord } from '../core/result-schema.js';
import type { RunDiff } from './diff.js';
import { diffStoredRuns } from './diff-runs.js';
import { hostHistory, type HostHistory } from './host-history.js';
import { HistoryStore, type StoredRun } from './store.js';

export interface ReportHistory {
  /** This run as recorded; null when it is not in the history (then there is no "since" section). */
  run: StoredRun | null;
  previous: StoredRun | null;
  since: RunDiff | null;
  /** Per-host history of a record of this run. */
  hostHistory(r: ResultRecord): HostHistory;
  /** Runs of this scan in the history other than this one (for the "not recorded" hint). */
  otherRunsOfScan: number;
  close(): void;
}

/**
 * Null when the database does not exist. Given an open store (one that may hold this run in a
 * transaction not yet committed: record-run.ts, stageRunInHistory), reads through it and leaves
 * closing it to its owner.
 */
export function openReportHistory(
  source: string | HistoryStore,
  run: { name: string; startedAt: string | null },
): ReportHistory | null {
  const owned = typeof source === 'string';
  const store = owned ? HistoryStore.openExisting(source) : source;
  if (store === null) return null;
  const close = (): void => {
    if (owned) store.close();
  };
  try {
    const stored = run.startedAt === null ? null : store.findRun(run.name, run.startedAt);
    const previous = stored === null ? null : store.previousRun(stored);
    const since = stored === null || previous === null ? null : diffStoredRuns(store, previous, stored);
    const otherRunsOfScan = store.listRuns(run.name).filter((r) => r.id !== stored?.id).length;
    return {
      run: stored,
      previous,
      since,
      otherRunsOfScan,
      hostHistory(r) {
        const current = {
          observedAt: r.observedAt,
          status: r.status,
          patchLevel: r.exchange?.patchLevel ?? null,
        };
        return hostHistory(store.observations(endpointKey(r), r.observedAt, stored?.id ?? null), current);
      },
      close,
    };
  } catch (e) {
    close();
    throw e;
  }
}
