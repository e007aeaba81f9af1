// The end of a scan, made ready while its last endpoints are in flight. Nothing of the report stack
// (handlebars, puppeteer, SQLite, nodemailer) is loaded before then, so a scan's baseline memory
// stays low; once its targets are exhausted (src/scan/run-scan.ts), those modules are imported in
// the background, the report renderer is made ready when a document (HTML or PDF) is wanted and,
// when a PDF is wanted, the browser is launched, so little of it waits after the last request and
// none of it takes the CPU while the scan is in full flight. Whoever prepares closes: `close()` on
// every path (reports written, error, stop).
import type { BrowserCandidate } from '../report/chromium.js';
import type { LaunchOutcome } from '../report/pdf.js';
import type { finishRun } from './finish-run.js';

export type { BrowserCandidate };

export interface PreparedOutputs {
  /** finishRun, from the modules imported in the background (an import error is thrown here). */
  finishRun(): Promise<typeof finishRun>;
  /** The browser being launched for the PDFs, or the message why none could be; null: no PDF wanted. */
  readonly browser: Promise<LaunchOutcome> | null;
  /** Closes the browser if one started; never throws (puppeteer kills it at exit anyway). */
  close(): Promise<void>;
}

export interface PrepareOptions {
  /** Whether a PDF is wanted (then the browser is launched now). */
  pdf: boolean;
  /** Whether a document (HTML or PDF) is wanted (then its renderer is made ready now). */
  documents?: boolean;
  /** The browsers to try, in order; default this machine's (report/chromium.ts). */
  browsers?: readonly BrowserCandidate[] | undefined;
}

export function prepareOutputs(opts: PrepareOptions): PreparedOutputs {
  const modules = import('./finish-run.js');
  modules.catch(() => undefined); // not unhandled while the scan runs: finishRun() throws it
  if (opts.documents === true || opts.pdf) {
    // Made once per process (html.ts caches it): the writer's own call then finds it ready. A
    // renderer that cannot be made fails that call, with its message, not this one.
    void modules.then((m) => m.prepareDocuments()).catch(() => undefined);
  }
  const browser: Promise<LaunchOutcome> | null = opts.pdf
    ? import('../report/pdf.js')
        .then((m) => m.launchFirstBrowser(opts.browsers))
        .catch((e: unknown) => ({
          problem: `PDF not written: the browser could not be started (${String(e)})`,
        }))
    : null;
  let closing: Promise<void> | null = null;
  return {
    finishRun: async () => (await modules).finishRun,
    browser,
    close: () => {
      closing ??= (async () => {
        const launched = await browser;
        if (launched !== null && 'renderer' in launched)
          await launched.renderer.close().catch(() => undefined);
      })();
      return closing;
    },
  };
}
