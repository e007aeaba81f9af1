// Why a data update was refused. Every problem names where it was found (the source, its line or
// entry) so the user can check the feed by hand. The exit status follows who can fix it: data the
// user named as a local file is bad input (2); a URL that failed or served something broken is a
// problem elsewhere (1) — retry later, or fetch the file by other means and pass it with --from.

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

export function formatProblem(p: Problem): string {
  const where =
    p.source === null ? '' : p.line === undefined ? `${p.source.label}: ` : `${p.source.label}:${p.line}: `;
  const entry = p.entry === undefined ? '' : `${p.entry}: `;
  return `${where}${entry}${p.message}`;
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
