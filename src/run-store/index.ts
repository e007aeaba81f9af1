// The run store: the run directory, the real contract between the stages of owa-audit (scan,
// resume, merge, reclassify, report, history). run.json has one model (run-meta.ts); results.jsonl
// is appended by one writer (results-sink.ts) and read by one streaming reader (read-results.ts).
//
//   const run = resume ? await resumeRun(dir) : await beginRun(dir, { name, scanFile, authorisation, settings, overrides, data });
//   … the engine hands each record to run.write(record) …
//   await endRun(run, { aborted, requestsThisSession });   // flush, run.json, unlock
export { beginRun, resumeRun, endRun, type OpenRun } from './open-run.js';
export {
  createRun,
  loadRun,
  readRunFile,
  saveRun,
  markEnded,
  markResumed,
  defaultRunDir,
  emptyCounts,
  RUN_FILE,
  RESULTS_FILE,
  type NewRun,
  type RunFileRead,
} from './run-dir.js';
export {
  RUN_SCHEMA,
  parseRunMeta,
  looseRunMeta,
  type RunMeta,
  type LooseRunMeta,
  type RunSettings,
  type RunState,
  type ShardSpec,
  type MergedShard,
  type MergeInfo,
} from './run-meta.js';
export { readRunInfo, readRunJson, runInfoFrom, type RunInfo } from './run-info.js';
export { lockRun, type RunLock } from './run-lock.js';
export { prepareResume, type ResumePlan } from './resume.js';
export { openResultsSink, type ResultsSink, type ResultsSinkOptions } from './results-sink.js';
export { readResults, type ReadStats } from './read-results.js';
export { recordFrom } from './record-guard.js';
export { emptyTally, addToTally, copyTally, type Tally } from './tally.js';
