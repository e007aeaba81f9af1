// PDF rendering through the system Chromium (puppeteer-core). One browser per `report` call,
// one reused page. The page runs no JavaScript and may load nothing but the report document
// itself: every other request (images, fonts, links, prefetches) is aborted, so rendering a
// report never sends a packet, whatever a scanned server managed to put in it.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer-core';
import { chromiumArgs } from './chromium.js';

export interface PdfOptions {
  /** Running header text (our own words only: it is printed outside the document's CSP). */
  header: string;
  /** Running footer text, before "page N of M". */
  footer: string;
}

const PDF_TIMEOUT_MS = 15 * 60_000;

function escapeTemplateText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function headerFooter(o: PdfOptions): { headerTemplate: string; footerTemplate: string } {
  const style =
    'font-family: Liberation Sans, Arial, sans-serif; font-size: 7.5pt; color: #5b6477; width: 100%; padding: 0 14mm; display: flex; justify-content: space-between;';
  return {
    headerTemplate: `<div style="${style}"><span>${escapeTemplateText(o.header)}</span><span>CONFIDENTIAL</span></div>`,
    footerTemplate: `<div style="${style}"><span>${escapeTemplateText(o.footer)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
  };
}

export class PdfRenderer {
  /** Requests the page tried to make besides the document (all aborted). For tests and logs. */
  blockedRequests: string[] = [];

  private constructor(
    /** The running browser, for callers that need another page (tests open the report with JS on). */
    readonly browser: Browser,
    private readonly userDataDir: string,
  ) {}

  static async launch(executablePath: string): Promise<PdfRenderer> {
    const userDataDir = await mkdtemp(join(tmpdir(), 'owa-audit-chromium-'));
    try {
      const browser = await puppeteer.launch({
        executablePath,
        headless: true,
        pipe: true, // no DevTools port on localhost
        args: chromiumArgs(userDataDir),
        timeout: 60_000,
      });
      return new PdfRenderer(browser, userDataDir);
    } catch (e) {
      await rm(userDataDir, { recursive: true, force: true });
      throw e;
    }
  }

  /**
   * A new page per document: measured, reusing one page let Chromium's memory grow by ~100 MB per
   * large document, while a new page costs ~0.1 s and keeps it flat.
   */
  private async newPage(allowedUrl: string): Promise<Page> {
    const page = await this.browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (req: HTTPRequest) => {
      if (req.isInterceptResolutionHandled()) return;
      if (req.url() === allowedUrl && req.isNavigationRequest()) {
        void req.continue();
      } else {
        this.blockedRequests.push(req.url().slice(0, 200));
        void req.abort('blockedbyclient');
      }
    });
    return page;
  }

  /** Renders an HTML file (already written) to a PDF file. */
  async render(htmlPath: string, pdfPath: string, opts: PdfOptions): Promise<void> {
    const url = pathToFileURL(htmlPath).href;
    const page = await this.newPage(url);
    try {
      await page.goto(url, { waitUntil: 'load', timeout: PDF_TIMEOUT_MS });
      const stream = await page.createPDFStream({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        ...headerFooter(opts),
        margin: { top: '16mm', bottom: '15mm', left: '14mm', right: '14mm' },
        outline: true, // PDF bookmarks from the headings
        tagged: true, // accessible PDF
        timeout: PDF_TIMEOUT_MS,
      });
      await pipeline(Readable.fromWeb(stream), createWriteStream(pdfPath));
    } finally {
      await page.close();
    }
  }

  async close(): Promise<void> {
    try {
      await this.browser.close();
    } finally {
      await rm(this.userDataDir, { recursive: true, force: true });
    }
  }
}
