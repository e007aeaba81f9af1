// CISA's Known Exploited Vulnerabilities catalog (known_exploited_vulnerabilities.json):
//   { "catalogVersion": "2026.09.10", "dateReleased": "2026-09-10T17:01:23.456Z", "count": 1400,
//     "vulnerabilities": [ { "cveID", "vendorProject", "product", "vulnerabilityName",
//       "dateAdded": "YYYY-MM-DD", "shortDescription", "requiredAction", "dueDate", … } ] }
// Only Microsoft Exchange entries matter here. Those are checked one by one: an entry without a
// CVE id or a date added is skipped with a warning, the others are used; fields CISA may add or
// leave out (notes, cwes, knownRansomwareCampaignUse, vulnerabilityName…) are optional. Other
// vendors' entries only count towards telling whether this is the catalog at all: refused only
// when it is not (no "vulnerabilities" list, an empty one, or mostly entries without a CVE id).
import { isIsoDay } from '../core/time.js';
import { cleanValue } from '../core/text.js';
import { feedError, shown, type SkippedRow, type SourceRef } from './errors.js';

export interface KevEntry {
  cve: string;
  dateAdded: string;
  name: string;
}

export interface KevCatalog {
  source: SourceRef;
  catalogVersion: string | null;
  /** Day of dateReleased; null when the catalog does not say. */
  released: string | null;
  /** Every entry in the catalog. */
  total: number;
  /** Microsoft Exchange entries, by CVE id. */
  exchange: Map<string, KevEntry>;
  /** Microsoft Exchange entries (and catalog fields) that could not be used, and why. */
  skipped: SkippedRow[];
}

/** More entries than this is not CISA's catalog (about 1,500 in 2026). */
export const MAX_KEV_ENTRIES = 100_000;

const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;

/** A JSON value as text for a message (shown() bounds it). */
const asText = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined ? 'undefined' : JSON.stringify(v);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function isExchangeEntry(vendor: unknown, product: unknown): boolean {
  return (
    typeof vendor === 'string' &&
    typeof product === 'string' &&
    /^\s*microsoft\s*$/i.test(vendor) &&
    /\bexchange\b/i.test(product)
  );
}

/** True when the text is JSON (used to recognise a --from source; its shape is checked on parse). */
export function looksLikeJson(text: string): boolean {
  return /^\s*[{[]/.test(text.replace(/^\uFEFF/, '').slice(0, 1024));
}

export function parseKev(text: string, source: SourceRef): KevCatalog {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw feedError(
      source,
      `not valid JSON (${e instanceof Error ? e.message.slice(0, 200) : 'unreadable'}): a truncated or damaged download?`,
    );
  }
  if (!isObject(json) || !Array.isArray(json.vulnerabilities)) {
    throw feedError(source, 'not a KEV catalog: no "vulnerabilities" list');
  }
  const list: unknown[] = json.vulnerabilities;
  if (list.length === 0) throw feedError(source, 'the KEV catalog lists no vulnerabilities');
  if (list.length > MAX_KEV_ENTRIES)
    throw feedError(source, `more than ${MAX_KEV_ENTRIES} entries: not the KEV catalog`);
  const skipped: SkippedRow[] = [];
  const skip = (entry: string, message: string): void => {
    skipped.push({ source, entry, fault: 'entry', message });
  };
  const version = typeof json.catalogVersion === 'string' ? cleanValue(json.catalogVersion, 40) : null;
  let released: string | null = null;
  if (json.dateReleased !== undefined) {
    const day = typeof json.dateReleased === 'string' ? json.dateReleased.slice(0, 10) : '';
    if (isIsoDay(day)) released = day;
    else
      skip(
        'dateReleased',
        `not a date: ${shown(asText(json.dateReleased), 40)}; the catalog is taken as of the day it was read`,
      );
  }
  const exchange = new Map<string, KevEntry>();
  let shapeless = 0;
  list.forEach((v, i) => {
    const cve = isObject(v) && typeof v.cveID === 'string' ? v.cveID.trim().toUpperCase() : null;
    if (cve === null || !CVE_ID.test(cve)) shapeless++;
    if (!isObject(v) || !isExchangeEntry(v.vendorProject, v.product)) return;
    const entry = `vulnerabilities[${i}]`;
    if (cve === null || !CVE_ID.test(cve)) {
      skip(entry, `a Microsoft Exchange entry whose cveID is not a CVE id: ${shown(asText(v.cveID), 40)}`);
      return;
    }
    const added = typeof v.dateAdded === 'string' ? v.dateAdded.trim() : v.dateAdded;
    if (typeof added !== 'string' || !isIsoDay(added)) {
      skip(
        `${entry} ${cve}`,
        added === undefined ? 'no dateAdded' : `dateAdded is not a date: ${shown(asText(added), 40)}`,
      );
      return;
    }
    const previous = exchange.get(cve);
    // Listed twice: the first listing is when it became known-exploited.
    if (previous !== undefined && previous.dateAdded <= added) return;
    const name = typeof v.vulnerabilityName === 'string' ? cleanValue(v.vulnerabilityName, 200) : '';
    exchange.set(cve, { cve, dateAdded: added, name });
  });
  if (shapeless * 2 > list.length) {
    throw feedError(
      source,
      `${shapeless} of ${list.length} entries have no CVE id (cveID): not the KEV catalog, or damaged`,
    );
  }
  return { source, catalogVersion: version, released, total: list.length, exchange, skipped };
}
