// writeReports: a run directory → report.html, report.pdf, results.csv, intelmq.jsonl and, with
// perOwner, one notification per owner under owners/ (HTML, PDF and an .eml draft with the PDF
// attached). Two streaming passes over results.jsonl: the first groups the endpoints into servers
// (server-survey.ts), the second feeds every output; the browser is launched
// once per call. Without a usable Chromium the HTML and CSV are still written and the result
// carries a warning that says how to get PDFs. With a history database, the reports also say
// what changed since the last scan and, per host, since when it is exposed.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataAgeWarning, type KnowledgeBase } from '../classify/index.js';
import { todayIso } from '../core/time.js';
import { InputError } from '../core/errors.js';
import type { Owner } from '../core/result-schema.js';
import { csvHeader, csvRow } from '../report/csv.js';
import { reportRenderer } from '../report/html.js';
import { loadAdviceSource } from '../report/knowledge.js';
import { ownerSlug } from '../report/owner-files.js';
import { ReportModel, type ModelOptions } from '../report/report-model.js';
import { readResults, type ReadStats } from '../run-store/read-results.js';
import { readRunInfo, type RunInfo } from '../run-store/run-info.js';
import { RESULTS_FILE } from '../run-store/run-dir.js';
import {
  INTELMQ_FILE,
  intelmqEvent,
  intelmqLine,
  type IntelMqOptions,
  type IntelMqRunInfo,
} from '../export/intelmq.js';
import { diffForOwner } from '../history/diff.js';
import { OwnerDigest } from '../notify/digest.js';
import { openHistoryContext, type HistoryContext } from '../report/history-context.js';
import { LineFile, writeFileAtomic } from '../util/atomic-file.js';
import { pdfText, renderPdfs, type GivenBrowser, type PdfJob } from '../report/pdf-jobs.js';
import { writeOwnerDrafts } from './owner-drafts.js';
import type { ReportFormat } from './formats.js';
import { surveyServers, type ServerSurvey } from '../report/server-survey.js';
import type { ServerFacts } from '../report/server-table.js';

export { REPORT_FORMATS, type ReportFormat } from './formats.js';

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
  /** More hosts with findings than this → sections per distinct verdict. Default 200. */
  groupAbove?: number;
  /** Rows per compact table before the rest is left to results.csv. Default 300. */
  tableLimit?: number;
  /**
   * Scan history database (read only): adds "Since the last scan" and per-host history when the
   * run is recorded there. Default none; the CLI passes resolveHistoryPath(...).
   */
  historyPath?: string | null;
  /** How intelmq.jsonl is written (e.g. the top-level severity of IntelMQ 3.5). */
  intelmq?: IntelMqOptions;
}

export interface OwnerReportFiles {
  owner: string;
  html: string | null;
  pdf: string | null;
  /** Notification draft (RFC 5322), written with the PDFs; the PDF attached when it was rendered. */
  eml: string | null;
}

export interface ReportFiles {
  html: string | null;
  pdf: string | null;
  csv: string | null;
  /** IntelMQ events, one JSON line per Exchange endpoint that needs action. */
  intelmq: string | null;
  /** Events written to intelmq.jsonl. */
  intelmqEvents: number;
  owners: OwnerReportFiles[];
  endpoints: number;
  skippedLines: number;
  /** Things the user should know (no browser for the PDF, unreadable lines); for stderr. */
  warnings: string[];
  /**
   * The data-age warning for the run's data (classify/freshness.ts), or null while it is fresh.
   * Apart from `warnings`: a command that already said how old its data is does not say it twice.
   */
  dataAge: string | null;
  /** The browser that printed the PDFs (PdfRenderer.description), or null when none were printed. */
  pdfBrowser: string | null;
}

