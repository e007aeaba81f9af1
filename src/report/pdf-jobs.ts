// Printing the report documents to PDF: one Chromium per `report` call, a couple of documents at
// once, each written to a temporary file and renamed into place.
import { rename, rm } from 'node:fs/promises';
import type { Owner } from '../results/schema.js';
import { findChromium, INSTALL_HINT } from './chromium.js';
import { PdfRenderer, type PdfOptions } from './pdf.js';

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

/** Renders the PDFs; returns why none could be rendered (for the e-mail drafts), or null. */
export async function renderPdfs(
  jobs: PdfJob[],
  given: PdfRenderer | undefined,
  warnings: string[],
): Promise<string | null> {
  let renderer = given ?? null;
  if (renderer === null) {
    const chromium = findChromium();
    if (!chromium.found) {
      warnings.push(`PDF not written: ${chromium.reason} ${INSTALL_HINT}`);
      return 'no PDF renderer (Chromium) was available when the report was written';
    }
    try {
      renderer = await PdfRenderer.launch(chromium.path);
    } catch (e) {
      warnings.push(
        `PDF not written: Chromium at ${chromium.path} did not start (${(e as Error).message.split('\n')[0] ?? ''}). ${INSTALL_HINT}`,
      );
      return 'the PDF renderer (Chromium) did not start when the report was written';
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
    const results = await Promise.allSettled(
      Array.from({ length: Math.min(PDF_PARALLEL, queue.length) }, worker),
    );
    const failed = results.find((x): x is PromiseRejectedResult => x.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  } finally {
    if (given === undefined) await renderer.close();
  }
  return null;
}
