// `owa-audit reclassify <run-dir>`: every verdict of a run re-derived with the current data. The
// run directory is changed only through complete files: the new results.jsonl is written beside
// the old one and renamed over it; the scan's own results are kept once as results.scan.jsonl;
// run.json (through the engine's writer) records the data version now behind the verdicts; the
// reports that exist are written again. Lines that are not records are carried over unchanged.
import { createReadStream, existsSync } from 'node:fs';
import { constants, copyFile, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { todayIso } from '../core/time.js';
import type { KnowledgeBase } from '../classify/knowledge-base.js';
import { loadRun, lockRun, RESULTS_FILE, saveRun, type RunMeta } from '../run-store/index.js';
import { InputError } from '../core/errors.js';
import { writeReports, type ReportFiles, type ReportFormat } from '../outputs/write-reports.js';
import { PRECISIONS, PRODUCTS, RESULT_SCHEMA, type ResultRecord } from '../core/result-schema.js';
import { fsyncDir } from '../util/atomic-file.js';
import { HistoryStore, recordRunInHistory } from '../history/index.js';
import { reclassifyRecord, type VerdictChange } from './reclassify.js';

export const SCAN_RESULTS_FILE = 'results.scan.jsonl';
const MAX_LINE_BYTES = 16 * 1024 * 1024;

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

/** run.json fields this command adds (see the report: the engine's schema should carry them). */
interface ReclassifiedMeta extends RunMeta {
  reclassifiedAt: string;
  /** The data version the scan itself used, kept across reclassifications. */
  scanData: RunMeta['data'];
}

async function* lines(path: string): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  let size = 0;
  let lineNo = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      lineNo++;
      pending.push(chunk.subarray(start, nl));
      yield Buffer.concat(pending).toString('utf8');
      pending = [];
      size = 0;
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    size += rest.length;
    if (size > MAX_LINE_BYTES)
      throw new InputError(`line ${lineNo + 1} is longer than ${MAX_LINE_BYTES} bytes: not a results file`, {
        file: path,
      });
    if (rest.length > 0) pending.push(Buffer.from(rest));
  }
  if (size > 0) yield Buffer.concat(pending).toString('utf8');
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

/**
 * The scan's data version as an earlier reclassify recorded it. The engine's run.json reader does
 * not carry this field (yet), so it is read here, tolerantly, and only this field.
 */
async function scanDataOf(runDir: string): Promise<RunMeta['data'] | null> {
  try {
    const raw: unknown = JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8'));
    const d = isObject(raw) ? raw.scanData : null;
    const ok = (v: unknown): v is string | null => v === null || typeof v === 'string';
    return isObject(d) && ok(d.version) && ok(d.asOf) ? { version: d.version, asOf: d.asOf } : null;
  } catch {
    return null;
  }
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

/** Whether the history already holds this run (reclassify never adds a run the user did not record). */
function recordedIn(historyPath: string, meta: RunMeta): boolean {
  const store = HistoryStore.openExisting(historyPath);
  if (store === null) return false;
  try {
    return store.findRun(meta.name, meta.startedAt) !== null;
  } finally {
    store.close();
  }
}

export async function reclassifyRun(runDir: string, opts: ReclassifyOptions): Promise<ReclassifyResult> {
  const now = opts.now ?? new Date();
  const today = todayIso(now);
  const dryRun = opts.dryRun === true;
  const st = await stat(runDir).catch(() => null);
  if (st?.isDirectory() !== true) throw new InputError('no such run directory', { file: runDir });
  if (!existsSync(join(runDir, 'run.json')))
    throw new InputError('not a run directory: run.json is missing', { file: runDir });
  const resultsPath = join(runDir, RESULTS_FILE);
  if (!existsSync(resultsPath))
    throw new InputError('not a run directory: results.jsonl is missing', { file: runDir });

  const lock = await lockRun(runDir);
  const temp = join(runDir, `.${RESULTS_FILE}.reclassify-${process.pid}.tmp`);
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
    const out = await open(temp, 'w');
    try {
      for await (const line of lines(resultsPath)) {
        const record = line.trim() === '' ? null : asRecord(line);
        let text = line;
        if (record === null || record.exchange === null) {
          if (line.trim() !== '') result.untouched++;
        } else {
          const r = reclassifyRecord(opts.kb, record, today);
          if (r.kind === 'failed')
            result.failures.push({
              key: `${record.target} ${record.exchange.build ?? ''}`.trim(),
              message: r.message,
            });
          else if (r.kind === 'unchanged-input') result.untouched++;
          else {
            result.rejudged++;
            if (r.change !== null) result.changes.push(r.change);
            text = JSON.stringify(r.record);
          }
        }
        await out.write(`${text}\n`);
      }
      await out.sync();
    } finally {
      await out.close();
    }
    if (dryRun) return result;

    const scanCopy = join(runDir, SCAN_RESULTS_FILE);
    if (!existsSync(scanCopy)) {
      // The scan's own verdicts, kept once: later reclassifications never overwrite them.
      await copyFile(resultsPath, scanCopy, constants.COPYFILE_EXCL);
      result.written.push(scanCopy);
    }
    await rename(temp, resultsPath);
    await fsyncDir(runDir);
    result.written.push(resultsPath);

    const next: ReclassifiedMeta = {
      ...meta,
      data: { version: opts.kb.dataVersion, asOf: opts.kb.asOf },
      reclassifiedAt: now.toISOString(),
      scanData: (await scanDataOf(runDir)) ?? meta.data,
    };
    await saveRun(runDir, next);
    result.written.push(join(runDir, 'run.json'));

    const historyPath = opts.historyPath ?? null;
    if (historyPath !== null && recordedIn(historyPath, next)) {
      await recordRunInHistory(runDir, { path: historyPath });
      result.written.push(historyPath);
    }

    const present = existingReports(runDir);
    if (opts.reports !== false && present.formats.length > 0) {
      result.reports = await writeReports(runDir, {
        formats: present.formats,
        perOwner: present.perOwner,
        knowledge: opts.kb,
        historyPath,
        now,
      });
      result.warnings.push(...result.reports.warnings);
    }
    return result;
  } finally {
    await rm(temp, { force: true });
    await lock.release();
  }
}
