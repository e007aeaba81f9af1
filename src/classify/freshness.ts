// How old the knowledge base is. Builds and KEV entries published after its as-of date are unknown
// to it, so verdicts of recent builds degrade to "unknown" and new exploitation goes unnoticed.
import { daysBetween, isIsoDay, todayIso } from './dates.js';
import type { KnowledgeBase } from './knowledge-base.js';

export const STALE_AFTER_DAYS = 90;

export interface DataFreshness {
  asOf: string;
  ageDays: number;
  stale: boolean;
  /** A one-line warning for stderr and the reports; null while the data is fresh. */
  message: string | null;
}

export function dataFreshness(kb: KnowledgeBase, today?: string): DataFreshness {
  const day = today ?? todayIso();
  if (!isIsoDay(day)) throw new RangeError(`today must be YYYY-MM-DD: ${day}`);
  const ageDays = daysBetween(kb.asOf, day);
  const stale = ageDays > STALE_AFTER_DAYS;
  return {
    asOf: kb.asOf,
    ageDays,
    stale,
    message: stale
      ? `The Exchange knowledge base is ${ageDays} days old (data as of ${kb.asOf}): updates and exploited ` +
        'vulnerabilities published since are unknown to it, so recent builds may be judged "unknown" and new risks missed. ' +
        'Update owa-audit or its data (owa-audit data update).'
      : null,
  };
}
