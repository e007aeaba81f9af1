// The classification API: the knowledge base (built from data it is given), build numbers,
// classify(), freshness, remediation. Pure; src/knowledge/ reads the files.
import { compareBuilds, cuOf } from '../core/build-number.js';
import type { KnowledgeBase } from './knowledge-base.js';

export { buildKnowledgeBase } from './knowledge-build.js';
export {
  buildShippedKnowledgeBase,
  DATA_FILES,
  type DataFileName,
  type DataFileText,
  type KnowledgeBase,
  type KnowledgeIndex,
  type KnowledgeSources,
} from './knowledge-base.js';
export {
  parseBuild,
  normaliseBuild,
  compareBuilds,
  productOfBuild,
  cuOf,
  SE_FIRST_BUILD,
  type ParsedBuild,
} from '../core/build-number.js';
export { classify, type VerdictBasis } from './classify.js';
export { COMPONENT_SOURCES } from './candidates.js';
export { dataAgeWarning, dataFreshness, STALE_AFTER_DAYS, type DataFreshness } from './freshness.js';
export { remediation, updateLink, type Remediation, type UpdateLink } from './remediation.js';
export type { BuildEntry, CveEntry, CveRule, ProductInfo, EsuPeriod, DataMeta } from './data-schema.js';

/**
 * Every build the data lists for the CU of `build` (3 or 4 parts), ascending: what thorough mode
 * probes for. Disputed builds are included on purpose — a host answering for one is evidence the
 * classifier then weighs (it never takes a disputed build as proof of a fix).
 */
export function publishedBuildsOfCu(kb: KnowledgeBase, build: string): string[] {
  const cu = cuOf(build);
  if (cu === null) return [];
  return (kb.index.byCu.get(cu) ?? []).map((b) => b.build).sort(compareBuilds);
}
