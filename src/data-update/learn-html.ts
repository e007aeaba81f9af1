// Microsoft Learn "Exchange Server build numbers and release dates": one HTML table per product,
// columns "Product name | Release date | Build number (short format) | Build number (long format)",
// the name cell often a link to the KB article. Tolerant of markup it does not know (attributes,
// nested tags, missing tbody) and bounded in what it scans; tables without those columns are
// ignored.
import { feedError, shown, type SourceRef } from './errors.js';
import { cleanCell, type BuildFeed, type RawBuildRow } from './feed-rows.js';

const MAX_TABLES = 500;
const MAX_ROWS_PER_TABLE = 5_000;
const MAX_CELL = 2_000;

/** True when the text is HTML (used to recognise a --from source). */
export function looksLikeHtml(text: string): boolean {
  return /<(!doctype\s+html|html|table)\b/i.test(text.slice(0, 64 * 1024)) || /<table\b/i.test(text);
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
    }
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

function cellText(html: string): string {
  return decodeEntities(html.replace(/<[^>]{0,2000}>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

/** A KB number from a link in the cell (support.microsoft.com/kb/4488401, /help/5049233). */
function kbOfLink(html: string): string {
  const href = /href\s*=\s*["']([^"']{1,500})["']/i.exec(html)?.[1];
  const m =
    href === undefined
      ? null
      : /support\.microsoft\.com\/(?:[a-z]{2}-[a-z]{2}\/)?(?:kb|help)\/(\d{6,8})\b/i.exec(href);
  return m === null ? '' : `KB${m[1] ?? ''}`;
}

interface Columns {
  name: number;
  date: number;
  build: number;
}

function columnsOf(headers: readonly string[]): Columns | null {
  const find = (re: RegExp): number => headers.findIndex((h) => re.test(h));
  const name = find(/product name/i);
  const date = find(/release date/i);
  let build = find(/build number.*short/i);
  if (build < 0) build = find(/build number/i);
  return name < 0 || date < 0 || build < 0 ? null : { name, date, build };
}

/** Offsets of every line start, to turn a match index into a line number. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineAt(starts: readonly number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

interface Row {
  line: number;
  cells: { html: string; text: string }[];
}

/**
 * The rows of every table, in one pass over the tags: a cell ends at its closing tag, the next
 * cell or row, or the end of the table, so unclosed markup cannot make the scan quadratic.
 */
function tables(text: string, starts: readonly number[], source: SourceRef): Row[][] {
  const out: Row[][] = [];
  let table: Row[] | null = null;
  let row: Row | null = null;
  let cellStart = -1;
  let depth = 0;
  const endCell = (at: number): void => {
    if (row !== null && cellStart >= 0) {
      const html = text.slice(cellStart, Math.min(at, cellStart + MAX_CELL * 4));
      row.cells.push({ html, text: cellText(html).slice(0, MAX_CELL) });
    }
    cellStart = -1;
  };
  const endRow = (at: number): void => {
    endCell(at);
    if (table !== null && row !== null) {
      if (table.length >= MAX_ROWS_PER_TABLE)
        throw feedError(source, `a table with more than ${MAX_ROWS_PER_TABLE} rows`);
      table.push(row);
    }
    row = null;
  };
  const tagRe = /<(\/?)(table|tr|td|th)\b[^>]{0,2000}>/gi;
  for (let m = tagRe.exec(text); m !== null; m = tagRe.exec(text)) {
    const closing = m[1] === '/';
    const tag = (m[2] ?? '').toLowerCase();
    if (tag === 'table') {
      if (!closing) {
        depth++;
        if (depth > 1) continue; // a table inside a cell: its rows are not ours
        if (out.length >= MAX_TABLES)
          throw feedError(source, `more than ${MAX_TABLES} tables: not the Learn build-numbers page?`);
        table = [];
        out.push(table);
      } else if (depth > 0) {
        depth--;
        if (depth === 0) {
          endRow(m.index);
          table = null;
        }
      }
      continue;
    }
    if (depth !== 1 || table === null) continue;
    if (tag === 'tr') {
      endRow(m.index);
      if (!closing) row = { line: lineAt(starts, m.index), cells: [] };
    } else if (closing) {
      endCell(m.index);
    } else {
      endCell(m.index);
      row ??= { line: lineAt(starts, m.index), cells: [] };
      cellStart = m.index + m[0].length;
    }
  }
  endRow(text.length);
  return out;
}

/** The page's title, for a message about a page that is not the one expected (an error page). */
function titleOf(text: string): string | null {
  const m = /<title\b[^>]{0,200}>([^<]{0,300})/i.exec(text.slice(0, 64 * 1024));
  const title = m === null ? '' : cellText(m[1] ?? '');
  return title === '' ? null : title;
}

export function parseLearnHtml(text: string, source: SourceRef): BuildFeed {
  const rows: RawBuildRow[] = [];
  let cleaned = 0;
  const clean = (raw: string): string => {
    const c = cleanCell(raw);
    if (c.changed) cleaned++;
    return c.text;
  };
  let buildTables = 0;
  for (const table of tables(text, lineStarts(text), source)) {
    const [header, ...body] = table;
    const columns = header === undefined ? null : columnsOf(header.cells.map((c) => c.text));
    if (columns === null) continue; // not a build table: its first row is not our header
    buildTables++;
    for (const row of body) {
      if (row.cells.every((c) => c.text === '')) continue; // separator rows
      const nameCell = row.cells[columns.name];
      rows.push({
        line: row.line,
        name: clean(nameCell?.text ?? ''),
        build: clean(row.cells[columns.build]?.text ?? ''),
        date: clean(row.cells[columns.date]?.text ?? ''),
        kb: nameCell === undefined ? '' : kbOfLink(nameCell.html),
      });
    }
  }
  if (buildTables === 0) {
    const title = titleOf(text);
    throw feedError(
      source,
      `an HTML page without a table with the columns "Product name", "Release date" and "Build number"${title === null ? '' : ` (title ${shown(title)})`}: an error or sign-in page, not the Learn build-numbers page?`,
    );
  }
  return { sourceId: 'mslearn', source, rows, unreadable: [], cleaned };
}
