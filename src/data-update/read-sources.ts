// Reads every source of an update (in parallel), tells its kind by content, and parses it. A
// source that cannot be read, or is not a feed at all (an empty file, an HTML error page, a CSV
// without the header, JSON that is not the KEV catalog), refuses the whole update: every such
// problem is collected first, so one run names them all. Bad rows inside a feed are not problems
// here; they are skipped later, one by one.
import { parseBuildCsv } from './build-csv.js';
import { DataUpdateError, refuse, type Problem } from './errors.js';
import { Fetcher, type Fetched, type FetchOptions } from './fetch.js';
import { rowCount } from './feed-rows.js';
import { parseKev } from './kev.js';
import { parseLearnHtml } from './learn-html.js';
import { SOURCE_KINDS, sniffKind, type SourceKind } from './sources.js';
import type { ReadSources } from './update-meta.js';

function collect(problems: Problem[], fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof DataUpdateError) problems.push(...e.problems);
    else throw e;
  }
}

export async function readSources(
  from: readonly string[],
  fetch: Omit<FetchOptions, 'now'> | undefined,
  now: Date,
): Promise<ReadSources> {
  const fetcher = new Fetcher({ ...fetch, now: () => now });
  let settled: PromiseSettledResult<Fetched>[];
  try {
    settled = await Promise.allSettled(from.map((w) => fetcher.read(w)));
  } finally {
    await fetcher.close();
  }
  const problems: Problem[] = [];
  const out: ReadSources = { fetched: [], buildFeeds: [], kev: null };
  const byKind = new Map<SourceKind, Fetched>();
  for (const s of settled) {
    if (s.status === 'rejected') {
      if (s.reason instanceof DataUpdateError) problems.push(...s.reason.problems);
      else throw s.reason;
      continue;
    }
    const f = s.value;
    collect(problems, () => {
      const kind = sniffKind(f);
      // Parsed before the one-of-each check, so an error page read as a "second Learn page" is
      // refused for what it is.
      const parsed =
        kind === 'kev-json'
          ? parseKev(f.text, f.source)
          : kind === 'build-csv'
            ? parseBuildCsv(f.text, f.source)
            : parseLearnHtml(f.text, f.source);
      const twice = byKind.get(kind);
      if (twice !== undefined) {
        problems.push({
          source: f.source,
          message: `a second ${SOURCE_KINDS[kind].what} (the first is ${twice.source.label}); give one of each`,
        });
        return;
      }
      byKind.set(kind, f);
      if ('exchange' in parsed) {
        out.kev = parsed;
        out.fetched.push({ f, kind, rows: parsed.total, catalogVersion: parsed.catalogVersion });
      } else {
        out.buildFeeds.push(parsed);
        out.fetched.push({ f, kind, rows: rowCount(parsed) });
      }
    });
  }
  if (problems.length > 0) refuse(problems);
  return out;
}
