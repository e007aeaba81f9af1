// Library entry: a short, curated list. Everything the CLI does is reachable from here without
// commander: scan, classify, fingerprint, report, history, data update.

// The result record and its closed vocabularies.
export * from './core/result-schema.js';
export { readResults, type ReadStats } from './run-store/read-results.js';
export { buildRecord, unprobeableRecord, failureRecord } from './scan/record.js';
export { InputError } from './core/errors.js';
export { TOOL_NAME, TOOL_VERSION } from './util/version.js';

// Scan files and scope.
export { loadScanFile } from './scope/load.js';
export type {
  ScanFile,
  ScopeEntry,
  ProbeSettings,
  Authorisation,
  OwnerSpec,
  PortSpec,
} from './scanfile/types.js';
export {
  createScopeGuard,
  expandTargets,
  validateScanTargets,
  matchOwner,
  type TargetSource,
} from './scope/index.js';
export { createResolver } from './engine/index.js';
export type { ScopeGuard, ScopeDecision, Endpoint, TargetItem, Resolver } from './scope/types.js';

// Scanning.
export { runScan, type RunScanOptions, type RunScanResult } from './scan/run-scan.js';
export { runEngine, type EngineOptions, type EngineSummary } from './engine/scan.js';
export { openSession, type HttpSession } from './engine/session.js';
export { createRateGate, type RateGate } from './engine/rate-gate.js';
export { ProbeError, ScopeRefusal, RunDirError } from './core/errors.js';
export { loadRun } from './run-store/run-dir.js';
export { type RunMeta } from './run-store/run-meta.js';
export type { ProbeResponse, ProbeOutcome } from './core/probe-types.js';
export { probeEndpoint } from './probe/run.js';

// Fingerprinting and classification (pure).
export { fingerprint, nextStep, type Fingerprint } from './fingerprint/index.js';
export { loadKnowledgeBase, defaultUserDataDir } from './knowledge/index.js';
export {
  classify,
  remediation,
  dataFreshness,
  parseBuild,
  normaliseBuild,
  compareBuilds,
  productOfBuild,
  publishedBuildsOfCu,
  type KnowledgeBase,
  type Remediation,
} from './classify/index.js';

// Outputs.
export { writeReports, type ReportFiles, type ReportFormat } from './outputs/write-reports.js';
export {
  recordRunInHistory,
  HistoryStore,
  diffRunDirs,
  diffAgainstPrevious,
  type RunDiff,
} from './history/index.js';
export { intelmqEvent } from './export/index.js';

// Keeping the data current.
export { runDataUpdate } from './data-update/update.js';
export { dataStatus } from './data-update/status.js';
export { reclassifyRun } from './reclassify/reclassify-run.js';

// The simulated fleet (demo, tests, benchmarks).
export { startFleet, standardFleet, scaledFleet, type Fleet } from './fleet/index.js';
