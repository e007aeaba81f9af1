// Printing the report documents to PDF: one browser per `report` call, a couple of documents at
// once, each written to a temporary file and renamed into place.
import { replaceFile } from '../util/atomic-file.js';
import type { Owner } from '../core/result-schema.js';
import { launchFirstBrowser, PdfRenderer, type LaunchOutcome, type PdfOptions } from './pdf.js';

export interface PdfJob {
  html: string;
  pdf: string;
  opts: PdfOptions;
  done: (path: string) => void;
}

export function pdfText(owner: Owner | null): PdfOptions {
  // Running header/footer: fixed words only, nothing from the scan or a scanned server.
  return {
    header:
      owner === null ? 'owa-audit · Exchange Server exposure report' : 'owa-audit · Security notification',
    footer: owner === null ? 'Exchange Server exposure report' : 'Security notification — Exchange servers',
  };
}

/** Documents rendered at once: on 2 busy cores 2 was ~15% faster than 1 for per-owner batches. */
const PDF_PARALLEL = 2;

export interface PdfOutcome {
  /** Why no PDF was rendered (for the e-mail drafts), or null. */
  problem: string | null;
  /** The browser that printed them (PdfRenderer.description), or null. */
  browser: string | null;
}

/**
 * The caller's browser: one running, or a launch the caller started earlier (e.g. during a scan's
 * probe phase), awaited only now. Either way the caller closes it.
 */
export type GivenBrowser = PdfRenderer | Promise<LaunchOutcome>;

/** Renders the PDFs with the given browser, or with the first browser that starts (chromium.ts). */
export async function renderPdfs(
  jobs: PdfJob[],
  given: GivenBrowser | undefined,
  warnings: string[],
): Promise<PdfOutcome> {
  const launched = given instanceof PdfRenderer ? { renderer: given } : await (given ?? launchFirstBrowser());
  if ('problem' in launched) {
    warnings.push(launched.problem);
    return {
      problem: 'no PDF renderer (Chromium) was available when the report was written',
      browser: null,
    };
  }
  const renderer = launched.renderer;
  try {
    const r = renderer;
    const renderOne = async (job: PdfJob): Promise<void> => {
      await replaceFile(job.pdf, (temp) => r.render(job.html, temp, job.opts));
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
    const results = await Promise.allSettled(
      Array.from({ length: Math.min(PDF_PARALLEL, queue.length) }, worker),
    );
    const failed = results.find((x): x is PromiseRejectedResult => x.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  } finally {
    if (given === undefined) await renderer.close();
  }
  return { problem: null, browser: renderer.description };
}
