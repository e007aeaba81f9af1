// Why a data update was refused. Every problem names where it was found (the source, its line or
// entry) so the user can check the feed by hand. The exit status follows who can fix it: data the
// user named as a local file is bad input (2); a URL that failed or served something broken is a
// problem elsewhere (1) — retry later, or fetch the file by other means and pass it with --from.
// A bad row is not a refusal: it is skipped with a warning (a SkippedRow), the rest is accepted.
// Feed text is untrusted: every value quoted in a message goes through `shown`, and every message
// is printed with control characters revealed.
import { CLIP, revealControls } from '../core/text.js';

/** Where a feed came from, as shown in messages. */
export interface SourceRef {
  /** The URL or the path as the user gave it. */
  label: string;
  /** True for a URL, false for a local file. */
  remote: boolean;
}

export interface Problem {
  source: SourceRef | null;
  /** 1-based line of the source (CSV, HTML) where the entry starts. */
  line?: number | undefined;
  /** The entry concerned: a row's product name, a KEV index, a build number. */
  entry?: string | undefined;
  message: string;
}

/** Why a row (or a KEV entry) was skipped: a closed list, counted per feed in the summary. */
export const ROW_FAULTS = [
  'syntax',
  'build',
  'name',
  'date',
  'kb',
  'duplicate',
  'conflict',
  'entry',
] as const;
export type RowFault = (typeof ROW_FAULTS)[number];

export const ROW_FAULT_TITLE: Readonly<Record<RowFault, string>> = {
  syntax: 'not readable (quotes, a field too many or too few)',
  build: 'not an Exchange build number',
  name: 'update name not understood or not that of the build',
  date: 'date missing, malformed or in the future',
  kb: 'KB number malformed',
  duplicate: 'one build under two names',
  conflict: 'contradicts the data or the other list',
  entry: 'KEV entry malformed',
};

/** A row of a feed that was left out, and why; the rest of the feed is used. */
export interface SkippedRow extends Problem {
  source: SourceRef;
  fault: RowFault;
  /** A build list row's build number as written, when it has one. */
  build?: string;
}

/** A value from a feed as quoted in a message: bounded, in quotes, control characters revealed. */
export function shown(value: string, max = 80): string {
  return revealControls(JSON.stringify(CLIP.ellipsis(value, max)));
}

export function formatProblem(p: Problem): string {
  const where =
    p.source === null ? '' : p.line === undefined ? `${p.source.label}: ` : `${p.source.label}:${p.line}: `;
  const entry = p.entry === undefined ? '' : `${p.entry}: `;
  return revealControls(`${where}${entry}${p.message}`);
}

/** The update was refused; the user data directory was not touched. */
export class DataUpdateError extends Error {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[], summary?: string) {
    const first = problems[0];
    super(summary ?? (first === undefined ? 'data update refused' : formatProblem(first)));
    this.name = 'DataUpdateError';
    this.problems = problems;
  }

  /** 2 when a local file the user named is at fault, else 1 (network, remote feed, our own state). */
  get exitCode(): 1 | 2 {
    return this.problems.some((p) => p.source !== null && !p.source.remote) ? 2 : 1;
  }
}

/** One problem in one feed: the common case while parsing. */
export function feedError(
  source: SourceRef,
  message: string,
  at: { line?: number; entry?: string } = {},
): DataUpdateError {
  return new DataUpdateError([{ source, line: at.line, entry: at.entry, message }]);
}

/** Problems listed in one refusal at most; the rest are counted. */
const MAX_PROBLEMS = 25;

/** Refuses the update with these problems, listing at most MAX_PROBLEMS of them. */
export function refuse(problems: readonly Problem[]): never {
  const shownProblems = problems.slice(0, MAX_PROBLEMS);
  if (problems.length > MAX_PROBLEMS) {
    shownProblems.push({ source: null, message: `… and ${problems.length - MAX_PROBLEMS} more problem(s)` });
  }
  throw new DataUpdateError(shownProblems);
}
