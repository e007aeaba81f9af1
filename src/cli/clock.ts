// "Now" for a command. OWA_AUDIT_NOW pins it — for tests, whose expected output must not depend on
// the day they run, and for judging a run as of a given day — and this is the only place that reads
// it: the commands pass the result down as the `now`/`today` options the library takes (scan-file
// validity, verdicts, data age, report date, certificate expiry, data-update dates). Unset, nothing
// is passed and each step reads the clock when it runs. Times that record when something happened
// (a run's start and end, an observation, a run directory's name) always come from the clock.
import { InputError } from '../core/errors.js';
import { isIsoDay, todayIso } from '../core/time.js';

export const NOW_VARIABLE = 'OWA_AUDIT_NOW';

/** The library's options: both when pinned, neither otherwise. */
export interface CommandClock {
  now?: Date;
  /** The UTC day of `now`, YYYY-MM-DD. */
  today?: string;
}

// A day (midnight UTC) or a time with its zone: a zone-less time would mean different instants on
// different machines, which is what pinning is meant to avoid.
const PINNED = /^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

export function commandClock(env: NodeJS.ProcessEnv = process.env): CommandClock {
  const text = (env[NOW_VARIABLE] ?? '').trim();
  if (text === '') return {};
  const day = PINNED.exec(text)?.[1];
  const now = new Date(text.length === 10 ? `${text}T00:00:00Z` : text);
  if (day === undefined || !isIsoDay(day) || Number.isNaN(now.getTime())) {
    throw new InputError(
      `not a day or a time with its zone (e.g. 2026-11-27 or 2026-11-27T12:00:00Z): ${JSON.stringify(text.slice(0, 40))}`,
      { file: 'environment', field: NOW_VARIABLE },
    );
  }
  return { now, today: todayIso(now) };
}
