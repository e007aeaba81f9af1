// `owa-audit reclassify <run-dir>`: every verdict of a run re-derived with the current data. The
// run directory is changed only through complete files (util/atomic-file.ts): the new
// results.jsonl replaces the old one whole; the scan's own results are kept once as
// results.scan.jsonl; run.json records the data version now behind the verdicts; then, as at the
// end of a scan, the run is recorded again in the history if it is there and the reports that
// exist are written again (outputs/finish-run.ts). Lines that are not records are carried over
// unchanged.
import { existsSync } from 'node:fs';
import { constants, copyFile, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { KnowledgeBase } from '../classify/knowledge-base.js';
import { InputError } from '../core/errors.js';
import { PRECISIONS, PRODUCTS, RESULT_SCHEMA, type ResultRecord } from '../core/result-schema.js';
import { todayIso } from '../core/time.js';
import { finishRun } from '../outputs/finish-run.js';
import type { ReportFiles } from '../outputs/report-files.js';
import type { ReportFormat } from '../outputs/formats.js';
import { loadRun, lockRun, RESULTS_FILE, RUN_FILE, saveRun, type RunMeta } from '../run-store/index.js';
import { resultLines } from '../run-store/read-results.js';
import { replaceFile } from '../util/atomic-file.js';
import { reclassifyRecord, type VerdictChange } from './reclassify.js';

export const SCAN_RESULTS_FILE = 'results.scan.jsonl';

export interface ReclassifyOptions {
  kb: KnowledgeBase;
  dryRun?: boolean;
  /** Re-render the reports that exist (default true). */
  reports?: boolean;
  /**
   * Scan history: a run already recorded there is recorded again with its new verdicts (before
   * the reports, which read it), so diffs and per-host history follow the new data too.
   */
  historyPath?: string | null;
  now?: Date;
}

export interface ReclassifyResult {
  runDir: string;
  dataVersion: string;
  /** The data version run.json named before (the scan's, or an earlier reclassify's). */
  previousDataVersion: string | null;
  /** Exchange records whose verdict was derived again. */
  rejudged: number;
  changes: VerdictChange[];
  /** Records without a verdict (not Exchange, failures) and lines that are not records. */
  untouched: number;
  failures: { key: string; message: string }[];
  written: string[];
  reports: ReportFiles | null;
  warnings: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Enough structure to rebuild the classifier's input and write the record back; the rest is kept. */
function asRecord(text: string): ResultRecord | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(v) || v.schema !== RESULT_SCHEMA || !Array.isArray(v.evidence)) return null;
  const x = v.exchange;
  if (x === null) return v as unknown as ResultRecord;
  if (!isObject(x)) return null;
  if (
    !(PRODUCTS as readonly unknown[]).includes(x.product) ||
    !(PRECISIONS as readonly unknown[]).includes(x.precision)
  )
    return null;
  if (!(x.build === null || typeof x.build === 'string') || !Array.isArray(x.cves)) return null;
  if (!v.evidence.every((e) => isObject(e) && typeof e.signal === 'string' && typeof e.value === 'string'))
    return null;
  return v as unknown as ResultRecord;
}

/** The reports present in the run directory: these, and only these, are written again. */
export function existingReports(dir: string): { formats: ReportFormat[]; perOwner: boolean } {
  const formats: ReportFormat[] = [];
  if (existsSync(join(dir, 'report.html'))) formats.push('html');
  if (existsSync(join(dir, 'report.pdf'))) formats.push('pdf');
  if (existsSync(join(dir, 'results.csv'))) formats.push('csv');
  if (existsSync(join(dir, 'intelmq.jsonl'))) formats.push('intelmq');
  return { formats, perOwner: existsSync(join(dir, 'owners')) };
}

