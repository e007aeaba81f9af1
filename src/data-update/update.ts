// `owa-audit data update`: read the feeds, merge what is new into the user data directory. A bad
// row is skipped and reported, the rest used; the whole update is refused only when a source is
// not the feed at all (feed-health.ts) or the merged data does not check out. Order of work:
// every source is read and parsed, every row interpreted and checked, each feed judged, the
// merged data built and verified by loading it the way every command will — and only then is the
// user data directory touched.
import { compareBuilds } from '../core/build-number.js';
import type { BuildEntry, DataMeta } from '../classify/data-schema.js';
import { todayIso } from '../core/time.js';
import { defaultUserDataDir, loadKnowledgeBase } from '../knowledge/index.js';
import { lineKey, type KnowledgeBase } from '../classify/knowledge-base.js';
import { TOOL_NAME, TOOL_VERSION } from '../util/version.js';
import { refuse, type Problem } from './errors.js';
import type { FetchOptions } from './fetch.js';
import { judgeBuildFeed, judgeKev } from './feed-health.js';
import { interpretFeeds } from './interpret.js';
import { checkRuleBuilds, mergeBuilds } from './merge-builds.js';
import { cveOverlay, mergeCves } from './merge-cves.js';
import {
  lockUserData,
  readOverlay,
  removeStaleStaging,
  stageOverlay,
  UPDATE_RECORD_FORMAT,
  type UpdateRecord,
} from './overlay.js';
import { readSources } from './read-sources.js';
import { DEFAULT_SOURCES, SOURCE_KINDS } from './sources.js';
import {
  addedGaps,
  listsNotCurrent,
  minDay,
  snapshotsOf,
  sourcesMeta,
  STALE_KEV_GAP,
} from './update-meta.js';
import { faultCounts, orderSkipped, skippedSummary, type UpdateSummary } from './summary.js';

export interface DataUpdateOptions {
  /** URLs or files; default DEFAULT_SOURCES. */
  from?: readonly string[];
  /** Default: defaultUserDataDir(). */
  userDataDir?: string;
  /** The shipped data (tests); default data/ of the package. */
  dataDir?: string;
  /** Check and summarise, write nothing. */
  dryRun?: boolean;
  now?: Date;
  fetch?: Omit<FetchOptions, 'now'>;
}

export interface DataUpdateResult {
  summary: UpdateSummary;
  written: boolean;
  /** The knowledge base as every command now sees it (for a dry run: would see). */
  kb: KnowledgeBase;
}

