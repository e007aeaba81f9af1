export { listTargets, type ListedTarget } from './listed.js';
export { readTargetFile, detectTargetFormat, type TargetFileFormat, type FileTarget } from './target-file.js';
export { parseTarget, type ParsedTarget } from './targets.js';
export { parsePortSpec, schemeForPort } from './ports.js';
export { parseScopeEntry } from './entries.js';
export * from './types.js';
