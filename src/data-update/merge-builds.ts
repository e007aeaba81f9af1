// New builds from the feeds → the user overlay's builds, checked against the data before anything
// is written: a build keeps its product and CU line; a CU (3-part build) belongs to one line and a
// line to one CU; a later update of a line has a higher revision (dates rise with the build); two
// numbers for one update are a dispute, recorded as the shipped data records them, never resolved
// by guessing. The shipped data is curated and wins over a feed for builds it already lists. A row
// that breaks one of these rules is skipped and reported (fault "conflict"); it never changes the
// data, and the other rows are used.
import { compareBuilds, cuOf } from '../core/build-number.js';
import type { BuildEntry } from '../classify/data-schema.js';
import { lineKey, type KnowledgeBase } from '../classify/knowledge-base.js';
import { shown, type Problem, type SkippedRow } from './errors.js';
import type { BuildSourceId } from './feed-rows.js';
import type { FeedBuild } from './interpret.js';
import { checkOrder, compareDates, type AddedBuild } from './merge-order.js';

export type { AddedBuild } from './merge-order.js';
import { kbUrl } from './names.js';

export interface BuildMerge {
  /** The overlay's builds: carried from the previous overlay plus the ones added now, ascending. */
  overlay: BuildEntry[];
  /** Builds not in the data before this update (disputed ones included). */
  added: AddedBuild[];
  /** Feed rows of builds the data already lists. */
  known: number;
  /** Known builds whose date or KB in a feed differs from the data (the data's values are kept). */
  differing: { build: string; name: string; what: string }[];
  /** Previous overlay builds dropped because the shipped data now lists them. */
  pruned: number;
  /** Rows that contradict the data or the other list: not used. */
  skipped: SkippedRow[];
}

/** Learn is the canonical Microsoft page (data-sources/README.md): its name and date win over the CSV's. */
const SOURCE_RANK: Readonly<Record<BuildSourceId, number>> = { mslearn: 0, gebn: 1 };
const SOURCE_NAME: Readonly<Record<BuildSourceId, string>> = {
  mslearn: 'Microsoft Learn',
  gebn: "Microsoft's CSV",
};

function sourceList(ids: readonly string[]): string {
  return ids.map((id) => (id in SOURCE_NAME ? SOURCE_NAME[id as BuildSourceId] : id)).join(' and ');
}

function conflict(fb: FeedBuild, message: string): SkippedRow {
  return {
    source: fb.feed.source,
    line: fb.row.line,
    entry: shown(fb.row.name),
    fault: 'conflict',
    message,
    build: fb.build,
  };
}