export async function runDataUpdate(opts: DataUpdateOptions = {}): Promise<DataUpdateResult> {
  const now = opts.now ?? new Date();
  const today = todayIso(now);
  const userDataDir = opts.userDataDir ?? defaultUserDataDir();
  const dataDir = opts.dataDir === undefined ? {} : { dataDir: opts.dataDir };
  const dryRun = opts.dryRun === true;
  const from = opts.from !== undefined && opts.from.length > 0 ? opts.from : DEFAULT_SOURCES;

  // Read the feeds before taking the lock: downloads can take a while.
  const sources = await readSources(from, opts.fetch, now);
  const lock = dryRun ? null : await lockUserData(userDataDir);
  try {
    if (!dryRun) await removeStaleStaging(userDataDir);
    const shipped = loadKnowledgeBase({ ...dataDir, userDataDir: null });
    const current = loadKnowledgeBase({ ...dataDir, userDataDir }); // refuses a damaged overlay, naming the file
    const previous = await readOverlay(userDataDir);

    const interpreted = interpretFeeds(sources.buildFeeds, shipped, today);
    const builds = mergeBuilds(shipped, previous.builds, interpreted.builds);
    const skipped = orderSkipped(
      sources.fetched.map((x) => x.f.source),
      [...interpreted.skipped, ...builds.skipped, ...(sources.kev?.skipped ?? [])],
    );
    const refusals: Problem[] = [];
    for (const feed of sources.buildFeeds)
      refusals.push(
        ...judgeBuildFeed(
          feed,
          skipped.filter((x) => x.source === feed.source),
          shipped,
        ),
      );
    if (sources.kev !== null) refusals.push(...judgeKev(sources.kev, shipped));
    if (refusals.length > 0) refuse(refusals);

    const problems: Problem[] = [];
    const merged = new Map<string, BuildEntry>(shipped.builds.map((b) => [b.build, b] as const));
    for (const b of builds.overlay) if (!merged.has(b.build)) merged.set(b.build, b);
    const mergedList = [...merged.values()].sort((a, b) => compareBuilds(a.build, b.build));
    problems.push(...checkRuleBuilds(current.cves, merged));
    if (problems.length > 0) refuse(problems);

    const linesBefore = new Set(current.index.byLine.keys());
    const newLines = new Set(
      builds.added
        .filter((a) => a.entry.confidence !== 'disputed')
        .map((a) => lineKey(a.entry.product, a.entry.line)),
    );
    for (const l of linesBefore) newLines.delete(l);
    const cves = mergeCves(current.cves, mergedList, newLines, sources.kev);

    const notCurrent = listsNotCurrent(sources.buildFeeds, interpreted.builds, skipped, current, shipped);
    const snapshots = snapshotsOf(sources, previous.record, shipped.asOf, today, notCurrent);
    const asOf = minDay([snapshots.builds, snapshots.kev]);
    const notMapped = builds.overlay
      .filter((b) => (b.kind === 'SU' || b.kind === 'HU') && b.confidence !== 'disputed')
      .map((b) => ({ build: b.build, product: b.product, name: b.name }));
    const kevNotMapped = sources.kev !== null ? cves.kevNotMapped : (previous.record?.kevNotMapped ?? []);
    const unmappedLines = [
      ...(previous.record?.unmappedLines ?? []).filter(
        (u) =>
          !cves.unmappedLines.some((n) => n.cve === u.cve && n.line === u.line && n.product === u.product),
      ),
      ...cves.unmappedLines,
    ];
    const gaps = addedGaps({
      notMapped,
      kevNotMapped,
      unmappedLines,
      disputed: builds.overlay.filter((b) => b.confidence === 'disputed'),
    });

    const meta: DataMeta = {
      format: 'owa-audit/data@1',
      asOf,
      sources: sourcesMeta(previous.meta?.sources ?? shipped.meta.sources, sources.fetched, sources.kev),
      knownGaps: [
        ...(shipped.meta.knownGaps ?? []).filter(
          (g) => !(snapshots.kev > shipped.asOf && STALE_KEV_GAP.test(g)),
        ),
        ...gaps,
      ],
    };
    const staged = await stageOverlay(
      userDataDir,
      {
        meta,
        builds: builds.overlay,
        cves: cveOverlay(shipped, cves.cves),
        lifecycleRaw: previous.lifecycleRaw,
      },
      { dryRun },
    );
    let kb: KnowledgeBase;
    try {
      // The staged files must load exactly as every command will load them.
      kb = loadKnowledgeBase({ ...dataDir, userDataDir: staged.dir });
      const verify = checkRuleBuilds(kb.cves, kb.index.byBuild);
      if (verify.length > 0) refuse(verify);
      const record: UpdateRecord = {
        format: UPDATE_RECORD_FORMAT,
        updatedAt: now.toISOString(),
        tool: { name: TOOL_NAME, version: TOOL_VERSION },
        shippedDataVersion: shipped.dataVersion,
        dataVersion: kb.dataVersion,
        asOf: kb.asOf,
        snapshots,
        sources: sources.fetched.map(({ f, kind, rows, catalogVersion }) => ({
          kind,
          id: SOURCE_KINDS[kind].id,
          label: f.source.label,
          remote: f.source.remote,
          bytes: f.bytes,
          sha256: f.sha256,
          retrievedAt: f.retrievedAt,
          snapshotDay: f.snapshotDay,
          ...(rows === undefined ? {} : { rows }),
          skipped: skipped.filter((x) => x.source === f.source).length,
          ...(catalogVersion === undefined ? {} : { catalogVersion }),
        })),
        notMappedToCves: notMapped,
        kevNotMapped: kevNotMapped.map((k) => ({ cve: k.cve, dateAdded: k.dateAdded, name: k.name })),
        unmappedLines,
      };
      if (!dryRun) await staged.commit(record);
    } finally {
      await staged.discard();
    }
    if (!dryRun) kb = loadKnowledgeBase({ ...dataDir, userDataDir });
    return {
      written: !dryRun,
      kb,
      summary: {
        userDataDir,
        dryRun,
        sources: sources.fetched.map(({ f, kind, rows, catalogVersion }) => {
          const own = skipped.filter((x) => x.source === f.source);
          return {
            id: SOURCE_KINDS[kind].id,
            label: f.source.label,
            bytes: f.bytes,
            rows: rows ?? null,
            catalogVersion: catalogVersion ?? null,
            exchangeEntries: kind === 'kev-json' ? (sources.kev?.exchange.size ?? 0) : null,
            skipped: own.length,
            faults: faultCounts(own),
            cleaned: sources.buildFeeds.find((b) => b.source === f.source)?.cleaned ?? 0,
            notCurrent: notCurrent.get(f.source) ?? null,
          };
        }),
        skipped: skippedSummary(skipped),
        added: builds.added.map((a) => a.entry),
        known: builds.known + interpreted.disputed,
        differing: builds.differing,
        outOfScope: interpreted.outOfScope,
        pruned: builds.pruned,
        kevChanges: cves.kevChanges,
        kevNotMapped,
        kevAbsent: cves.kevAbsent,
        derivedRules: cves.derivedRules,
        unmappedLines: cves.unmappedLines,
        notMappedToCves: builds.added
          .filter(
            (a) => (a.entry.kind === 'SU' || a.entry.kind === 'HU') && a.entry.confidence !== 'disputed',
          )
          .map((a) => a.entry),
        previousVersion: current.dataVersion,
        dataVersion: kb.dataVersion,
        asOf: kb.asOf,
        snapshots,
      },
    };
  } finally {
    await lock?.release();
  }
}
