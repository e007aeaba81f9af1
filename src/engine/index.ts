// The engine's public surface: what `owa-audit scan`, the probe layer and the bench use.
// Everything else under src/engine/ is internal. Wiring `scan` (and `scan --resume`):
//
//   const run = resume ? await resumeRun(dir) : await beginRun(dir, { name, scanFile, authorisation, settings, overrides, data });
//   const progress = createProgress({ total, seed: run.tally() });            // stderr only
//   const stop = new AbortController(); process.once('SIGINT', () => stop.abort());
//   const summary = await runEngine({ items, probeEndpoint, unprobeableRecord, failureRecord, guard,
//     rate, concurrency, hostGapMs, timeoutMs, maxRequestsPerEndpoint, userAgent: userAgentFor(contact),
//     skip: run.skip, signal: stop.signal, onRequest: progress.onRequest,
//     onRecord: async (r) => { await run.write(r); progress.onRecord(r); if (json) stdout.write(`${JSON.stringify(r)}\n`); } });
//   progress.stop();
//   await endRun(run, { aborted: summary.aborted, requestsThisSession: summary.requests });
//   if (summary.aborted) → tell the user `owa-audit scan --resume <dir>`; exit 130 (or 1).
//   A RunDirError (unwritable dir, disk full, dir in use) → its message, exit status 1.
export { runEngine, itemKey, type EngineOptions, type EngineSummary, type UnprobeableItem } from './scan.js';
export { openSession, DEFAULT_MAX_BODY_BYTES, type HttpSession, type SessionOptions } from './session.js';
export { ProbeError, ScopeRefusal, RunDirError } from '../core/errors.js';
export { toResultError } from './errors.js';
export { createRateGate, type RateGate, type RateGateOptions, type GateTicket } from './rate-gate.js';
export { userAgentFor } from './user-agent.js';
export { beginRun, resumeRun, endRun, type OpenRun } from '../run-store/open-run.js';
export {
  createRun,
  loadRun,
  saveRun,
  finishRun,
  markResumed,
  defaultRunDir,
  RUN_FILE,
  RESULTS_FILE,
  RUN_SCHEMA,
  type RunMeta,
  type RunSettings,
  type RunState,
  type NewRun,
} from '../run-store/run-dir.js';
export { lockRun, type RunLock } from '../run-store/run-lock.js';
export { prepareResume, type ResumePlan } from '../run-store/resume.js';
export { openResultsSink, type ResultsSink, type ResultsSinkOptions } from '../run-store/results-sink.js';
export { createProgress, type ProgressReporter, type ProgressOptions } from '../scan/progress.js';
export { emptyTally, addToTally, type Tally } from '../run-store/tally.js';