export async function writeReports(runDir: string, options: WriteReportsOptions): Promise<ReportFiles> {
  const run = await readRunInfo(runDir);
  const history = openHistoryContext(options.historyPath, run, runDir);
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
    groupAbove: options.groupAbove ?? 200,
    tableLimit: options.tableLimit ?? 300,
    perOwner: options.perOwner,
    adviceDataVersion: advice.dataVersion,
  };
  const resultsFile = join(runDir, RESULTS_FILE);
  const survey = await surveyOrExplain(resultsFile);
  const { index } = survey;
  const { since, hostLine } = history;
  const main = new ReportModel(
    { ...base, owner: null, history: { since, host: hostLine } },
    { index, facts: survey.servers.main, byOwner: survey.servers.byOwner },
  );
  const owners = new Map<string, { owner: Owner; model: ReportModel; digest: OwnerDigest | null }>();
  const { hostHistory } = history;

  const csv = formats.has('csv') ? LineFile.open(join(runDir, 'results.csv')) : null;
  const intel = formats.has('intelmq') ? LineFile.open(join(runDir, INTELMQ_FILE)) : null;
  const intelRun = intelmqRunInfo(run);
  const stats: ReadStats = { records: 0, skippedLines: 0 };
  try {
    if (csv !== null) await csv.write(csvHeader());
    // A scan still running appends records: this pass reads the bytes the survey read.
    for await (const r of readResults(resultsFile, stats, { bytes: survey.bytes })) {
      const server = index.keyOf(r);
      main.add(r, server);
      if (options.perOwner && r.owner !== null) {
        let o = owners.get(r.owner.name);
        if (o === undefined) {
          const ownSince = since === null ? null : diffForOwner(since, r.owner.name);
          const servers = {
            index,
            facts: survey.servers.byOwner.get(r.owner.name) ?? new Map<string, ServerFacts>(),
          };
          o = {
            owner: r.owner,
            model: new ReportModel(
              { ...base, owner: r.owner, history: { since: ownSince, host: hostLine } },
              { ...servers, byOwner: null },
            ),
            digest: drafts ? new OwnerDigest(advice.remediation, hostHistory, servers) : null,
          };
          owners.set(r.owner.name, o);
        }
        o.model.add(r, server);
        o.digest?.add(r, server);
      }
      if (csv !== null) await csv.write(csvRow(r, hostHistory === null ? null : hostHistory(r), server));
      const event = intel === null ? null : intelmqEvent(r, intelRun, options.intelmq, server);
      if (intel !== null && event !== null) {
        await intel.write(intelmqLine(event));
        files.intelmqEvents++;
      }
    }
    if (csv !== null) files.csv = await csv.commit();
    if (intel !== null) files.intelmq = await intel.commit();
  } catch (e) {
    await csv?.abort();
    await intel?.abort();
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError('not a run directory: results.jsonl is missing', {
        file: join(runDir, RESULTS_FILE),
      });
    }
    throw e;
  }
  files.endpoints = stats.records;
  files.skippedLines = stats.skippedLines;
  if (stats.skippedLines > 0)
    files.warnings.push(
      `${stats.skippedLines} line(s) of results.jsonl were not result records and were skipped.`,
    );

  if (options.perOwner && owners.size === 0 && stats.records > 0) {
    files.warnings.push(
      '--per-owner: no endpoint has an owner (the scan file defines no owners that match), so no per-owner report was written.',
    );
  }
  if (!formats.has('html') && !formats.has('pdf')) return files;

  // HTML: in the run directory when asked for; otherwise only as input to the PDF, in a temp dir.
  const render = reportRenderer();
  const htmlDir = formats.has('html') ? runDir : await mkdtemp(join(tmpdir(), 'owa-audit-report-'));
  const jobs: PdfJob[] = [];
  try {
    const mainHtml = join(htmlDir, 'report.html');
    await writeFileAtomic(mainHtml, render(main.view(stats.skippedLines)));
    if (formats.has('html')) files.html = mainHtml;
    jobs.push({
      html: mainHtml,
      pdf: join(runDir, 'report.pdf'),
      opts: pdfText(null),
      done: (p) => (files.pdf = p),
    });

    if (owners.size > 0) {
      await mkdir(join(runDir, 'owners'), { recursive: true });
      if (htmlDir !== runDir) await mkdir(join(htmlDir, 'owners'), { recursive: true });
    }
    const sorted = [...owners.values()].sort((a, b) => a.owner.name.localeCompare(b.owner.name));
    for (const { owner, model } of sorted) {
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
      jobs.push({
        html,
        pdf: join(runDir, 'owners', `${slug}.pdf`),
        opts: pdfText(owner),
        done: (p) => (entry.pdf = p),
      });
    }

    const pdf = formats.has('pdf') ? await renderPdfs(jobs, options.browser, files.warnings) : null;
    files.pdfBrowser = pdf?.browser ?? null;
    if (drafts) {
      const inputs = sorted.flatMap(({ owner, digest }, i) => {
        const entry = files.owners[i];
        return entry === undefined || digest === null
          ? []
          : [{ owner, digest, pdf: entry.pdf, done: (eml: string) => (entry.eml = eml) }];
      });
      await writeOwnerDrafts(
        runDir,
        inputs,
        { run, since, now, noPdfReason: pdf?.problem ?? null },
        files.warnings,
      );
    }
  } finally {
    if (htmlDir !== runDir) await rm(htmlDir, { recursive: true, force: true });
  }
  return files;
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
