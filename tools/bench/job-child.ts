// One measured job per process (a fresh process each time, so a peak is that job's peak): the
// reference client or report rendering. (Scans run as the CLI, cli-run.ts.) Each job imports what it
// needs when it starts: the reference client's process holds node:https and nothing of the product.
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serveParent } from './children.js';
import type { JobMemory, RenderJob, RenderResult, ReferenceJob, ReferenceJobResult } from './job-protocol.js';
import { startMemorySampler, type MemoryPeaks } from './memory-sampler.js';
import { runReferenceClient } from './reference-client.js';
import { mainThreadBetween, mainThreadTimes } from './main-thread.js';

function collect(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function memoryOf(peaks: MemoryPeaks, baselineRss: number, baselineHeap: number): JobMemory {
  collect();
  const end = process.memoryUsage();
  return {
    baselineRssBytes: baselineRss,
    baselineHeapUsedBytes: baselineHeap,
    peakRssBytes: Math.max(peaks.peakRssBytes, peaks.hwmRssBytes ?? 0),
    sampledPeakRssBytes: peaks.peakRssBytes,
    peakHeapUsedBytes: peaks.peakHeapUsedBytes,
    endRssBytes: end.rss,
    endHeapUsedAfterGcBytes: end.heapUsed,
    peakTreeBytes: peaks.peakTreeBytes,
  };
}

async function referenceJob(job: ReferenceJob): Promise<ReferenceJobResult> {
  collect();
  const base = process.memoryUsage();
  const sampler = startMemorySampler();
  const cpu = process.cpuUsage();
  const main = mainThreadTimes();
  const r = await runReferenceClient(job.hosts, job.concurrency, job.timeoutMs);
  const mainThread = mainThreadBetween(main, mainThreadTimes());
  const used = process.cpuUsage(cpu);
  return {
    ...r,
    cpuMs: (used.user + used.system) / 1000,
    mainThread,
    memory: memoryOf(sampler.stop(), base.rss, base.heapUsed),
  };
}

async function pdfPages(path: string): Promise<number | null> {
  try {
    const { stdout } = await promisify(execFile)('pdfinfo', [path], { timeout: 30_000 });
    const m = /^Pages:\s+(\d+)/m.exec(stdout);
    return m?.[1] === undefined ? null : Number(m[1]);
  } catch {
    return null;
  }
}

async function renderJob(job: RenderJob): Promise<RenderResult> {
  const { PdfRenderer } = await import('../../src/report/index.js');
  const { writeReports } = await import('../../src/outputs/write-reports.js');
  const { writeSyntheticRun } = await import('./synthetic-run.js');
  await writeSyntheticRun(job.dir, job.count);
  collect();
  const base = process.memoryUsage();
  const sampler = startMemorySampler();
  let t = performance.now();
  await writeReports(job.dir, { formats: ['html'], perOwner: false, historyPath: null });
  const htmlMs = performance.now() - t;
  const htmlBytes = (await stat(join(job.dir, 'report.html'))).size;
  let pdf: RenderResult['pdf'] = null;
  if (job.browser !== null) {
    t = performance.now();
    const renderer = await PdfRenderer.launch(job.browser);
    const launchMs = performance.now() - t;
    const browserPid = renderer.browser.process()?.pid;
    if (browserPid !== undefined) sampler.watchTree(browserPid);
    try {
      t = performance.now();
      await writeReports(job.dir, {
        formats: ['pdf'],
        perOwner: false,
        historyPath: null,
        browser: renderer,
      });
      const pdfMs = performance.now() - t;
      const file = join(job.dir, 'report.pdf');
      pdf = { launchMs, pdfMs, bytes: (await stat(file)).size, pages: await pdfPages(file) };
    } finally {
      await renderer.close();
    }
  }
  return {
    count: job.count,
    htmlMs,
    htmlBytes,
    pdf,
    memory: memoryOf(sampler.stop(), base.rss, base.heapUsed),
  };
}

serveParent({ pid: process.pid }, async (message) => {
  // One job per process: the parent ends the process once it has the answer.
  const job = message as unknown as ReferenceJob | RenderJob;
  if (job.op === 'reference') return referenceJob(job);
  return renderJob(job);
});
