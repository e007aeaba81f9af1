// Fingerprinting: pure functions from probe responses to signals, a build with its precision and
// evidence, and the probe plan that decides the next GET.
export { fingerprint, signalsOf, AUTHORITATIVE_SOURCES, IMITATION_SUSPECTED } from './combine.js';
export { corroborate, foreignAppStack, type Corroboration, type EvidenceFamily } from './corroborate.js';
export { evidenceOf, refusedRedirectEvidence } from './evidence.js';
export {
  nextStep,
  requestsSent,
  ecpVersionDirPath,
  PLAN_PATHS,
  MAX_REDIRECT_HOPS,
  type ProbeMode,
  type StepPurpose,
  type GetStep,
  type FailStep,
  type PlanStep,
  type PlanEntry,
  type PlanState,
} from './plan.js';
export { normaliseBuildNumber, compareBuildNumbers, cuOf, generationOf, partCount } from './build-number.js';
export * from './extract/index.js';
export type {
  Fingerprint,
  FingerprintOptions,
  FingerprintStatus,
  Generation,
  OnlineIndicator,
  Signal,
} from './types.js';
