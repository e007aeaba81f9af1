// What an update says about itself in the overlay's meta.json: the sources behind the data, how
// recent each kind of data is, and the gaps the update leaves open.
import type { BuildEntry, DataMeta } from '../classify/data-schema.js';
import type { ProductName } from '../core/result-schema.js';
import { parseBuild, productOfBuild } from '../core/build-number.js';
import type { KnowledgeBase } from '../classify/knowledge-base.js';
import { shown, type SkippedRow, type SourceRef } from './errors.js';
import type { BuildFeed } from './feed-rows.js';
import type { Fetched } from './fetch.js';
import { scopeOf, type FeedBuild } from './interpret.js';
import type { KevCatalog } from './kev.js';
import type { UpdateRecord } from './overlay.js';
import { SOURCE_KINDS, type SourceKind } from './sources.js';

export interface ReadSources {
  fetched: { f: Fetched; kind: SourceKind; rows?: number; catalogVersion?: string | null }[];
  buildFeeds: BuildFeed[];
  kev: KevCatalog | null;
}

/** The shipped data's note on how far its KEV flags reach (scripts/build-data.js); moot once a catalog is applied. */
export const STALE_KEV_GAP = /^KEV status after \d{4}-\d{2}-\d{2} is known only/;

export function maxDay(days: readonly string[]): string {
  return days.reduce((a, b) => (b > a ? b : a));
}

export function minDay(days: readonly string[]): string {
  return days.reduce((a, b) => (b < a ? b : a));
}

/**
 * Build lists whose download day does not say how current the builds are, and why:
 * - an old copy: its newest build was released before the newest one the data already lists (an
 *   old download, a cached copy, one of Microsoft's earlier versions);
 * - a skipped row names a build the data does not have (or no readable build): it may be the very
 *   update the list was fetched for.
 * Such a list still adds what it has.
 */
export function listsNotCurrent(
  feeds: readonly BuildFeed[],
  feedBuilds: readonly FeedBuild[],
  skipped: readonly SkippedRow[],
  data: KnowledgeBase,
  shipped: KnowledgeBase,
): Map<SourceRef, string> {
  const out = new Map<SourceRef, string>();
  const known = data.builds.filter((b) => b.confidence !== 'disputed').map((b) => b.released);
  const dataNewest = known.length === 0 ? null : maxDay(known);
  const inScope = scopeOf(shipped);
  const harmless = (raw: string | undefined): boolean => {
    const b = raw === undefined ? null : parseBuild(raw);
    if (b?.parts.length !== 4) return false;
    const product = productOfBuild(b.text);
    return data.index.byBuild.has(b.text) || (product !== null && inScope(product, b.text) !== 'in');
  };
  for (const feed of feeds) {
    const days = feedBuilds.filter((b) => b.feed === feed).map((b) => b.released);
    const newest = days.length === 0 ? null : maxDay(days);
    if (dataNewest !== null && (newest === null || newest < dataNewest)) {
      out.set(
        feed.source,
        `an old copy: its newest build is from ${newest ?? '(none)'}, the data's from ${dataNewest}`,
      );
      continue;
    }
    const unknown = skipped.find((x) => x.source === feed.source && !harmless(x.build));
    if (unknown !== undefined) {
      out.set(
        feed.source,
        `line ${unknown.line ?? '?'} was skipped and names ${unknown.build === undefined || unknown.build === '' ? 'no readable build' : `a build the data does not have (${shown(unknown.build, 40)})`}`,
      );
    }
  }
  return out;
}

/**
 * How recent each kind of data is. Build lists: the newest list read now (its download day, or a
 * file's modification day) that is not listsNotCurrent, else what the previous update recorded, else
 * the shipped as-of date. KEV: the catalog's release day (never later than today or than the
 * file), likewise.
 */
export function snapshotsOf(
  sources: ReadSources,
  previous: UpdateRecord | null,
  shippedAsOf: string,
  today: string,
  notCurrent: ReadonlyMap<SourceRef, string> = new Map(),
): { builds: string; kev: string } {
  const lists = sources.fetched
    .filter((x) => x.kind !== 'kev-json' && !notCurrent.has(x.f.source))
    .map((x) => x.f.snapshotDay);
  const kevFile = sources.fetched.find((x) => x.kind === 'kev-json')?.f.snapshotDay ?? today;
  return {
    builds: lists.length > 0 ? maxDay(lists) : (previous?.snapshots.builds ?? shippedAsOf),
    kev:
      sources.kev !== null
        ? minDay([sources.kev.released ?? today, today, kevFile])
        : (previous?.snapshots.kev ?? shippedAsOf),
  };
}

export function sourcesMeta(
  base: DataMeta['sources'],
  fetched: ReadSources['fetched'],
  kev: KevCatalog | null,
): NonNullable<DataMeta['sources']> {
  const list = [...(base ?? [])].map((s) => ({ ...s }));
  for (const { f, kind } of fetched) {
    const { id, what } = SOURCE_KINDS[kind];
    const where = `${f.source.label} (retrieved ${f.retrievedAt.slice(0, 10)}, sha256 ${f.sha256.slice(0, 16)})`;
    const ref =
      kind === 'kev-json' && kev !== null
        ? `catalog ${kev.catalogVersion ?? '?'} released ${kev.released ?? '?'}; ${where}`
        : where;
    const at = list.findIndex((s) => s.id === id);
    if (at >= 0) list[at] = { id, what: list[at]?.what ?? what, ref };
    else list.push({ id, what, ref });
  }
  return list;
}

/** Gaps the user data adds to the shipped list (meta.json knownGaps; `data status` shows them). */
export function addedGaps(a: {
  notMapped: readonly { build: string; product: ProductName; name: string }[];
  kevNotMapped: readonly { cve: string }[];
  unmappedLines: readonly { cve: string; product: ProductName; line: string }[];
  disputed: readonly BuildEntry[];
}): string[] {
  const gaps: string[] = [];
  if (a.notMapped.length > 0) {
    gaps.push(
      'Security updates added by owa-audit data update are not yet mapped to CVEs (which CVEs they fix is not in the data): ' +
        `${a.notMapped.map((b) => `${b.product.replace('Exchange Server ', '')} ${b.name} (${b.build})`).join(', ')}.`,
    );
  }
  if (a.kevNotMapped.length > 0) {
    gaps.push(
      `In CISA's KEV catalog, not mapped to fixing builds, so not used in verdicts: ${a.kevNotMapped.map((k) => k.cve).join(', ')}.`,
    );
  }
  for (const u of a.unmappedLines) {
    gaps.push(
      `${u.cve}: no rule for ${u.product} ${u.line} (the line predates the fix); hosts on it are judged unfixed.`,
    );
  }
  for (const d of a.disputed)
    gaps.push(
      `${d.product} ${d.build}: disputed (${d.dispute ?? 'sources disagree'}); never taken as proof.`,
    );
  return gaps;
}
