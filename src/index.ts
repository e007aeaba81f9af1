// Library entry: a short, curated list. No CLI-only dependencies (commander) are reachable from here.
export * from './results/schema.js';
export { InputError } from './errors.js';
export type { ScanFile, ScopeEntry, ProbeSettings } from './scanfile/types.js';
export type { ScopeGuard, Endpoint, TargetItem } from './scope/types.js';
export type { ProbeResponse } from './probe/types.js';
export { TOOL_NAME, TOOL_VERSION } from './version.js';
