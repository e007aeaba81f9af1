// The running header and footer of a printed report: our own fixed words (nothing from the scan or
// a scanned server), "CONFIDENTIAL", and "Page N of M".
//
// They are CSS page-margin boxes of the document itself (templates/report.hbs, report.css), so
// Chromium lays them out with the page. Its header and footer templates instead build a small
// document per page and run a script in it: 0.2 s of the 1.3–1.5 s print of the bench's 49-page
// report. A browser older than margin boxes (Chromium 131) gets those templates instead (and
// ignores the margin boxes).
export interface RunningText {
  header: string;
  footer: string;
}

export function runningText(isOwner: boolean): RunningText {
  return isOwner
    ? { header: 'owa-audit · Security notification', footer: 'Security notification — Exchange servers' }
    : { header: 'owa-audit · Exchange Server exposure report', footer: 'Exchange Server exposure report' };
}

/**
 * `text` as the inside of a double-quoted CSS string: letters, digits and spaces as they are, any
 * other character as a hex escape (`\B7 `). What is left cannot end the string or the style
 * element, and HTML escaping (the template's `{{ }}`) leaves it unchanged.
 */
export function cssStringBody(text: string): string {
  let out = '';
  for (const ch of text) {
    out += /[A-Za-z0-9 ]/.test(ch) ? ch : `\\${(ch.codePointAt(0) ?? 0xfffd).toString(16).toUpperCase()} `;
  }
  return out;
}

/** First Chromium major version that prints CSS page-margin boxes (@top-left, …). */
const MARGIN_BOXES_SINCE = 131;

/** Whether the browser (`Browser.version()`, e.g. "HeadlessChrome/156.0.8078.129") prints margin boxes. */
export function printsMarginBoxes(browserVersion: string): boolean {
  const major = /\/(\d+)\./.exec(browserVersion)?.[1];
  return major !== undefined && Number(major) >= MARGIN_BOXES_SINCE;
}

function escapeTemplateText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Chromium's header and footer templates with the same words, for a browser without margin boxes. */
export function headerFooterTemplates(t: RunningText): { headerTemplate: string; footerTemplate: string } {
  const style =
    'font-family: Liberation Sans, Arial, sans-serif; font-size: 7.5pt; color: #5b6477; width: 100%; padding: 0 14mm; display: flex; justify-content: space-between;';
  return {
    headerTemplate: `<div style="${style}"><span>${escapeTemplateText(t.header)}</span><span>CONFIDENTIAL</span></div>`,
    footerTemplate: `<div style="${style}"><span>${escapeTemplateText(t.footer)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
  };
}
