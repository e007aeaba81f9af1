// PDF rendering through Chromium (puppeteer-core; which browser: chromium.ts). One browser per
// `report` call, a new page per document. The page runs no JavaScript and may load nothing but
// the report document itself: every other request (images, fonts, links, prefetches) is aborted,
// so rendering a report never sends a packet, whatever a scanned server managed to put in it.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';
import type { Browser, HTTPRequest, Page } from 'puppeteer-core';
import {
  chromiumArgs,
  defaultCandidates,
  noBrowserMessage,
  type BrowserCandidate,
  type LocatedBrowser,
} from './chromium.js';
import { fontEnvironment } from './fonts.js';
import { headerFooterTemplates, printsMarginBoxes, type RunningText } from './running-text.js';

const PDF_TIMEOUT_MS = 15 * 60_000;

export class PdfRenderer {
  /** Requests the page tried to make besides the document (all aborted). For tests and logs. */
  blockedRequests: string[] = [];

  /**
   * A page opened while nothing is printing (at launch, which a scan does during its probe phase),
   * so the first document does not wait for one; taken by the first render.
   */
  private spare: Promise<GuardedPage> | null;

  private constructor(
    /** The running browser, for callers that need another page (tests open the report with JS on). */
    readonly browser: Browser,
    /** Which browser prints, for the user: "HeadlessChrome/143.0.7499.0 (bundled …: /path)". */
    readonly description: string,
    private readonly userDataDir: string,
    /** Whether the document's own page-margin boxes print the running text (else Chromium's templates). */
    private readonly marginBoxes: boolean,
  ) {
    this.spare = this.guardedPage();
    this.spare.catch(() => undefined); // a failure is thrown by the render that takes it
  }

  static async launch(located: LocatedBrowser): Promise<PdfRenderer> {
    const userDataDir = await mkdtemp(join(tmpdir(), 'owa-audit-chromium-'));
    try {
      const fonts = await fontEnvironment(userDataDir, located.fontDirs);
      const browser = await puppeteer.launch({
        executablePath: located.executable,
        headless: located.headless,
        pipe: true, // no DevTools port on localhost
        args: chromiumArgs(userDataDir),
        env: { ...process.env, ...located.env, ...fonts },
        timeout: 60_000,
        // A browser started during a scan must not take over Ctrl-C (puppeteer's own handler quits
        // the process at once): the scan stops cleanly and closes it. On exit it is killed anyway.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
      const version = await browser.version().catch(() => 'Chromium');
      const description = `${version} (${located.label}: ${located.executable})`;
      return new PdfRenderer(browser, description, userDataDir, printsMarginBoxes(version));
    } catch (e) {
      await rm(userDataDir, { recursive: true, force: true });
      throw e;
    }
  }

  /**
   * A new page per document: measured, reusing one page let Chromium's memory grow by ~100 MB per
   * large document, while a new page costs ~0.1 s and keeps it flat.
   */
  private async guardedPage(): Promise<GuardedPage> {
    const page = await this.browser.newPage();
    await page.setJavaScriptEnabled(false);
    // Laid out for print from the start: printing then finds the style and layout of print media
    // done at load, and skips two of its four full layouts of the document (~0.15–0.25 s of the
    // bench's 600-host report, from a Chromium trace). The PDF is the same: printing applies print
    // media anyway.
    await page.emulateMediaType('print');
    await page.setRequestInterception(true);
    let allowedUrl: string | null = null; // nothing before allow(): the page stays about:blank
    page.on('request', (req: HTTPRequest) => {
      if (req.isInterceptResolutionHandled()) return;
      if (allowedUrl !== null && req.url() === allowedUrl && req.isNavigationRequest()) {
        void req.continue();
      } else {
        this.blockedRequests.push(req.url().slice(0, 200));
        void req.abort('blockedbyclient');
      }
    });
    return { page, allow: (url) => (allowedUrl = url) };
  }

  private async newPage(allowedUrl: string): Promise<Page> {
    const spare = this.spare;
    this.spare = null;
    const guarded = await (spare ?? this.guardedPage());
    guarded.allow(allowedUrl);
    return guarded.page;
  }

  /**
   * Renders an HTML file (already written) to a PDF file. `printing` is called once the page has
   * loaded and Chromium has been asked to print it.
   */
  async render(htmlPath: string, pdfPath: string, opts: RunningText, printing?: () => void): Promise<void> {
    const url = pathToFileURL(htmlPath).href;
    const page = await this.newPage(url);
    try {
      await page.goto(url, { waitUntil: 'load', timeout: PDF_TIMEOUT_MS });
      const printed = page.createPDFStream({
        format: 'A4',
        printBackground: true,
        // The running text is the document's (templates/report.hbs); an older browser gets it here.
        ...(this.marginBoxes ? {} : { displayHeaderFooter: true, ...headerFooterTemplates(opts) }),
        // As report.css's @page margin (the templates above need them given here).
        margin: { top: '16mm', bottom: '15mm', left: '14mm', right: '14mm' },
        outline: true, // PDF bookmarks from the headings
        tagged: true, // accessible PDF
        timeout: PDF_TIMEOUT_MS,
        // The document uses no web fonts (report.css) and may load nothing, so document.fonts.ready
        // is settled at load: not asking saves round trips, and the print command leaves now.
        waitForFonts: false,
      });
      printing?.();
      const stream = await printed;
      await pipeline(Readable.fromWeb(stream), createWriteStream(pdfPath));
    } finally {
      await page.close();
    }
  }

  async close(): Promise<void> {
    try {
      // A page still being opened when the browser goes would leave puppeteer waiting 30 s for its
      // target (and the process with it): let the spare settle first.
      await this.spare?.catch(() => undefined);
      await closeBrowser(this.browser);
    } finally {
      await rm(this.userDataDir, { recursive: true, force: true });
    }
  }
}

/**
 * Ends the browser. Its profile is a temporary directory deleted next, so there is nothing for a
 * graceful shutdown to save, and it took ~0.1 s at the end of every command that prints: on Linux
 * and macOS the browser's process group (puppeteer starts it as a group leader) is killed, as
 * puppeteer itself does when the process exits with the browser open.
 */
async function closeBrowser(browser: Browser): Promise<void> {
  const proc = browser.process();
  if (proc === null || proc.pid === undefined || process.platform === 'win32') {
    await browser.close();
    return;
  }
  if (proc.exitCode === null && proc.signalCode === null) {
    const exited = once(proc, 'exit');
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      proc.kill('SIGKILL');
    }
    await exited;
  }
  await browser.disconnect().catch(() => undefined);
}

/** A page that may load nothing but the one document it is allowed. */
interface GuardedPage {
  page: Page;
  allow(url: string): void;
}

/** A launched browser, or the one message that says why none could print. */
export type LaunchOutcome = { renderer: PdfRenderer } | { problem: string };

/**
 * Launches the first candidate that is there and starts; with none, the one message that says
 * what was tried and how to get PDFs.
 */
export async function launchFirstBrowser(
  candidates: readonly BrowserCandidate[] = defaultCandidates(),
): Promise<LaunchOutcome> {
  const tried: string[] = [];
  for (const candidate of candidates) {
    const found = await candidate.locate().catch((e: unknown) => `${candidate.label}: ${String(e)}`);
    if (typeof found === 'string') {
      tried.push(found);
      continue;
    }
    try {
      return { renderer: await PdfRenderer.launch(found) };
    } catch (e) {
      const why = (e as Error).message.split('\n')[0] ?? '';
      tried.push(`${found.label} ${found.executable} did not start (${why})`);
    }
  }
  return { problem: noBrowserMessage(tried) };
}
