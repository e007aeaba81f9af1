// The three feeds a data update reads, their public default URLs, and how a --from value is
// matched to its kind: by content, not by name or flag — the CSV's header, an HTML page with
// tables, or JSON (which must then be a KEV catalog).
import { looksLikeBuildCsv } from './build-csv.js';
import { feedError } from './errors.js';
import type { Fetched } from './fetch.js';
import { looksLikeJson } from './kev.js';
import { looksLikeHtml } from './learn-html.js';

export type SourceKind = 'build-csv' | 'learn-html' | 'kev-json';

export const SOURCE_KINDS: Readonly<Record<SourceKind, { id: string; what: string }>> = {
  'build-csv': {
    id: 'gebn',
    what: "Microsoft's ExchangeBuildNumbers.csv (github microsoft/Get-ExchangeBuildNumber)",
  },
  'learn-html': { id: 'mslearn', what: 'Microsoft Learn "Exchange Server build numbers and release dates"' },
  'kev-json': { id: 'kev', what: "CISA's Known Exploited Vulnerabilities catalog (JSON)" },
};

export { DEFAULT_SOURCES } from './default-sources.js';

/** The kind of a source by its content; refuses what is none of the three. */
export function sniffKind(f: Fetched): SourceKind {
  if (f.text.trim() === '') throw feedError(f.source, 'empty: a failed or interrupted download?');
  if (looksLikeJson(f.text)) return 'kev-json';
  if (looksLikeBuildCsv(f.text)) return 'build-csv';
  if (looksLikeHtml(f.text)) return 'learn-html';
  throw feedError(
    f.source,
    'cannot tell what this is: expected ExchangeBuildNumbers.csv (first line "Product Name,Build Number,…"), ' +
      "the Learn build-numbers page (HTML) or CISA's KEV catalog (JSON)",
  );
}
