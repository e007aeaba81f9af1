// Feed rows → candidate build entries. What a row must be: a 4-part Exchange build whose product
// agrees with its name, a name of a known shape, a real date no later than a month from today, a
// KB number or none. Rows of products or service packs older than the data covers (Exchange 2007,
// Exchange 2010 before SP3) are skipped, not refused: the data deliberately leaves them out.
import { compareBuilds, parseBuild, productOfBuild } from '../classify/build-number.js';
import { daysBetween } from '../classify/dates.js';
import type { KnowledgeBase } from '../classify/knowledge-base.js';
import type { ProductName } from '../results/schema.js';
import type { Problem } from './errors.js';
import type { BuildFeed, RawBuildRow } from './feed-rows.js';
import { parseKb, parseLongDate, parseUpdateName, parseUsDate, type UpdateName } from './names.js';

export interface FeedBuild extends UpdateName {
  feed: BuildFeed;
  row: RawBuildRow;
  /** Normalised 4-part build. */
  build: string;
  released: string;
  kb: string | null;
}

export interface Interpreted {
  builds: FeedBuild[];
  /** Rows older than the data covers. */
  outOfScope: number;
  /**
   * Rows of builds the data records as disputed: the data's curated reading stands (Learn's
   * "Update Rollup 5 for Exchange Server 2010 SP2" as 14.3.328.5 is such a typo).
   */
  disputed: number;
  problems: Problem[];
}

/** How far in the future a release date may lie before it is taken for a typo. */
const FUTURE_DAYS = 31;

function problemAt(feed: BuildFeed, row: RawBuildRow, message: string): Problem {
  return { source: feed.source, line: row.line, entry: JSON.stringify(row.name.slice(0, 80)), message };
}

type Scope = 'in' | 'out' | 'disputed';

/**
 * Builds older than the oldest one the shipped data lists for their product are out of its scope;
 * builds the data lists as disputed are settled there.
 */
export function scopeOf(shipped: KnowledgeBase): (product: ProductName, build: string) => Scope {
  return (product, build) => {
    if (shipped.index.byBuild.get(build)?.confidence === 'disputed') return 'disputed';
    const first = shipped.index.byProduct.get(product)?.[0]?.build;
    return first !== undefined && compareBuilds(build, first) >= 0 ? 'in' : 'out';
  };
}

function interpretRow(
  feed: BuildFeed,
  row: RawBuildRow,
  inScope: (product: ProductName, build: string) => Scope,
  today: string,
): FeedBuild | 'out-of-scope' | 'disputed' | Problem {
  const parsed = parseBuild(row.build);
  if (parsed?.parts.length !== 4) {
    return problemAt(
      feed,
      row,
      `the build number ${JSON.stringify(row.build.slice(0, 40))} is not a 4-part build`,
    );
  }
  const build = parsed.text;
  const product = productOfBuild(build);
  if (product === null) return problemAt(feed, row, `${build} is not an Exchange Server version`);
  const scope = inScope(product, build);
  if (scope === 'out') return 'out-of-scope';
  if (scope === 'disputed') return 'disputed';
  const name = parseUpdateName(row.name);
  if (name === null) {
    return problemAt(
      feed,
      row,
      'the update name is not understood (expected e.g. "Exchange 2019 CU15 Aug26SU")',
    );
  }
  if (name.product !== product) {
    return problemAt(feed, row, `the name says ${name.product}, but ${build} is ${product}`);
  }
  if (product === 'Exchange Server 2007' || product === 'Exchange Server 2010') {
    // Before 2013 the minor version is the service pack: 14.3 is 2010 SP3.
    const sp = name.line === 'RTM' ? 0 : /^SP(\d)$/.exec(name.line)?.[1];
    if (sp === undefined || Number(sp) !== parsed.minor) {
      return problemAt(
        feed,
        row,
        `the name says ${name.line}, but ${build} belongs to ${parsed.minor === 0 ? 'RTM' : `SP${parsed.minor ?? '?'}`}`,
      );
    }
  }
  const released = feed.sourceId === 'gebn' ? parseUsDate(row.date) : parseLongDate(row.date);
  if (released === null)
    return problemAt(feed, row, `the date ${JSON.stringify(row.date.slice(0, 40))} is not a date`);
  if (released.length === 10 && daysBetween(today, released) > FUTURE_DAYS) {
    return problemAt(feed, row, `the date ${released} lies in the future`);
  }
  const kb = parseKb(row.kb);
  if (kb === undefined)
    return problemAt(feed, row, `the KB ${JSON.stringify(row.kb.slice(0, 40))} is not a KB number`);
  return { ...name, feed, row, build, released, kb };
}

export function interpretFeeds(
  feeds: readonly BuildFeed[],
  shipped: KnowledgeBase,
  today: string,
): Interpreted {
  const inScope = scopeOf(shipped);
  const out: Interpreted = { builds: [], outOfScope: 0, disputed: 0, problems: [] };
  for (const feed of feeds) {
    const seen = new Map<string, FeedBuild>();
    for (const row of feed.rows) {
      const r = interpretRow(feed, row, inScope, today);
      if (r === 'out-of-scope') out.outOfScope++;
      else if (r === 'disputed') out.disputed++;
      else if ('message' in r) out.problems.push(r);
      else {
        const twice = seen.get(r.build);
        if (twice !== undefined) {
          // The same row repeated is harmless; one number under two names is not.
          if (twice.name !== r.name || twice.product !== r.product) {
            out.problems.push(
              problemAt(
                feed,
                row,
                `${r.build} is also listed as ${JSON.stringify(twice.row.name)} (line ${twice.row.line})`,
              ),
            );
          }
          continue;
        }
        seen.set(r.build, r);
        out.builds.push(r);
      }
    }
  }
  return out;
}
