// Microsoft's names for Exchange updates → the knowledge base's product / line / update name /
// kind, with the conventions of scripts/build-data.js: names are "CU23 Nov24SUv2" (the product is
// a field of its own), 2013 SP1 is a CU (line SP1), 2010 service packs are kind SP and their
// rollups "SP3 RU32". Pure; a name that fits none of the known shapes is refused, not guessed —
// its kind decides whether a line still receives security updates.
import type { ProductName } from '../core/result-schema.js';

export type BuildKind = 'RTM' | 'CU' | 'SU' | 'HU' | 'SP' | 'RU' | 'Preview';

export interface UpdateName {
  product: ProductName;
  /** "CU23", "RTM", "SP1", "SP3", "Preview". */
  line: string;
  /** "CU23 Nov24SUv2", "RTM", "SP3 RU8v2". */
  name: string;
  kind: BuildKind;
}

const PRODUCT_TOKENS: Readonly<Record<string, ProductName>> = {
  '2007': 'Exchange Server 2007',
  '2010': 'Exchange Server 2010',
  '2013': 'Exchange Server 2013',
  '2016': 'Exchange Server 2016',
  '2019': 'Exchange Server 2019',
  se: 'Exchange Server SE',
  'subscription edition': 'Exchange Server SE',
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

/** "Nov24SU", "Apr25HU", "Aug23SUv2" — Microsoft's monthly security and hotfix updates. */
const MONTHLY_UPDATE = new RegExp(`^(${MONTHS.join('|')})(\\d{2})(SU|HU)(v\\d{1,2})?$`, 'i');
const ROLLUP = /^RU(\d{1,3})(v\d{1,2})?$/i;
const LINE = /^(RTM|Preview|CU\d{1,3}|SP\d)$/i;

function canonicalLine(token: string): string {
  const t = token.toUpperCase();
  if (t === 'PREVIEW') return 'Preview';
  return t;
}

function canonicalMonthly(m: RegExpExecArray): { text: string; kind: 'SU' | 'HU' } {
  const month = (m[1] ?? '').toLowerCase();
  const kind = (m[3] ?? '').toUpperCase() as 'SU' | 'HU';
  const version = (m[4] ?? '').toLowerCase();
  return { text: `${month.charAt(0).toUpperCase()}${month.slice(1)}${m[2] ?? ''}${kind}${version}`, kind };
}

/** Drops what Microsoft adds in brackets: "CU13 (2023H1)", "RU8 v1 (recalled)". */
function stripNotes(text: string): string {
  return text
    .replace(/\s*\([^)]{0,60}\)\s*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * "Exchange 2019 CU15 Aug26SU", "Exchange Server SE RTM Sep26SU", "Exchange 2010 SP3 RU32",
 * "Exchange 2010 SP3 RTM", "Update Rollup 8 v2 for Exchange Server 2010 SP3" → the parts; null
 * for anything else.
 */
export function parseUpdateName(raw: string): UpdateName | null {
  const text = stripNotes(raw);
  const rollup =
    /^Update Rollup (\d{1,3})(?:[ -]?(v\d{1,2}))? (?:for ?)?Exchange(?: Server)? ?(2007|2010)(?: (SP\d))?$/i.exec(
      text,
    );
  if (rollup !== null) {
    const product = PRODUCT_TOKENS[rollup[3] ?? ''];
    const line = (rollup[4] ?? 'RTM').toUpperCase();
    if (product === undefined) return null;
    return {
      product,
      line,
      name: `${line} RU${rollup[1] ?? ''}${(rollup[2] ?? '').toLowerCase()}`,
      kind: 'RU',
    };
  }
  const m =
    /^(?:Microsoft )?Exchange(?: Server)? (2007|2010|2013|2016|2019|SE|Subscription Edition)(?: (.*))?$/i.exec(
      text,
    );
  if (m === null) return null;
  const product = PRODUCT_TOKENS[(m[1] ?? '').toLowerCase()];
  if (product === undefined) return null;
  const legacy = product === 'Exchange Server 2007' || product === 'Exchange Server 2010';
  const words = (m[2] ?? 'RTM').split(' ').filter((w) => w !== '');
  const [first, ...rest] = words;
  if (first === undefined || !LINE.test(first)) return null;
  const line = canonicalLine(first);
  const update = rest.join(' ');

  if (update === '' || (update.toUpperCase() === 'RTM' && line.startsWith('SP'))) {
    if (line === 'Preview') return { product, line, name: 'Preview', kind: 'Preview' };
    if (line === 'RTM') return { product, line, name: 'RTM', kind: 'RTM' };
    if (line.startsWith('SP')) return { product, line, name: line, kind: legacy ? 'SP' : 'CU' };
    return { product, line, name: line, kind: 'CU' };
  }
  if (rest.length !== 1) return null;
  const monthly = MONTHLY_UPDATE.exec(update);
  if (monthly !== null) {
    const { text: u, kind } = canonicalMonthly(monthly);
    return { product, line, name: `${line} ${u}`, kind };
  }
  const ru = ROLLUP.exec(update);
  if (ru !== null && legacy) {
    return { product, line, name: `${line} RU${ru[1] ?? ''}${(ru[2] ?? '').toLowerCase()}`, kind: 'RU' };
  }
  return null;
}

const MONTH_NAMES: Readonly<Record<string, number>> = Object.fromEntries(
  MONTHS.map((m, i) => [m, i + 1] as const),
);

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function realDay(y: number, mo: number, d: number): string | null {
  const t = Date.UTC(y, mo - 1, d);
  const date = new Date(t);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${pad(mo)}-${pad(d)}`;
}

/** The CSV's "3/14/2023" or "03/14/2023" (US order) → "2023-03-14"; null when not a real day. */
export function parseUsDate(text: string): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  if (m === null) return null;
  return realDay(Number(m[3]), Number(m[1]), Number(m[2]));
}

/** Learn's "March 14, 2023" → "2023-03-14"; "December, 2015" or "December 2015" → "2015-12". */
export function parseLongDate(text: string): string | null {
  const t = text.trim().replace(/\s+/g, ' ');
  const day = /^([A-Za-z]{3,9})\.? (\d{1,2}), ?(\d{4})$/.exec(t);
  const month = /^([A-Za-z]{3,9}),? (\d{4})$/.exec(t);
  const name = (day ?? month)?.[1]?.slice(0, 3).toLowerCase();
  const mo = name === undefined ? undefined : MONTH_NAMES[name];
  if (mo === undefined) return null;
  if (day !== null) return realDay(Number(day[3]), mo, Number(day[2]));
  return month === null ? null : `${month[2] ?? ''}-${pad(mo)}`;
}

/** Microsoft's support site resolves /help/<number> to the KB article (as scripts/build-data.js). */
export function kbUrl(kb: string | null): string | null {
  return kb === null ? null : `https://support.microsoft.com/help/${kb.replace(/^KB/, '')}`;
}

/** "KB5000871" as written in the CSV; null for an empty cell; undefined for something else. */
export function parseKb(text: string): string | null | undefined {
  const t = text.trim();
  if (t === '') return null;
  return /^KB\d{6,8}$/i.test(t) ? `KB${t.slice(2)}` : undefined;
}
