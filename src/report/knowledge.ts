// Where the report's remediation advice comes from: the knowledge base of src/classify. Loading
// it can fail (data directory missing or damaged); the reports are still written then, with
// plainer advice derived from each verdict alone, and a warning.
import { loadKnowledgeBase } from '../knowledge/index.js';
import { remediation, type KnowledgeBase } from '../classify/index.js';
import type { RemediationSource } from './actions.js';

export interface AdviceSource {
  remediation: RemediationSource | null;
  /** Data version the advice comes from (may differ from the run's, after a data update). */
  dataVersion: string | null;
  warning: string | null;
}

export function adviceFrom(kb: KnowledgeBase): AdviceSource {
  return { remediation: (verdict) => remediation(kb, verdict), dataVersion: kb.dataVersion, warning: null };
}

/** The advice of `kb` when given, else of the shipped knowledge base. */
export function loadAdviceSource(kb?: KnowledgeBase): AdviceSource {
  if (kb !== undefined) return adviceFrom(kb);
  try {
    return adviceFrom(loadKnowledgeBase());
  } catch (e) {
    return {
      remediation: null,
      dataVersion: null,
      warning: `The knowledge base could not be loaded (${(e as Error).message.split('\n')[0] ?? ''}): the advice leaves out update names and links.`,
    };
  }
}