/** Every line of results.jsonl, with its verdict re-derived where it has one; counts into `result`. */
async function* rejudgedLines(
  resultsPath: string,
  kb: KnowledgeBase,
  today: string,
  result: ReclassifyResult,
): AsyncGenerator<string> {
  let lineNo = 0;
  for await (const line of resultLines(resultsPath)) {
    lineNo++;
    if (line === null) {
      throw new InputError(`line ${lineNo} is longer than any record: not a results file`, {
        file: resultsPath,
      });
    }
    const record = line.trim() === '' ? null : asRecord(line);
    if (record === null || record.exchange === null) {
      if (line.trim() !== '') result.untouched++;
      yield line;
      continue;
    }
    const r = reclassifyRecord(kb, record, today);
    if (r.kind === 'failed') {
      result.failures.push({
        key: `${record.target} ${record.exchange.build ?? ''}`.trim(),
        message: r.message,
      });
      yield line;
    } else if (r.kind === 'unchanged-input') {
      result.untouched++;
      yield line;
    } else {
      result.rejudged++;
      if (r.change !== null) result.changes.push(r.change);
      yield JSON.stringify(r.record);
    }
  }
}

export async function reclassifyRun(runDir: string, opts: ReclassifyOptions): Promise<ReclassifyResult> {
  const now = opts.now ?? new Date();
  const today = todayIso(now);
  const st = await stat(runDir).catch(() => null);
  if (st?.isDirectory() !== true) throw new InputError('no such run directory', { file: runDir });
  if (!existsSync(join(runDir, RUN_FILE)))
    throw new InputError('not a run directory: run.json is missing', { file: runDir });
  const resultsPath = join(runDir, RESULTS_FILE);
  if (!existsSync(resultsPath))
    throw new InputError('not a run directory: results.jsonl is missing', { file: runDir });

  const lock = await lockRun(runDir);
  try {
    const meta = await loadRun(runDir);
    const result: ReclassifyResult = {
      runDir,
      dataVersion: opts.kb.dataVersion,
      previousDataVersion: meta.data.version,
      rejudged: 0,
      changes: [],
      untouched: 0,
      failures: [],
      written: [],
      reports: null,
      warnings: [],
    };
    if (meta.state !== 'finished') {
      result.warnings.push(
        `the run is ${meta.state}: endpoints a resume probes later are judged with the data current then.`,
      );
    }
    const lines = rejudgedLines(resultsPath, opts.kb, today, result);
    if (opts.dryRun === true) {
      for await (const _line of lines) {
        // rejudgedLines counts; a dry run writes nothing
      }
      return result;
    }

    const scanCopy = join(runDir, SCAN_RESULTS_FILE);
    if (!existsSync(scanCopy)) {
      // The scan's own verdicts, kept once: later reclassifications never overwrite them.
      await copyFile(resultsPath, scanCopy, constants.COPYFILE_EXCL);
      result.written.push(scanCopy);
    }
    await replaceFile(
      resultsPath,
      async (temp) => {
        const out = await open(temp, 'wx');
        try {
          for await (const line of lines) await out.write(`${line}\n`);
        } finally {
          await out.close();
        }
      },
      { durable: true },
    );
    result.written.push(resultsPath);

    const next: RunMeta = {
      ...meta,
      data: { version: opts.kb.dataVersion, asOf: opts.kb.asOf },
      reclassifiedAt: now.toISOString(),
      // The data version the scan itself used, kept across reclassifications.
      scanData: meta.scanData ?? meta.data,
    };
    await saveRun(runDir, next);
    result.written.push(join(runDir, RUN_FILE));

    const finished = await finishRun(runDir, next, {
      historyPath: opts.historyPath ?? null,
      record: 'already-recorded',
      reports: opts.reports === false ? false : existingReports(runDir),
      knowledge: opts.kb,
      now,
    });
    if (finished.recorded && opts.historyPath != null) result.written.push(opts.historyPath);
    result.reports = finished.reports;
    result.warnings.push(...finished.warnings);
    return result;
  } finally {
    await lock.release();
  }
}
