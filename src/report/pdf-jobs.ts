// Printing the report documents to PDF: one browser per `report` call, a couple of documents at
// once, each written to a temporary file and renamed into place. The queue starts printing the
// first document as soon as it is added, so the writer can render the next ones — and write the
// files that need no PDF — while Chromium prints (it runs in processes of its own).
import { replaceFile } from '../util/atomic-file.js';
import type { RunningText } from './running-text.js';
import { launchFirstBrowser, PdfRenderer, type LaunchOutcome } from './pdf.js';

export interface PdfJob {
  html: string;
  pdf: string;
  /** The running header and footer's words (running-text.ts runningText). */
  opts: RunningText;
  done: (path: string) => void;
  /**
   * Called once, when Chromium has loaded the document and prints it, or when it never will (no
   * browser, a failure, dropped): the writer's cue for work that would hold up the page load, which
   * needs this thread (every request of the page is decided here).
   */
  handedOver?: () => void;
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

/** PDFs being printed while their documents are still being added. */
export interface PdfQueue {
  /** Prints `job` as soon as a worker is free (dropped, and handed over, once a document has failed). */
  add(job: PdfJob): void;
  /**
   * No more documents: waits for every one added. Throws the first failure (after every document
   * in progress has settled); a browser launched here is closed either way.
   */
  end(): Promise<PdfOutcome>;
  /** Drops the documents not started, then as end() but never throws (the writer failed). */
  abort(): Promise<void>;
}

/**
 * Starts printing with the given browser, or with the first browser that starts (chromium.ts);
 * without one, end() adds the message that says why to `warnings`.
 */
export function startPdfs(given: GivenBrowser | undefined, warnings: string[]): PdfQueue {
  const launched: Promise<LaunchOutcome> =
    given instanceof PdfRenderer
      ? Promise.resolve({ renderer: given })
      : (given ?? launchFirstBrowser()).catch((e: unknown) => ({
          problem: `PDF not written: the browser could not be started (${String(e)})`,
        }));
  const pending: PdfJob[] = [];
  let ended = false;
  let failed = false;
  let accepting = true; // false once no worker takes documents any more
  const release = (job: PdfJob): void => {
    const cue = job.handedOver;
    delete job.handedOver;
    cue?.();
  };
  const drop = (): void => {
    for (const job of pending.splice(0)) release(job);
  };
  let wake: (() => void) | null = null;
  let arrived = new Promise<void>((resolve) => (wake = resolve));
  const signal = (): void => {
    const w = wake;
    arrived = new Promise<void>((resolve) => (wake = resolve));
    w?.();
  };
  const next = async (): Promise<PdfJob | null> => {
    for (;;) {
      if (failed) return null;
      const job = pending.shift();
      if (job !== undefined) return job;
      if (ended) return null;
      await arrived;
    }
  };
  const worker = async (renderer: PdfRenderer): Promise<void> => {
    try {
      for (let job = await next(); job !== null; job = await next()) {
        const j = job;
        try {
          await replaceFile(j.pdf, (temp) => renderer.render(j.html, temp, j.opts, () => release(j)));
        } finally {
          release(j);
        }
        j.done(j.pdf);
      }
    } catch (e) {
      failed = true; // the other worker stops after its current document
      drop();
      signal();
      throw e;
    }
  };
  const printed: Promise<PdfOutcome & { warning?: string }> = (async () => {
    const outcome = await launched;
    if ('problem' in outcome) {
      accepting = false;
      drop();
      return {
        problem: 'no PDF renderer (Chromium) was available when the report was written',
        browser: null,
        warning: outcome.problem,
      };
    }
    const renderer = outcome.renderer;
    try {
      const results = await Promise.allSettled(Array.from({ length: PDF_PARALLEL }, () => worker(renderer)));
      const failure = results.find((x): x is PromiseRejectedResult => x.status === 'rejected');
      if (failure !== undefined) throw failure.reason;
    } finally {
      accepting = false;
      drop();
      if (given === undefined) await renderer.close();
    }
    return { problem: null, browser: renderer.description };
  })();
  printed.catch(() => undefined); // not unhandled while the writer works: end() throws it
  let ending: Promise<PdfOutcome> | null = null;
  const finish = (): Promise<PdfOutcome> => {
    ended = true;
    signal();
    ending ??= printed.then(({ warning, ...outcome }) => {
      // Said when the writer ends, so the warnings keep the order they had before printing overlapped.
      if (warning !== undefined) warnings.push(warning);
      return outcome;
    });
    return ending;
  };
  return {
    add: (job) => {
      const own = { ...job };
      if (ended || failed || !accepting) {
        release(own);
        return;
      }
      pending.push(own);
      signal();
    },
    end: finish,
    abort: async () => {
      drop();
      await finish().catch(() => undefined);
    },
  };
}
