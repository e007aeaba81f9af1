// The end of every pipeline that leaves a run directory behind — `scan`, `merge`, `reclassify`:
// write the run into the scan history, write its reports (which read the run there), and commit
// the history while Chromium prints. One order and one error policy for all three:
// - the results on disk are the product, so a history that cannot be written costs a warning
//   (`owa-audit history import <run-dir>` records the run later), never the run or its reports;
// - the reports show "since the last scan" only for a run written into the history (should the
//   commit then fail, a warning says so);
// - a report that cannot be written fails the command (its reason is the error), and the run is
//   still recorded.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { KnowledgeBase } from '../classify/knowledge-base.js';
import { stageRunInHistory, type RecordRunOptions, type StagedRecording } from '../history/record-run.js';
import { HistoryStore } from '../history/store.js';
import type { RunMeta } from '../run-store/run-meta.js';
import type { GivenBrowser } from '../report/pdf-jobs.js';
import { reportRenderer } from '../report/html.js';
import { SurveyTap, type ServerSurvey } from '../report/server-survey.js';
import { RESULTS_FILE } from '../run-store/run-dir.js';
import { writeReports } from './write-reports.js';
import type { ReportFiles } from './report-files.js';
import type { ReportFormat } from './formats.js';

export { DEFAULT_SCAN_FORMATS } from './formats.js';

export interface FinishRunOptions {
  /** Scan history database; null: none. */
  historyPath: string | null;
  /**
   * Which runs go into the history: `finished` — a finished run (scan, merge; a stopped one would
   * show its missing hosts as gone, so it is left out with a warning); `already-recorded` — a run the
   * history holds, recorded again (reclassify never adds a run the user did not record).
   */
  record: 'finished' | 'already-recorded';
  /** Reports to write; false for none. */
  reports: { formats: readonly ReportFormat[]; perOwner: boolean } | false;
  knowledge: KnowledgeBase;
  /** Report time (tests); default the clock when the reports are written. */
  now?: Date | undefined;
  /** The caller's browser for the PDFs (see WriteReportsOptions.browser); the caller closes it. */
  browser?: GivenBrowser | undefined;
}

export interface FinishedRun {
  /** Whether the run is in the history now. */
  recorded: boolean;
  reports: ReportFiles | null;
  /** For stderr: the history could not be written, an unfinished run was left out, report problems. */
  warnings: string[];
}

/**
 * Makes the report renderer ahead of the reports (the compiled templates loaded into Handlebars'
 * runtime; html.ts keeps it for the process): a scan does it during its probe phase, so the
 * writer finds it ready after the last request.
 */
export function prepareDocuments(): void {
  reportRenderer();
}

export async function finishRun(
  runDir: string,
  meta: Pick<RunMeta, 'name' | 'startedAt' | 'state'>,
  opts: FinishRunOptions,
): Promise<FinishedRun> {
  const warnings: string[] = [];
  const wantsReports = opts.reports !== false && opts.reports.formats.length > 0;
  const shared = wantsReports && opts.historyPath !== null ? await surveyInHistoryPass(runDir) : null;
  // The run is written into the history before the reports, which read it there, but committed
  // only while Chromium prints the PDF: the commit writes the whole run out, and nothing needs it
  // sooner (the reports read the run through the connection that holds it).
  const staged = await stageInHistory(runDir, meta, opts, warnings, shared?.read);
  let recorded = false;
  let settled = staged === null;
  const commit = (): void => {
    if (settled || staged === null) return;
    settled = true;
    try {
      staged.commit();
      recorded = true;
    } catch (e) {
      warnings.push(notRecorded(runDir, e));
    }
  };
  try {
    let reports: ReportFiles | null = null;
    if (opts.reports !== false && opts.reports.formats.length > 0) {
      reports = await writeReports(runDir, {
        ...(staged !== null && shared !== null ? { survey: shared.finish() } : {}),
        formats: opts.reports.formats,
        perOwner: opts.reports.perOwner,
        knowledge: opts.knowledge,
        historyPath: null,
        ...(staged === null
          ? {}
          : { historyStore: staged.store, whilePrinting: () => Promise.resolve(commit()) }),
        ...(opts.now === undefined ? {} : { now: opts.now }),
        ...(opts.browser === undefined ? {} : { browser: opts.browser }),
      });
      warnings.push(...reports.warnings);
    }
    commit();
    return { recorded, reports, warnings };
  } finally {
    // Reports that failed still leave the run recorded, as when the history was written first.
    commit();
    staged?.close();
  }
}

/**
 * The reports' first pass (the server survey), made by the history's pass over results.jsonl,
 * which parses every record anyway: one parse of the file less before the PDF can be printed.
 * Both read the bytes there are now. Null when the file cannot be read: the reports say why.
 */
async function surveyInHistoryPass(
  runDir: string,
): Promise<{ read: NonNullable<RecordRunOptions['read']>; finish(): ServerSurvey } | null> {
  const size = await stat(join(runDir, RESULTS_FILE)).then(
    (s) => s.size,
    () => null,
  );
  if (size === null) return null;
  const tap = new SurveyTap();
  return { read: { bytes: size, tap: tap.add }, finish: () => tap.finish(size) };
}

function notRecorded(runDir: string, e: unknown): string {
  return `the run was not recorded in the history (${(e as Error).message}); \`owa-audit history import ${runDir}\` can record it later`;
}

/** The run written into the history, not yet committed; null when it is not to be (or cannot be) recorded. */
async function stageInHistory(
  runDir: string,
  meta: Pick<RunMeta, 'name' | 'startedAt' | 'state'>,
  opts: FinishRunOptions,
  warnings: string[],
  read: RecordRunOptions['read'],
): Promise<StagedRecording | null> {
  const path = opts.historyPath;
  if (path === null) return null;
  if (opts.record === 'finished' && meta.state !== 'finished') {
    warnings.push(
      `the run is ${meta.state}, so it is not recorded in the scan history (it would show the hosts not yet probed as gone); ` +
        'record it once it is complete',
    );
    return null;
  }
  try {
    if (opts.record === 'already-recorded' && !holdsRun(path, meta)) return null;
    return await stageRunInHistory(runDir, { path, ...(read === undefined ? {} : { read }) });
  } catch (e) {
    warnings.push(notRecorded(runDir, e));
    return null;
  }
}

/** Whether the history already holds this run; a history that cannot be opened holds none. */
function holdsRun(path: string, meta: Pick<RunMeta, 'name' | 'startedAt'>): boolean {
  const store = HistoryStore.openExisting(path);
  if (store === null) return false;
  try {
    return store.findRun(meta.name, meta.startedAt) !== null;
  } finally {
    store.close();
  }
}
