// Is this the feed at all? Bad rows are skipped one by one, but a file that is mostly bad rows,
// or far shorter than the list it claims to be, is not a feed with slips in it: it is damaged,
// cut short, or something else, and taking its few good rows would make the data look current
// (its as-of date moves to the download day) when it is not. Such a feed is refused whole.
//
// Thresholds (docs/data-update.md):
// - Microsoft's CSV must have at least a quarter as many rows as the shipped data has builds from
//   it. The oldest CSV Microsoft published (September 2016, 111 rows) has 43 % of the 258 the
//   data of 2026-08 has; an empty, cut-off or foreign file has far fewer. The Learn page has no such floor: it is
//   recognised by its build tables, and read only as a second source.
// - No more than half of a build list's rows may be bad. Microsoft's worst published version
//   (November 2023) had 22 bad rows of 284 (8 %).
// - A KEV catalog must list at least one of the CVEs the shipped data has as known-exploited:
//   CISA does not take entries back, so a catalog without any of them is not the whole catalog.
import type { KnowledgeBase } from '../classify/knowledge-base.js';
import type { Problem, SkippedRow } from './errors.js';
import { rowCount, type BuildFeed } from './feed-rows.js';
import type { KevCatalog } from './kev.js';

export const MIN_CSV_ROWS_SHARE = 1 / 4;
export const MAX_BAD_ROWS_SHARE = 1 / 2;
/** Examples of bad rows listed with a refusal for "mostly bad rows". */
const EXAMPLES = 10;

/** The fewest rows Microsoft's CSV may have, given the shipped data's builds from it. */
export function csvFloor(shipped: KnowledgeBase): { fromCsv: number; min: number } {
  const fromCsv = shipped.builds.filter((b) => b.sources.includes('gebn')).length;
  return { fromCsv, min: Math.ceil(fromCsv * MIN_CSV_ROWS_SHARE) };
}

/** Why a build list is not taken at all; empty when it is taken (its bad rows skipped). */
export function judgeBuildFeed(
  feed: BuildFeed,
  skipped: readonly SkippedRow[],
  shipped: KnowledgeBase,
): Problem[] {
  const rows = rowCount(feed);
  const source = feed.source;
  if (feed.sourceId === 'gebn') {
    const { fromCsv, min } = csvFloor(shipped);
    if (rows < min) {
      return [
        {
          source,
          message:
            `${rows} row(s), where the shipped data has ${fromCsv} builds from Microsoft's CSV ` +
            `(at least ${min} rows expected): a truncated or partial file, not the build list?`,
        },
      ];
    }
  }
  if (skipped.length > rows * MAX_BAD_ROWS_SHARE) {
    return [
      {
        source,
        message: `${skipped.length} of ${rows} rows are bad (more than half): a damaged file, or not the build list? The first of them:`,
      },
      ...skipped.slice(0, EXAMPLES),
    ];
  }
  return [];
}

/** Why a KEV catalog is not taken at all; empty when it is taken. */
export function judgeKev(kev: KevCatalog, shipped: KnowledgeBase): Problem[] {
  const exploited = shipped.cves.filter((c) => c.kev).map((c) => c.id);
  if (exploited.length === 0 || exploited.some((id) => kev.exchange.has(id))) return [];
  return [
    {
      source: kev.source,
      message:
        `lists none of the ${exploited.length} Microsoft Exchange CVEs known to be exploited (${exploited.slice(0, 3).join(', ')}, …): ` +
        "not CISA's whole catalog?",
    },
  ];
}
