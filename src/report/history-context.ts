// What the reports take from the scan history, opened once per writeReports call: the diff
// against the previous run of the scan and the per-host lines. A history that cannot be read
// costs the reports their history sections, never the reports themselves.
import type { RunDiff } from '../history/diff.js';
import type { HostHistory } from '../history/host-history.js';
import { openReportHistory, type ReportHistory } from '../history/report-history.js';
import { HistoryError, type HistoryStore } from '../history/store.js';
import type { ResultRecord } from '../core/result-schema.js';
import { hostHistoryView, type HostHistoryView } from './history-view.js';
import type { RunInfo } from '../run-store/run-info.js';

export interface HistoryContext {
  since: RunDiff | null;
  /** The endpoint's history (one indexed query, remembered for the record in hand). */
  hostHistory: ((r: ResultRecord) => HostHistory) | null;
  hostLine: ((r: ResultRecord) => HostHistoryView | null) | null;
  warnings: string[];
  close(): void;
}

/**
 * `source`: the history database's path, or an open store that holds this run (it may not be
 * committed yet: src/outputs/finish-run.ts); null or undefined for none.
 */
export function openHistoryContext(
  source: string | HistoryStore | null | undefined,
  run: RunInfo,
  runDir: string,
): HistoryContext {
  const none: HistoryContext = {
    since: null,
    hostHistory: null,
    hostLine: null,
    warnings: [],
    close: () => undefined,
  };
  if (source === undefined || source === null) return none;
  const path = typeof source === 'string' ? source : source.path;
  let history: ReportHistory | null;
  try {
    history = openReportHistory(source, run);
  } catch (e) {
    if (!(e instanceof HistoryError)) throw e;
    return {
      ...none,
      warnings: [
        `the scan history could not be read, so the report leaves out what changed since the last scan: ${e.message}`,
      ],
    };
  }
  if (history === null) return none;
  const h = history;
  const warnings: string[] = [];
  if (h.run === null && h.otherRunsOfScan > 0) {
    warnings.push(
      `this run is not in the scan history (${path}), so the report cannot say what changed since the last scan; ` +
        `record it with \`owa-audit history import ${runDir}\` and write the report again.`,
    );
  }
  // Reports stream records one at a time, and the CSV row, the owner's draft and the host rows
  // of one record all ask for its history: remembering the last answer saves the repeat queries.
  let last: { r: ResultRecord; h: HostHistory } | null = null;
  const hostHistory = (r: ResultRecord): HostHistory => {
    if (last?.r !== r) last = { r, h: h.hostHistory(r) };
    return last.h;
  };
  return {
    since: h.since,
    hostHistory,
    hostLine: (r) => hostHistoryView(hostHistory(r)),
    warnings,
    close: () => h.close(),
  };
}
