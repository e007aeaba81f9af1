// How old the knowledge base is. Builds and KEV entries published after its as-of date are unknown
// to it, so verdicts of recent builds degrade to "unknown" and new exploitation goes unnoticed.
// The one wording of the data-age warning lives here: every command that prints it (scan, demo,
// report, classify, reclassify, merge, data update) and the reports' warning box use it, and a
// command prints it once.
import { daysBetween, isIsoDay, todayIso } from '../core/time.js';
import type { KnowledgeBase } from './knowledge-base.js';

export const STALE_AFTER_DAYS = 90;

export interface DataFreshness {
  asOf: string;
  ageDays: number;
  stale: boolean;
  /** dataAgeWarning(): a one-line warning for stderr and the reports; null while the data is fresh. */
  message: string | null;
}

/**
 * The data-age warning for data as of `asOf` on `today` (YYYY-MM-DD), or null while it is at most
 * STALE_AFTER_DAYS old. A run that does not record (or garbles) its data date gets a warning too.
 */
export function dataAgeWarning(asOf: string | null, today: string): string | null {
  if (asOf === null || !isIsoDay(asOf))
    return 'The run does not record the date of its vulnerability data; verdicts may miss recent updates.';
  const age = daysBetween(asOf, today);
  if (age <= STALE_AFTER_DAYS) return null;
  return (
    `The vulnerability data is ${age} days old (as of ${asOf}): security updates and exploited vulnerabilities ` +
    'published since then are unknown to it, so recent builds may be judged "unknown" and a server shown as ' +
    '"current" may already be behind. Refresh it with `owa-audit data update` (`owa-audit reclassify <run-dir>` ' +
    'then re-judges a finished run).'
  );
}

export function dataFreshness(kb: KnowledgeBase, today?: string): DataFreshness {
  const day = today ?? todayIso();
  if (!isIsoDay(day)) throw new RangeError(`today must be YYYY-MM-DD: ${day}`);
  const ageDays = daysBetween(kb.asOf, day);
  const stale = ageDays > STALE_AFTER_DAYS;
  return { asOf: kb.asOf, ageDays, stale, message: stale ? dataAgeWarning(kb.asOf, day) : null };
}
