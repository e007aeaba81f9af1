// Feed rows → candidate build entries. What a row must be: a 4-part Exchange build whose product
// agrees with its name, a name of a known shape, a real date no later than a month from today, a
// KB number or none. A row that is not is skipped with its reason — never repaired by guessing (a
// year "20200" is not taken for 2020) — and the other rows are used. Rows of products or service
// packs older than the data covers (Exchange 2007, Exchange 2010 before SP3) are left out
// unchecked: the data deliberately does not cover them.
import { compareBuilds, parseBuild, productOfBuild } from '../core/build-number.js';
import { daysBetween } from '../core/time.js';
import type { KnowledgeBase } from '../classify/knowledge-base.js';
import type { ProductName } from '../core/result-schema.js';
import { shown, type RowFault, type SkippedRow } from './errors.js';
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
  /** Rows left out, with the reason. */
  skipped: SkippedRow[];
}

/** How far in the future a release date may lie before it is taken for a typo. */
const FUTURE_DAYS = 31;

export function skippedRow(feed: BuildFeed, row: RawBuildRow, fault: RowFault, message: string): SkippedRow {
  return { source: feed.source, line: row.line, entry: shown(row.name), fault, message, build: row.build };
}

const KB_SHAPE = /^KB\d{6,8}$/i;

function badDate(date: string): string {
  if (date === '') return 'the date is empty';
  if (KB_SHAPE.test(date))
    return `the date ${shown(date, 40)} is a KB number (the date and KB columns swapped?)`;
  return `the date ${shown(date, 40)} is not a date`;
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
): FeedBuild | 'out-of-scope' | 'disputed' | SkippedRow {
  const parsed = parseBuild(row.build);
  if (parsed?.parts.length !== 4) {
    return skippedRow(feed, row, 'build', `the build number ${shown(row.build, 40)} is not a 4-part build`);
  }
  const build = parsed.text;
  const product = productOfBuild(build);
  if (product === null) return skippedRow(feed, row, 'build', `${build} is not an Exchange Server version`);
  const scope = inScope(product, build);
  if (scope === 'out') return 'out-of-scope';
  if (scope === 'disputed') return 'disputed';
  const name = parseUpdateName(row.name);
  if (name === null) {
    return skippedRow(
      feed,
      row,
      'name',
      'the update name is not understood (expected e.g. "Exchange 2019 CU15 Aug26SU")',
    );
  }
  if (name.product !== product) {
    return skippedRow(feed, row, 'name', `the name says ${name.product}, but ${build} is ${product}`);
  }
  if (product === 'Exchange Server 2007' || product === 'Exchange Server 2010') {
    // Before 2013 the minor version is the service pack: 14.3 is 2010 SP3.
    const sp = name.line === 'RTM' ? 0 : /^SP(\d)$/.exec(name.line)?.[1];
    if (sp === undefined || Number(sp) !== parsed.minor) {
      return skippedRow(
        feed,
        row,
        'name',
        `the name says ${name.line}, but ${build} belongs to ${parsed.minor === 0 ? 'RTM' : `SP${parsed.minor ?? '?'}`}`,
      );
    }
  }
  const released = feed.sourceId === 'gebn' ? parseUsDate(row.date) : parseLongDate(row.date);
  if (released === null) return skippedRow(feed, row, 'date', badDate(row.date));
  if (released.length === 10 && daysBetween(today, released) > FUTURE_DAYS) {
    return skippedRow(feed, row, 'date', `the date ${released} lies in the future`);
  }
  const kb = parseKb(row.kb);
  if (kb === undefined) return skippedRow(feed, row, 'kb', `the KB ${shown(row.kb, 40)} is not a KB number`);
  return { ...name, feed, row, build, released, kb };
}

export function interpretFeeds(
  feeds: readonly BuildFeed[],
  shipped: KnowledgeBase,
  today: string,
): Interpreted {
  const inScope = scopeOf(shipped);
  const out: Interpreted = { builds: [], outOfScope: 0, disputed: 0, skipped: [] };
  for (const feed of feeds) {
    const skipped: SkippedRow[] = [...feed.unreadable];
    const byBuild = new Map<string, FeedBuild[]>();
    for (const row of feed.rows) {
      const r = interpretRow(feed, row, inScope, today);
      if (r === 'out-of-scope') out.outOfScope++;
      else if (r === 'disputed') out.disputed++;
      else if ('fault' in r) skipped.push(r);
      else {
        const same = byBuild.get(r.build);
        if (same === undefined) byBuild.set(r.build, [r]);
        else same.push(r);
      }
    }
    for (const rows of byBuild.values()) {
      const [first] = rows;
      if (first === undefined) continue;
      // The same row repeated is harmless; one number under two names says neither can be trusted.
      const other = rows.find((r) => r.name !== first.name || r.product !== first.product);
      if (other === undefined) {
        out.builds.push(first);
        continue;
      }
      for (const r of rows) {
        const twin = r === first ? other : first;
        skipped.push(
          skippedRow(
            feed,
            r.row,
            'duplicate',
            `${r.build} is also listed as ${shown(twin.row.name)} (line ${twin.row.line}); neither is used`,
          ),
        );
      }
    }
    out.skipped.push(...skipped.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  }
  return out;
}
