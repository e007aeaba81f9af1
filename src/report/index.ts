// writeReports: a run directory → report.html, report.pdf, results.csv and, with perOwner, one
// notification per owner under owners/. One streaming pass over results.jsonl feeds every output;
// the browser is launched once per call. Without a usable Chromium the HTML and CSV are still
// written and the result carries a warning that says how to get PDFs.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { KnowledgeBase } from '../classify/index.js';
import { InputError } from '../errors.js';
import type { Owner } from '../results/schema.js';
import { findChromium, INSTALL_HINT } from './chromium.js';
import { csvHeader, csvRow } from './csv.js';
import { reportRenderer } from './html.js';
import { loadAdviceSource } from './knowledge.js';
import { freshnessWarning } from './meta-view.js';
import { ownerSlug } from './owner-files.js';
import { PdfRenderer, type PdfOptions } from './pdf.js';
import { ReportModel, type ModelOptions } from './report-model.js';
import { readResults, type ReadStats } from '../results/read.js';
import { readRunInfo, RESULTS_FILE } from './run-input.js';

export { PdfRenderer } from './pdf.js';
export { findChromium, INSTALL_HINT } from './chromium.js';
export { CSV_COLUMNS } from './csv.js';
export { ownerSlug } from './owner-files.js';

export const REPORT_FORMATS = ['html', 'pdf', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface WriteReportsOptions {
  formats: readonly ReportFormat[];
  perOwner: boolean;
  /** A renderer launched by the caller (reused, not closed); default: launch one for this call. */
  browser?: PdfRenderer;
  /** Knowledge base for the advice (e.g. the one the scan used, with a user data overlay); default: the shipped data. */
  knowledge?: KnowledgeBase;
  /** Report time (tests); default now. */
  now?: Date;
  /** More hosts with findings than this → sections per distinct verdict. Default 200. */
  groupAbove?: number;
  /** Rows per compact table before the rest is left to results.csv. Default 300. */
  tableLimit?: number;
}

export interface OwnerReportFiles {
  owner: string;
  html: string | null;
  pdf: string | null;
}

export interface ReportFiles {
  html: string | null;
  pdf: string | null;
  csv: string | null;
  owners: OwnerReportFiles[];
  endpoints: number;
  skippedLines: number;
  /** Things the user should know (no Chromium, stale data, unreadable lines); for stderr. */
  warnings: string[];
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}

async function writeChunk(out: WriteStream, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

interface PdfJob {
  html: string;
  pdf: string;
  opts: PdfOptions;
  done: (path: string) => void;
}

export async function writeReports(runDir: string, options: WriteReportsOptions): Promise<ReportFiles> {
  const formats = new Set(options.formats);
  const run = await readRunInfo(runDir);
  const now = options.now ?? new Date();
  const advice = loadAdviceSource(options.knowledge);
  const files: ReportFiles = { html: null, pdf: null, csv: null, owners: [], endpoints: 0, skippedLines: 0, warnings: [] };
  if (advice.warning !== null) files.warnings.push(advice.warning);
  const stale = freshnessWarning(run.data.asOf, now);
  if (stale !== null) files.warnings.push(stale);

  const base: Omit<ModelOptions, 'owner'> = {
    run,
    now,
    remediation: advice.remediation,
    groupAbove: options.groupAbove ?? 200,
    tableLimit: options.tableLimit ?? 300,
    perOwner: options.perOwner,
    adviceDataVersion: advice.dataVersion,
  };
  const main = new ReportModel({ ...base, owner: null });
  const owners = new Map<string, { owner: Owner; model: ReportModel }>();

  const csvPath = join(runDir, 'results.csv');
  const csvTmp = `${csvPath}.tmp-${process.pid}`;
  const csv = formats.has('csv') ? createWriteStream(csvTmp, { encoding: 'utf8' }) : null;
  const stats: ReadStats = { records: 0, skippedLines: 0 };
  try {
    if (csv !== null) await writeChunk(csv, csvHeader());
    for await (const r of readResults(join(runDir, RESULTS_FILE), stats)) {
      main.add(r);
      if (options.perOwner && r.owner !== null) {
        let o = owners.get(r.owner.name);
        if (o === undefined) {
          o = { owner: r.owner, model: new ReportModel({ ...base, owner: r.owner }) };
          owners.set(r.owner.name, o);
        }
        o.model.add(r);
      }
      if (csv !== null) await writeChunk(csv, csvRow(r));
    }
    if (csv !== null) {
      csv.end();
      await once(csv, 'finish');
      await rename(csvTmp, csvPath);
      files.csv = csvPath;
    }
  } catch (e) {
    csv?.destroy();
    if (csv !== null) await rm(csvTmp, { force: true });
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError('not a run directory: results.jsonl is missing', { file: join(runDir, RESULTS_FILE) });
    }
    throw e;
  }
  files.endpoints = stats.records;
  files.skippedLines = stats.skippedLines;
  if (stats.skippedLines > 0) files.warnings.push(`${stats.skippedLines} line(s) of results.jsonl were not result records and were skipped.`);

  if (options.perOwner && owners.size === 0 && stats.records > 0) {
    files.warnings.push('--per-owner: no endpoint has an owner (the scan file defines no owners that match), so no per-owner report was written.');
  }
  if (!formats.has('html') && !formats.has('pdf')) return files;

  // HTML: in the run directory when asked for; otherwise only as input to the PDF, in a temp dir.
  const render = reportRenderer();
  const htmlDir = formats.has('html') ? runDir : await mkdtemp(join(tmpdir(), 'owa-audit-report-'));
  const jobs: PdfJob[] = [];
  try {
    const mainHtml = join(htmlDir, 'report.html');
    await writeAtomic(mainHtml, render(main.view(stats.skippedLines)));
    if (formats.has('html')) files.html = mainHtml;
    jobs.push({ html: mainHtml, pdf: join(runDir, 'report.pdf'), opts: pdfText(null), done: (p) => (files.pdf = p) });

    if (owners.size > 0) {
      await mkdir(join(runDir, 'owners'), { recursive: true });
      if (htmlDir !== runDir) await mkdir(join(htmlDir, 'owners'), { recursive: true });
    }
    for (const { owner, model } of [...owners.values()].sort((a, b) => a.owner.name.localeCompare(b.owner.name))) {
      const slug = ownerSlug(owner.name);
      const html = join(htmlDir, 'owners', `${slug}.html`);
      await writeAtomic(html, render(model.view(0)));
      const entry: OwnerReportFiles = { owner: owner.name, html: formats.has('html') ? html : null, pdf: null };
      files.owners.push(entry);
      jobs.push({ html, pdf: join(runDir, 'owners', `${slug}.pdf`), opts: pdfText(owner), done: (p) => (entry.pdf = p) });
    }

    if (formats.has('pdf')) await renderPdfs(jobs, options.browser, files.warnings);
  } finally {
    if (htmlDir !== runDir) await rm(htmlDir, { recursive: true, force: true });
  }
  return files;
}

function pdfText(owner: Owner | null): PdfOptions {
  // Running header/footer: fixed words only, nothing from the scan or a scanned server.
  return {
    header: owner === null ? 'owa-audit · Exchange Server exposure report' : 'owa-audit · Security notification',
    footer: owner === null ? 'Exchange Server exposure report' : 'Security notification — Exchange servers',
  };
}

/** Documents rendered at once: on 2 busy cores 2 was ~15% faster than 1 for per-owner batches. */
const PDF_PARALLEL = 2;

async function renderPdfs(jobs: PdfJob[], given: PdfRenderer | undefined, warnings: string[]): Promise<void> {
  let renderer = given ?? null;
  if (renderer === null) {
    const chromium = findChromium();
    if (!chromium.found) {
      warnings.push(`PDF not written: ${chromium.reason} ${INSTALL_HINT}`);
      return;
    }
    try {
      renderer = await PdfRenderer.launch(chromium.path);
    } catch (e) {
      warnings.push(`PDF not written: Chromium at ${chromium.path} did not start (${(e as Error).message.split('\n')[0] ?? ''}). ${INSTALL_HINT}`);
      return;
    }
  }
  try {
    const r = renderer;
    const renderOne = async (job: PdfJob): Promise<void> => {
      const tmp = `${job.pdf}.tmp-${process.pid}`;
      try {
        await r.render(job.html, tmp, job.opts);
        await rename(tmp, job.pdf);
      } catch (e) {
        await rm(tmp, { force: true });
        throw e;
      }
      job.done(job.pdf);
    };
    // Chromium renders each page in its own process: a few documents at once use the cores.
    const queue = [...jobs];
    const worker = async (): Promise<void> => {
      try {
        for (let job = queue.shift(); job !== undefined; job = queue.shift()) await renderOne(job);
      } catch (e) {
        queue.length = 0; // the other worker stops after its current document
        throw e;
      }
    };
    const results = await Promise.allSettled(Array.from({ length: Math.min(PDF_PARALLEL, queue.length) }, worker));
    const failed = results.find((x): x is PromiseRejectedResult => x.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  } finally {
    if (given === undefined) await renderer.close();
  }
}
