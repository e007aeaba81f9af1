// Where the report's remediation advice comes from: the knowledge base of src/classify. Loading
// it can fail (data directory missing or damaged); the reports are still written then, with
// plainer advice derived from each verdict alone, and a warning.
import { loadKnowledgeBase } from '../knowledge/index.js';
import { remediation, type KnowledgeBase } from '../classify/index.js';
import { deepFreeze, rememberBounded } from '../core/memo.js';
import type { ExchangeVerdict } from '../core/result-schema.js';
import type { Remediation, RemediationSource } from './actions.js';

export interface AdviceSource {
  remediation: RemediationSource | null;
  /** Data version the advice comes from (may differ from the run's, after a data update). */
  dataVersion: string | null;
  warning: string | null;
}

/** Distinct verdicts whose advice one AdviceSource remembers; beyond it the oldest is forgotten. */
export const MAX_REMEMBERED_ADVICE = 1024;

/**
 * A report asks for the advice of every host's verdict, thousands of hosts share a few dozen
 * verdicts, and deriving the advice evaluates the CVEs against candidate builds (~0.1 ms): it is
 * remembered by the verdict's content (records are parsed anew, so equal verdicts are distinct
 * objects). Shared, so frozen: no caller may change it.
 */
export function adviceFrom(kb: KnowledgeBase): AdviceSource {
  const remembered = new Map<string, Remediation>();
  const advise = (verdict: ExchangeVerdict): Remediation => {
    const key = JSON.stringify(verdict);
    const known = remembered.get(key);
    if (known !== undefined) return known;
    return rememberBounded(remembered, key, deepFreeze(remediation(kb, verdict)), MAX_REMEMBERED_ADVICE);
  };
  return { remediation: advise, dataVersion: kb.dataVersion, warning: null };
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
