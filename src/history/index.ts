// Scan history: the SQLite store, recording runs, diffs and per-host history.
export { DEFAULT_HISTORY_PATH, HISTORY_ENV, resolveHistoryPath } from './config.js';
export { HistoryStore, HistoryError, type StoredRun, type Observation } from './store.js';
export { recordRunInHistory, type RecordRunOptions, type RecordedRun } from './record-run.js';
export { SCHEMA_VERSION, MIGRATIONS } from './migrations.js';
export {
  classifyChange,
  diffFromPairs,
  diffForOwner,
  entryOwner,
  totalChanges,
  CHANGE_KINDS,
  CHANGE_TITLE,
  LISTED_KINDS,
  type ChangeKind,
  type ListedKind,
  type DiffEntry,
  type RunDiff,
  type DiffRunInfo,
} from './diff.js';
export { diffRunDirs, diffAgainstPrevious, diffStoredRuns, type PreviousDiff } from './diff-runs.js';
export { diffText, diffJson, DIFF_SCHEMA, stateText, entryLine, NO_PAINT, type Paint } from './diff-text.js';
export { hostHistory, type HostHistory, type HostObservation } from './host-history.js';
export { openReportHistory, type ReportHistory } from './report-history.js';
export { stateOf, type EndpointState, type EndpointVerdict } from './endpoint-state.js';
