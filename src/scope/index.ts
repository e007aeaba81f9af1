export { loadScanFile, type LoadOptions } from './load.js';
export { createScopeGuard, type ScopeGuardOptions } from './guard.js';
export { matchOwner, OwnerMatcher } from './owners.js';
export { expandTargets, type TargetSource } from './expand.js';
export { validateScanTargets, type ValidationSummary } from './validate.js';
export * from './types.js';