export function mergeBuilds(
  shipped: KnowledgeBase,
  previousOverlay: readonly BuildEntry[],
  feedBuilds: readonly FeedBuild[],
): BuildMerge {
  const skipped: SkippedRow[] = [];
  const differing: BuildMerge['differing'] = [];
  let known = 0;

  const byBuild = new Map<string, FeedBuild[]>();
  for (const fb of feedBuilds) {
    const list = byBuild.get(fb.build);
    if (list === undefined) byBuild.set(fb.build, [fb]);
    else list.push(fb);
  }

  // The data the feeds are checked against: shipped builds, plus earlier additions the feeds no
  // longer mention (those they mention are derived again, so a second source can confirm them).
  const carried = previousOverlay.filter((b) => !shipped.index.byBuild.has(b.build) && !byBuild.has(b.build));
  const pruned = previousOverlay.filter((b) => shipped.index.byBuild.has(b.build)).length;
  const data = new Map<string, BuildEntry>(shipped.builds.map((b) => [b.build, b] as const));
  for (const b of carried) data.set(b.build, b);

  // Fresh builds: one entry per build number, its rows ordered by source rank.
  const fresh: { build: string; rows: FeedBuild[] }[] = [];
  for (const [build, rows] of byBuild) {
    rows.sort((a, b) => SOURCE_RANK[a.feed.sourceId] - SOURCE_RANK[b.feed.sourceId]);
    const existing = data.get(build);
    if (existing === undefined) {
      fresh.push({ build, rows });
      continue;
    }
    known += rows.length;
    if (existing.confidence === 'disputed') continue; // a dispute the data already records
    for (const fb of rows) {
      const lineOk = existing.line === fb.line || fb.kind === 'Preview';
      if (existing.product !== fb.product || !lineOk) {
        skipped.push(
          conflict(
            fb,
            `${build} is ${existing.product} ${existing.line} (${existing.name}) in the data, not ${fb.product} ${fb.line}; the data is kept`,
          ),
        );
        continue;
      }
      const diffs: string[] = [];
      if (compareDates(existing.released, fb.released) !== 0)
        diffs.push(`date ${fb.released} (data: ${existing.released})`);
      if (fb.kb !== null && existing.kb !== null && fb.kb !== existing.kb)
        diffs.push(`${fb.kb} (data: ${existing.kb})`);
      if (diffs.length > 0)
        differing.push({
          build,
          name: existing.name,
          what: `${SOURCE_NAME[fb.feed.sourceId]}: ${diffs.join(', ')}`,
        });
    }
  }
  fresh.sort((a, b) => compareBuilds(a.build, b.build));

  // Lines of each CU and CUs of each line, as the data has them (non-disputed builds).
  const lineOfCu = new Map<string, string>();
  const cuOfLine = new Map<string, string>();
  const note = (b: { build: string; product: BuildEntry['product']; line: string; kind: string }): void => {
    const cu = cuOf(b.build) ?? b.build;
    if (!lineOfCu.has(`${b.product}|${cu}`)) lineOfCu.set(`${b.product}|${cu}`, b.line);
    if (b.kind !== 'Preview' && !cuOfLine.has(lineKey(b.product, b.line)))
      cuOfLine.set(lineKey(b.product, b.line), cu);
  };
  for (const b of data.values()) if (b.confidence !== 'disputed') note(b);
  const legacy = (p: string): boolean => p === 'Exchange Server 2007' || p === 'Exchange Server 2010';

  const accepted: AddedBuild[] = [];
  for (const { build, rows } of fresh) {
    const [lead] = rows;
    if (lead === undefined) continue;
    const disagree = rows.find((r) => r.product !== lead.product || r.line !== lead.line);
    if (disagree !== undefined) {
      for (const r of rows) {
        const other = r === lead ? disagree : lead;
        skipped.push(
          conflict(
            r,
            `${SOURCE_NAME[other.feed.sourceId]} names ${build} ${shown(other.row.name)}; the build lists disagree about its product or line, neither is used`,
          ),
        );
      }
      continue;
    }
    let line = lead.line;
    if (!legacy(lead.product)) {
      const cu = cuOf(build) ?? build;
      const dataLine = lineOfCu.get(`${lead.product}|${cu}`);
      if (dataLine !== undefined && dataLine !== line) {
        if (lead.kind === 'Preview') line = dataLine;
        else {
          for (const r of rows)
            skipped.push(
              conflict(
                r,
                `${build} belongs to ${cu}, which is ${lead.product} ${dataLine} in the data, not ${line}`,
              ),
            );
          continue;
        }
      }
      const dataCu = cuOfLine.get(lineKey(lead.product, line));
      if (dataLine === undefined && dataCu !== undefined && dataCu !== cu && lead.kind !== 'Preview') {
        for (const r of rows)
          skipped.push(
            conflict(r, `${lead.product} ${line} is ${dataCu} in the data, but this row puts it on ${cu}`),
          );
        continue;
      }
    }
    const dates = [...new Set(rows.map((r) => r.released))];
    const sources = [...new Set(rows.map((r) => r.feed.sourceId))].sort();
    const entry: BuildEntry = {
      build,
      product: lead.product,
      line,
      name: lead.name,
      kind: lead.kind,
      released: lead.released,
      kb: rows.find((r) => r.kb !== null)?.kb ?? null,
      url: kbUrl(rows.find((r) => r.kb !== null)?.kb ?? null),
      confidence: sources.length >= 2 ? 'high' : 'medium',
      sources,
    };
    if (dates.length > 1) {
      entry.dateNote = rows
        .filter((r) => r.released !== lead.released)
        .map((r) => `${SOURCE_NAME[r.feed.sourceId]} gives ${r.released}`)
        .join('; ');
    }
    accepted.push({ entry, rows });
    note(entry);
  }

  markDisputes(data, accepted);
  const outOfOrder = checkOrder(data, accepted);
  for (const [a, message] of outOfOrder) for (const r of a.rows) skipped.push(conflict(r, message));
  const added = accepted.filter((a) => !outOfOrder.has(a));

  const overlay = [...carried, ...added.map((a) => a.entry)].sort((a, b) => compareBuilds(a.build, b.build));
  return { overlay, added, known, differing, pruned, skipped };
}

/**
 * One update name, two numbers (e.g. the CSV and Learn disagree about RTM Sep26SU): the number
 * the data already has, else the one more sources list, else Learn's, is kept; the other is
 * recorded as disputed — never proof of anything — as the shipped data does for such pairs.
 */
function markDisputes(data: ReadonlyMap<string, BuildEntry>, accepted: AddedBuild[]): void {
  const names = new Map<string, BuildEntry>();
  for (const b of data.values()) if (b.confidence !== 'disputed') names.set(`${b.product}|${b.name}`, b);
  const score = (a: AddedBuild): number =>
    a.entry.sources.length * 10 - Math.min(...a.rows.map((r) => SOURCE_RANK[r.feed.sourceId]));
  const groups = new Map<string, AddedBuild[]>();
  for (const a of accepted) {
    const key = `${a.entry.product}|${a.entry.name}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [a]);
    else g.push(a);
  }
  for (const [key, group] of groups) {
    const inData = names.get(key);
    const keep = inData ?? [...group].sort((x, y) => score(y) - score(x))[0]?.entry;
    if (keep === undefined) continue;
    for (const a of group) {
      if (a.entry === keep) continue;
      a.entry.confidence = 'disputed';
      const where = inData === undefined ? sourceList(keep.sources) : 'the data';
      a.entry.dispute = `${a.entry.name} is ${a.entry.build} in ${sourceList(a.entry.sources)} but ${keep.build} in ${where}`;
    }
  }
}

/** Every first fixing build named by a CVE rule must be a published build of the merged data. */
export function checkRuleBuilds(
  cves: KnowledgeBase['cves'],
  builds: ReadonlyMap<string, BuildEntry>,
): Problem[] {
  const problems: Problem[] = [];
  for (const c of cves) {
    for (const r of c.rules) {
      for (const b of [r.minBuild, r.strictMinBuild]) {
        if (b === undefined) continue;
        const e = builds.get(b);
        if (e === undefined || e.confidence === 'disputed') {
          problems.push({
            source: null,
            entry: c.id,
            message: `its rule for ${r.product} ${r.line} names ${b}, which is ${e === undefined ? 'not a build in the data' : 'disputed'}`,
          });
        }
      }
    }
  }
  return problems;
}
