// `owa-audit data update`: read the feeds, merge what is new into the user data directory, refuse
// the whole update when anything does not check out. Order of work: every source is read and
// parsed, every row interpreted and checked, the merged data built and verified by loading it the
// way every command will — and only then is the user data directory touched.
import { compareBuilds } from '../classify/build-number.js';
import type { BuildEntry, DataMeta } from '../classify/data-schema.js';
import { todayIso } from '../classify/dates.js';
import {
  defaultUserDataDir,
  lineKey,
  loadKnowledgeBase,
  type KnowledgeBase,
} from '../classify/knowledge-base.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { parseBuildCsv } from './build-csv.js';
import { DataUpdateError, type Problem } from './errors.js';
import { Fetcher, type Fetched, type FetchOptions } from './fetch.js';
import { interpretFeeds } from './interpret.js';
import { parseKev } from './kev.js';
import { parseLearnHtml } from './learn-html.js';
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
import { DEFAULT_SOURCES, SOURCE_KINDS, sniffKind, type SourceKind } from './sources.js';
import {
  addedGaps,
  minDay,
  snapshotsOf,
  sourcesMeta,
  STALE_KEV_GAP,
  type ReadSources,
} from './update-meta.js';
import type { UpdateSummary } from './summary.js';

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

/** Problems listed in one refusal at most; the rest are counted. */
const MAX_PROBLEMS = 25;

function refuse(problems: Problem[]): never {
  const shown = problems.slice(0, MAX_PROBLEMS);
  if (problems.length > MAX_PROBLEMS) {
    shown.push({ source: null, message: `… and ${problems.length - MAX_PROBLEMS} more problem(s)` });
  }
  throw new DataUpdateError(shown);
}

function collect(problems: Problem[], fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof DataUpdateError) problems.push(...e.problems);
    else throw e;
  }
}

async function readSources(
  from: readonly string[],
  opts: DataUpdateOptions,
  now: Date,
): Promise<ReadSources> {
  const fetcher = new Fetcher({ ...opts.fetch, now: () => now });
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
      const twice = byKind.get(kind);
      if (twice !== undefined) {
        problems.push({
          source: f.source,
          message: `a second ${SOURCE_KINDS[kind].what} (the first is ${twice.source.label}); give one of each`,
        });
        return;
      }
      byKind.set(kind, f);
      if (kind === 'kev-json') {
        out.kev = parseKev(f.text, f.source);
        out.fetched.push({ f, kind, rows: out.kev.total, catalogVersion: out.kev.catalogVersion });
      } else {
        const feed =
          kind === 'build-csv' ? parseBuildCsv(f.text, f.source) : parseLearnHtml(f.text, f.source);
        out.buildFeeds.push(feed);
        out.fetched.push({ f, kind, rows: feed.rows.length });
      }
    });
  }
  if (problems.length > 0) refuse(problems);
  return out;
}

export async function runDataUpdate(opts: DataUpdateOptions = {}): Promise<DataUpdateResult> {
  const now = opts.now ?? new Date();
  const today = todayIso(now);
  const userDataDir = opts.userDataDir ?? defaultUserDataDir();
  const dataDir = opts.dataDir === undefined ? {} : { dataDir: opts.dataDir };
  const dryRun = opts.dryRun === true;
  const from = opts.from !== undefined && opts.from.length > 0 ? opts.from : DEFAULT_SOURCES;

  // Read the feeds before taking the lock: downloads can take a while.
  const sources = await readSources(from, opts, now);
  const lock = dryRun ? null : await lockUserData(userDataDir);
  try {
    if (!dryRun) await removeStaleStaging(userDataDir);
    const shipped = loadKnowledgeBase({ ...dataDir, userDataDir: null });
    const current = loadKnowledgeBase({ ...dataDir, userDataDir }); // refuses a damaged overlay, naming the file
    const previous = await readOverlay(userDataDir);

    const problems: Problem[] = [];
    const interpreted = interpretFeeds(sources.buildFeeds, shipped, today);
    problems.push(...interpreted.problems);
    const builds = mergeBuilds(shipped, previous.builds, interpreted.builds);
    problems.push(...builds.problems);

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

    const snapshots = snapshotsOf(sources, previous.record, shipped.asOf, today);
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
        sources: sources.fetched.map(({ f, kind, rows, catalogVersion }) => ({
          id: SOURCE_KINDS[kind].id,
          label: f.source.label,
          bytes: f.bytes,
          rows: rows ?? null,
          catalogVersion: catalogVersion ?? null,
          exchangeEntries: kind === 'kev-json' ? (sources.kev?.exchange.size ?? 0) : null,
        })),
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
