// writeReports: a run directory → report.html, report.pdf, results.csv, intelmq.jsonl and, with
// perOwner, one notification per owner under owners/ (HTML, PDF and an .eml draft with the PDF
// attached). Streaming passes over results.jsonl: the first groups the endpoints into servers
// (server-survey.ts), the second builds the report models (report-models.ts), and a third writes
// results.csv and intelmq.jsonl (line-exports.ts) while Chromium prints the main PDF, which is
// handed over as soon as its HTML is written; the browser is launched once per call. Without a usable Chromium the HTML and CSV are still written and the result
// carries a warning that says how to get PDFs. With a history database, the reports also say
// what changed since the last scan and, per host, since when it is exposed.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataAgeWarning, type KnowledgeBase } from '../classify/index.js';
import { todayIso } from '../core/time.js';
import { InputError } from '../core/errors.js';
import { reportRenderer } from '../report/html.js';
import { loadAdviceSource } from '../report/knowledge.js';
import { ownerSlug } from '../report/owner-files.js';
import { ReportModel, type ModelOptions } from '../report/report-model.js';
import type { ReadStats } from '../run-store/read-results.js';
import { readRunInfo, type RunInfo } from '../run-store/run-info.js';
import { RESULTS_FILE } from '../run-store/run-dir.js';
import { type IntelMqOptions, type IntelMqRunInfo } from '../export/intelmq.js';
import { openHistoryContext, type HistoryContext } from '../report/history-context.js';
import type { HistoryStore } from '../history/store.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { startPdfs, type GivenBrowser } from '../report/pdf-jobs.js';
import { runningText } from '../report/running-text.js';
import { writeLineExports, type LineExports } from './line-exports.js';
import { buildModels, notARunDirectory, type OwnerModel } from './report-models.js';
import { writeOwnerDrafts } from './owner-drafts.js';
import type { ReportFormat } from './formats.js';
import { surveyServers, type ServerSurvey } from '../report/server-survey.js';
import type { OwnerReportFiles, ReportFiles } from './report-files.js';
import { DEFAULT_GROUP_ABOVE, DEFAULT_TABLE_LIMIT } from '../report/server-plan.js';

export { REPORT_FORMATS, type ReportFormat } from './formats.js';
export type { OwnerReportFiles, ReportFiles } from './report-files.js';

export interface WriteReportsOptions {
  formats: readonly ReportFormat[];
  perOwner: boolean;
  /**
   * A renderer launched by the caller, or the caller's launch in progress (awaited only when the
   * PDFs are printed); reused, never closed here. Default: launch one for this call.
   */
  browser?: GivenBrowser;
  /** Knowledge base for the advice (e.g. the one the scan used, with a user data overlay); default: the shipped data. */
  knowledge?: KnowledgeBase;
  /** Report time (tests); default now. */
  now?: Date;
  /** More servers with findings than this → sections per distinct verdict. Default DEFAULT_GROUP_ABOVE (report/server-plan.ts). */
  groupAbove?: number;
  /** Rows per compact table before the rest is left to results.csv. Default DEFAULT_TABLE_LIMIT. */
  tableLimit?: number;
  /**
   * Scan history database (read only): adds "Since the last scan" and per-host history when the
   * run is recorded there. Default none; the CLI passes resolveHistoryPath(...).
   */
  historyPath?: string | null;
  /**
   * An open connection to the history that holds this run, perhaps not yet committed
   * (finish-run.ts); read instead of `historyPath`, and not closed here.
   */
  historyStore?: HistoryStore;
  /**
   * Work to overlap with printing: started once the main PDF is handed to Chromium (or its HTML is
   * written, without a PDF), beside results.csv and intelmq.jsonl, and awaited before this returns.
   * Not started when no document is written. Must not reject.
   */
  whilePrinting?: () => Promise<void>;
  /**
   * The survey of results.jsonl (server-survey.ts) when the caller made it in a pass of its own
   * (finish-run.ts: the history's); default: a first pass here.
   */
  survey?: ServerSurvey;
  /** How intelmq.jsonl is written (e.g. the top-level severity of IntelMQ 3.5). */
  intelmq?: IntelMqOptions;
}

