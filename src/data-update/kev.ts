// CISA's Known Exploited Vulnerabilities catalog (known_exploited_vulnerabilities.json):
//   { "catalogVersion": "2026.09.10", "dateReleased": "2026-09-10T17:01:23.456Z", "count": 1400,
//     "vulnerabilities": [ { "cveID", "vendorProject", "product", "vulnerabilityName",
//       "dateAdded": "YYYY-MM-DD", "shortDescription", "requiredAction", "dueDate", … } ] }
// Only Microsoft Exchange entries matter here, and those are checked strictly; other vendors'
// entries only need to be objects (a typo elsewhere in the catalog must not block Exchange data).
import { isIsoDay } from '../classify/dates.js';
import { feedError, type SourceRef } from './errors.js';

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
}

const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;

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
      `not valid JSON (${e instanceof Error ? e.message : String(e)}): a truncated or damaged download?`,
    );
  }
  if (!isObject(json) || !Array.isArray(json.vulnerabilities)) {
    throw feedError(source, 'not a KEV catalog: no "vulnerabilities" list');
  }
  const list: unknown[] = json.vulnerabilities;
  if (list.length === 0) throw feedError(source, 'the KEV catalog lists no vulnerabilities');
  const version = typeof json.catalogVersion === 'string' ? json.catalogVersion.slice(0, 40) : null;
  const releasedText = typeof json.dateReleased === 'string' ? json.dateReleased.slice(0, 10) : null;
  if (releasedText !== null && !isIsoDay(releasedText)) {
    throw feedError(
      source,
      `dateReleased is not a date: ${JSON.stringify(String(json.dateReleased).slice(0, 40))}`,
    );
  }
  const exchange = new Map<string, KevEntry>();
  list.forEach((v, i) => {
    if (!isObject(v)) throw feedError(source, 'not an object', { entry: `vulnerabilities[${i}]` });
    if (!isExchangeEntry(v.vendorProject, v.product)) return;
    const entry = `vulnerabilities[${i}]`;
    const cve = v.cveID;
    if (typeof cve !== 'string' || !CVE_ID.test(cve)) {
      throw feedError(source, `cveID is not a CVE id: ${JSON.stringify(String(cve).slice(0, 40))}`, {
        entry,
      });
    }
    const added = v.dateAdded;
    if (typeof added !== 'string' || !isIsoDay(added)) {
      throw feedError(source, `dateAdded is not a date: ${JSON.stringify(String(added).slice(0, 40))}`, {
        entry: `${entry} ${cve}`,
      });
    }
    const previous = exchange.get(cve);
    // Listed twice: the first listing is when it became known-exploited.
    if (previous !== undefined && previous.dateAdded <= added) return;
    const name = typeof v.vulnerabilityName === 'string' ? v.vulnerabilityName.slice(0, 200) : '';
    exchange.set(cve, { cve, dateAdded: added, name });
  });
  return { source, catalogVersion: version, released: releasedText, total: list.length, exchange };
}
