// Along a CU line, a later update has a higher revision: dates never go back as the build number
// rises. A new build out of order with the data is left out (the data's builds are curated); two
// new builds out of order with each other are both left out (nothing says which one is wrong).
import { compareBuilds } from '../core/build-number.js';
import type { BuildEntry } from '../classify/data-schema.js';
import { lineKey } from '../classify/knowledge-base.js';
import type { FeedBuild } from './interpret.js';

/** A build an update adds to the data, with the feed rows it came from. */
export interface AddedBuild {
  entry: BuildEntry;
  /** The feed rows it came from (one per source). */
  rows: FeedBuild[];
}

/** Dates compare by day, or by month where one side knows only the month. */
export function compareDates(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  return a.slice(0, n) < b.slice(0, n) ? -1 : a.slice(0, n) > b.slice(0, n) ? 1 : 0;
}

/** `a` is a later update than `b` of the same line, but dated earlier (or the other way round). */
function outOfOrder(a: BuildEntry, b: BuildEntry): boolean {
  const byBuild = compareBuilds(a.build, b.build);
  const byDate = compareDates(a.released, b.released);
  return (byBuild > 0 && byDate < 0) || (byBuild < 0 && byDate > 0);
}

function orderMessage(fresh: BuildEntry, other: BuildEntry): string {
  return (
    `${fresh.name} ${fresh.build} (${fresh.released}) and ${other.name} ${other.build} (${other.released}): ` +
    'a later update of a line must have a higher revision'
  );
}

/** The new builds to leave out, with the reason. */
export function checkOrder(
  data: ReadonlyMap<string, BuildEntry>,
  accepted: readonly AddedBuild[],
): Map<AddedBuild, string> {
  const out = new Map<AddedBuild, string>();
  const fresh = accepted.filter((a) => a.entry.confidence !== 'disputed');
  const dataOfLine = new Map<string, BuildEntry[]>();
  for (const b of data.values()) {
    if (b.confidence === 'disputed') continue;
    const key = lineKey(b.product, b.line);
    const l = dataOfLine.get(key);
    if (l === undefined) dataOfLine.set(key, [b]);
    else l.push(b);
  }
  for (const l of dataOfLine.values()) l.sort((x, y) => compareBuilds(x.build, y.build));
  for (const a of fresh) {
    const line = dataOfLine.get(lineKey(a.entry.product, a.entry.line)) ?? [];
    // The nearest offender: the first higher build dated earlier, else the last lower one dated later.
    const higher = line.find((b) => compareBuilds(b.build, a.entry.build) > 0 && outOfOrder(a.entry, b));
    const lower = line.findLast((b) => compareBuilds(b.build, a.entry.build) < 0 && outOfOrder(a.entry, b));
    const other = higher ?? lower;
    if (other !== undefined) out.set(a, orderMessage(a.entry, other));
  }
  const inOrder = fresh.filter((a) => !out.has(a));
  for (const a of inOrder) {
    const b = inOrder.find(
      (x) =>
        x !== a &&
        lineKey(x.entry.product, x.entry.line) === lineKey(a.entry.product, a.entry.line) &&
        outOfOrder(a.entry, x.entry),
    );
    if (b !== undefined) out.set(a, orderMessage(a.entry, b.entry));
  }
  return out;
}