export async function writeReports(runDir: string, options: WriteReportsOptions): Promise<ReportFiles> {
  const run = await readRunInfo(runDir);
  const history = openHistoryContext(options.historyStore ?? options.historyPath, run, runDir);
  try {
    return await writeWith(runDir, options, run, history);
  } finally {
    history.close();
  }
}

async function writeWith(
  runDir: string,
  options: WriteReportsOptions,
  run: RunInfo,
  history: HistoryContext,
): Promise<ReportFiles> {
  const formats = new Set(options.formats);
  const now = options.now ?? new Date();
  const advice = loadAdviceSource(options.knowledge);
  const files: ReportFiles = {
    html: null,
    pdf: null,
    csv: null,
    intelmq: null,
    intelmqEvents: 0,
    owners: [],
    endpoints: 0,
    skippedLines: 0,
    warnings: [],
    dataAge: dataAgeWarning(run.data.asOf, todayIso(now)),
    pdfBrowser: null,
  };
  if (advice.warning !== null) files.warnings.push(advice.warning);
  files.warnings.push(...history.warnings);
  // The e-mail drafts attach the owners' PDFs, so they come with the PDF format.
  const drafts = options.perOwner && formats.has('pdf');

  const base: Omit<ModelOptions, 'owner'> = {
    run,
    now,
    remediation: advice.remediation,
    groupAbove: options.groupAbove ?? DEFAULT_GROUP_ABOVE,
    tableLimit: options.tableLimit ?? DEFAULT_TABLE_LIMIT,
    perOwner: options.perOwner,
    adviceDataVersion: advice.dataVersion,
  };
  const resultsFile = join(runDir, RESULTS_FILE);
  const survey = options.survey ?? (await surveyOrExplain(resultsFile));
  const documents = formats.has('html') || formats.has('pdf');
  // Chromium starts (or its launch, begun by the caller, finishes) while the models are built.
  const pdfs = formats.has('pdf') ? startPdfs(options.browser, files.warnings) : null;
  let lines: Promise<LineExports> | null = null;
  let overlapped: Promise<void> | null = null;
  let htmlDir: string | null = null;
  try {
    const startLines = (): Promise<LineExports> =>
      writeLineExports(runDir, resultsFile, {
        csv: formats.has('csv'),
        intelmq: formats.has('intelmq'),
        bytes: survey.bytes,
        index: survey.index,
        hostHistory: history.hostHistory,
        intelRun: intelmqRunInfo(run),
        intelmqOptions: options.intelmq,
      }).catch((e: unknown) => {
        throw notARunDirectory(e, resultsFile);
      });
    let stats: ReadStats;
    let owners: OwnerModel[] = [];
    let main: ReportModel | null = null;
    if (documents) {
      const models = await buildModels(resultsFile, survey, base, history, options.perOwner, drafts);
      ({ main, stats } = models);
      owners = models.owners;
    } else {
      // Formats csv and/or intelmq alone: their pass is the only one.
      lines = startLines();
      stats = (await lines).stats;
    }
    files.endpoints = stats.records;
    files.skippedLines = stats.skippedLines;
    if (stats.skippedLines > 0)
      files.warnings.push(
        `${stats.skippedLines} line(s) of results.jsonl were not result records and were skipped.`,
      );
    if (options.perOwner && owners.length === 0 && stats.records > 0) {
      files.warnings.push(
        '--per-owner: no endpoint has an owner (the scan file defines no owners that match), so no per-owner report was written.',
      );
    }
    if (main === null) {
      await addLineExports(files, lines);
      return files;
    }

    // HTML: in the run directory when asked for; otherwise only as input to the PDF, in a temp dir.
    // The main document goes to Chromium first; results.csv and intelmq.jsonl, which need no
    // report model, are written while it prints: from when it prints, not while its page loads
    // (the load waits for this thread, which their pass keeps busy).
    const render = reportRenderer();
    htmlDir = formats.has('html') ? runDir : await mkdtemp(join(tmpdir(), 'owa-audit-report-'));
    const mainHtml = join(htmlDir, 'report.html');
    await writeFileAtomic(mainHtml, render(main.view(stats.skippedLines)));
    if (formats.has('html')) files.html = mainHtml;
    let handedOver = Promise.resolve();
    if (pdfs !== null) {
      let cue = (): void => undefined;
      handedOver = new Promise<void>((resolve) => (cue = resolve));
      pdfs.add({
        html: mainHtml,
        pdf: join(runDir, 'report.pdf'),
        opts: runningText(false),
        done: (p) => (files.pdf = p),
        handedOver: cue,
      });
    }
    if (formats.has('csv') || formats.has('intelmq')) {
      lines = handedOver.then(startLines);
      lines.catch(() => undefined); // awaited below, with the PDFs
    }
    if (options.whilePrinting !== undefined) overlapped = handedOver.then(options.whilePrinting);

    if (owners.length > 0) {
      await mkdir(join(runDir, 'owners'), { recursive: true });
      if (htmlDir !== runDir) await mkdir(join(htmlDir, 'owners'), { recursive: true });
    }
    for (const { owner, model } of owners) {
      const slug = ownerSlug(owner.name);
      const html = join(htmlDir, 'owners', `${slug}.html`);
      await writeFileAtomic(html, render(model.view(0)));
      const entry: OwnerReportFiles = {
        owner: owner.name,
        html: formats.has('html') ? html : null,
        pdf: null,
        eml: null,
      };
      files.owners.push(entry);
      pdfs?.add({
        html,
        pdf: join(runDir, 'owners', `${slug}.pdf`),
        opts: runningText(true),
        done: (p) => (entry.pdf = p),
      });
    }

    // A failure of the line files is reported before one of the PDFs (the order of the outputs
    // before they overlapped), and only once both have settled: no file is left half-written.
    const [written, printed] = await Promise.allSettled([lines, pdfs?.end() ?? null]);
    if (written.status === 'rejected') throw written.reason;
    if (printed.status === 'rejected') throw printed.reason;
    await addLineExports(files, lines);
    const pdf = printed.value;
    files.pdfBrowser = pdf?.browser ?? null;
    if (drafts) {
      const inputs = owners.flatMap(({ owner, digest }, i) => {
        const entry = files.owners[i];
        return entry === undefined || digest === null
          ? []
          : [{ owner, digest, pdf: entry.pdf, done: (eml: string) => (entry.eml = eml) }];
      });
      await writeOwnerDrafts(
        runDir,
        inputs,
        { run, since: history.since, now, noPdfReason: pdf?.problem ?? null },
        files.warnings,
      );
    }
    return files;
  } finally {
    // On a failure: the documents not yet printed are dropped, the line files settle (each is
    // complete or not there), and a browser launched here is closed.
    await pdfs?.abort();
    await lines?.catch(() => undefined);
    await overlapped;
    if (htmlDir !== null && htmlDir !== runDir) await rm(htmlDir, { recursive: true, force: true });
  }
}

async function addLineExports(files: ReportFiles, lines: Promise<LineExports> | null): Promise<void> {
  if (lines === null) return;
  const written = await lines;
  files.csv = written.csv;
  files.intelmq = written.intelmq;
  files.intelmqEvents = written.intelmqEvents;
}

/** The first pass; a directory without results.jsonl is bad input, not a crash. */
async function surveyOrExplain(file: string): Promise<ServerSurvey> {
  try {
    return await surveyServers(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new InputError('not a run directory: results.jsonl is missing', { file });
    throw e;
  }
}

function intelmqRunInfo(run: RunInfo): IntelMqRunInfo {
  return {
    name: run.name,
    provider: run.authorisation.by,
    reference: run.authorisation.reference,
    toolVersion: run.tool.version,
    dataVersion: run.data.version,
  };
}
