// The report's renderers and what callers choose between: the PDF renderer and the browsers it
// may use, the CSV columns (a contract), per-owner file names. outputs/ writes a run's reports
// with them.
export { PdfRenderer, launchFirstBrowser } from './pdf.js';
export type { RunningText } from './running-text.js';
export { defaultCandidates, INSTALL_HINT, type BrowserCandidate, type LocatedBrowser } from './chromium.js';
export { CSV_COLUMNS } from './csv.js';
export { ownerSlug } from './owner-files.js';
