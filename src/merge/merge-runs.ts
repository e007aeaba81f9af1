// `owa-audit merge`: shard runs → one run directory that every other command reads like a scan's
// (report, diff, history, reclassify). Order: read and check every run.json (nothing is written
// before the runs are known to fit together), stream the records into a temporary file, rename it
// to results.jsonl, write run.json last — a run directory without run.json is not a run, so a
// merge that fails half-way leaves nothing that looks finished — then history and reports.
import { mkdir, rmdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { KnowledgeBase } from '../classify/knowledge-base.js';
import { InputError, RunDirError } from '../core/errors.js';
import { loadKnowledgeBase } from '../knowledge/load.js';
import { DEFAULT_SCAN_FORMATS, finishRun } from '../outputs/finish-run.js';
import type { ReportFiles } from '../outputs/report-files.js';
import type { ReportFormat } from '../outputs/formats.js';
import {
  loadRun,
  openResultsSink,
  RESULTS_FILE,
  RUN_FILE,
  saveRun,
  type RunMeta,
} from '../run-store/index.js';
import { mergedRunMeta } from './meta.js';
import { planMerge, type ShardRun } from './plan.js';
import { copyShardRecords, type CopiedRecords } from './records.js';
import { replaceFile } from '../util/atomic-file.js';

export interface MergeRunsOptions {
  /** Shard run directories (`scan --shard K/N`), in any order. */
  runDirs: readonly string[];
  /** The merged run directory: new, or empty. */
  outDir: string;
  /** Accept missing or unfinished shards; the merged run is then `stopped`, not `finished`. */
  partial?: boolean;
  /** Scan history to record the merged run in (finished runs only); null or absent: none. */
  historyPath?: string | null;
  /** Reports written at the end, like a scan's; false for none. Default: a scan's formats, per owner when records have owners. */
  reports?: { formats: readonly ReportFormat[]; perOwner?: boolean } | false;
  kb?: KnowledgeBase;
  /** The reports' time (and the merged run's start when no shard records one); default the clock. */
  now?: Date;
}

export interface MergeRunsResult {
  runDir: string;
  meta: RunMeta;
  /** Records in the merged results.jsonl. */
  records: number;
  reports: ReportFiles | null;
  /** Whether the merged run was recorded in the history. */
  recorded: boolean;
  /** For stderr: incomplete merge, unreadable lines, history or report problems. */
  warnings: string[];
}

/** A directory that is not a run is bad input here (exit 2), not an I/O failure. */
async function loadShardRun(dir: string): Promise<ShardRun> {
  const abs = resolve(dir);
  try {
    return { dir: abs, meta: await loadRun(abs) };
  } catch (e) {
    if (e instanceof RunDirError) throw new InputError(e.message, { file: join(abs, RUN_FILE) });
    throw e;
  }
}

/** The output directory must not hold a run already, nor be one of the inputs. Returns whether it exists. */
async function checkOutDir(out: string, inputs: readonly ShardRun[]): Promise<boolean> {
  if (inputs.some((r) => r.dir === out)) {
    throw new InputError(`${out} is one of the runs to merge; choose another --out`, {
      file: 'command line',
      field: '--out',
    });
  }
  const dir = await stat(out).catch(() => null);
  if (dir === null) return false;
  if (!dir.isDirectory())
    throw new InputError(`${out} is not a directory`, { file: 'command line', field: '--out' });
  if ((await stat(join(out, RUN_FILE)).catch(() => null)) !== null) {
    throw new InputError(`${out} already holds a run; choose another --out`, {
      file: 'command line',
      field: '--out',
    });
  }
  const results = await stat(join(out, RESULTS_FILE)).catch(() => null);
  if (results !== null && results.size > 0) {
    throw new InputError(`${out} holds a ${RESULTS_FILE}; choose another --out`, {
      file: 'command line',
      field: '--out',
    });
  }
  return true;
}

function versionWarning(runs: readonly ShardRun[]): string | null {
  const versions = [...new Set(runs.map((r) => r.meta.tool.version))];
  return versions.length > 1
    ? `the shards were scanned by different owa-audit versions (${versions.join(', ')})`
    : null;
}

export async function mergeRuns(opts: MergeRunsOptions): Promise<MergeRunsResult> {
  const runs: ShardRun[] = [];
  for (const d of opts.runDirs) runs.push(await loadShardRun(d));
  const plan = planMerge(runs, { partial: opts.partial === true });
  const out = resolve(opts.outDir);
  const existed = await checkOutDir(out, runs);
  const warnings = [...plan.warnings];
  const mixed = versionWarning(plan.runs);
  if (mixed !== null) warnings.push(mixed);

  try {
    await mkdir(out, { recursive: true });
  } catch (err) {
    throw new RunDirError(out, `cannot create the run directory: ${(err as Error).message}`, { cause: err });
  }
  let copied: CopiedRecords;
  try {
    copied = await replaceFile(join(out, RESULTS_FILE), async (temp) => {
      // A temporary file renamed at the end needs no fsync on the way: close() syncs once.
      const sink = await openResultsSink(temp, {
        fsyncEvery: Number.MAX_SAFE_INTEGER,
        fsyncIntervalMs: Number.POSITIVE_INFINITY,
      });
      let records: CopiedRecords;
      try {
        records = await copyShardRecords(plan, sink);
      } catch (e) {
        await sink.close().catch(() => undefined);
        throw e;
      }
      await sink.close();
      return records;
    });
  } catch (e) {
    if (!existed) await rmdir(out).catch(() => undefined);
    throw e;
  }
  for (const s of copied.skipped)
    warnings.push(`${s.dir}: ${s.lines} line(s) of ${RESULTS_FILE} were not records and were left out`);

  const meta = mergedRunMeta(plan, copied, opts.now ?? new Date());
  await saveRun(out, meta);

  const reportOpts = opts.reports ?? { formats: DEFAULT_SCAN_FORMATS };
  const finished = await finishRun(out, meta, {
    historyPath: opts.historyPath ?? null,
    record: 'finished',
    reports:
      reportOpts === false
        ? false
        : { formats: reportOpts.formats, perOwner: reportOpts.perOwner ?? copied.owners },
    knowledge: opts.kb ?? loadKnowledgeBase(),
    now: opts.now,
  });
  // merge loads no data of its own: the reports' data-age warning is its only one.
  if (finished.reports?.dataAge != null) warnings.push(finished.reports.dataAge);
  warnings.push(...finished.warnings);
  return {
    runDir: out,
    meta,
    records: copied.records,
    reports: finished.reports,
    recorded: finished.recorded,
    warnings,
  };
}
