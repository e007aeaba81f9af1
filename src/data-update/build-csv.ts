// Microsoft's ExchangeBuildNumbers.csv (github microsoft/Get-ExchangeBuildNumber):
//   Product Name,Build Number,Date,KB,Blog
//   Exchange 2019 CU15 Feb26SU,15.2.1748.43,2/10/2026,KB5074993,https://techcommunity…
// Columns are found by their header names (case, spacing and invisible characters aside), so an
// added, reordered or missing optional column (KB, Blog) does not break it. A row that cannot be
// read — bad quoting, a field too many, too few to reach a needed column — is set aside with its
// reason; the other rows are read. Only a file without the header is refused here.
import { CsvSyntaxError, parseCsv } from '../core/csv.js';
import { feedError, shown, type SkippedRow, type SourceRef } from './errors.js';
import { cleanCell, type BuildFeed, type RawBuildRow } from './feed-rows.js';

const REQUIRED = { name: 'Product Name', build: 'Build Number', date: 'Date' } as const;
type Column = keyof typeof REQUIRED;

function headerName(field: string): string {
  return cleanCell(field).text.toLowerCase().replace(/\s+/g, ' ');
}

/** True when the first line looks like the CSV's header (used to recognise a --from source). */
export function looksLikeBuildCsv(text: string): boolean {
  const first = headerName(text.slice(0, 4096).split(/\r\n|\n|\r/, 1)[0] ?? '');
  return first.includes('product name') && first.includes('build number');
}

export function parseBuildCsv(text: string, source: SourceRef): BuildFeed {
  let records;
  try {
    records = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw feedError(source, `not valid CSV: ${e.message}`, { line: e.line });
    throw e;
  }
  const [header, ...body] = records;
  if (header === undefined)
    throw feedError(source, 'empty: expected the header "Product Name,Build Number,Date,KB,Blog"');
  if (header.error !== undefined)
    throw feedError(source, `the header is not readable: ${header.error}`, { line: header.line });
  const names = header.fields.map(headerName);
  const at: Record<Column | 'kb', number> = {
    name: names.indexOf('product name'),
    build: names.indexOf('build number'),
    date: names.indexOf('date'),
    kb: names.indexOf('kb'),
  };
  for (const [key, title] of Object.entries(REQUIRED)) {
    if (at[key as Column] < 0) {
      throw feedError(
        source,
        `the header has no "${title}" column (found: ${shown(header.fields.join(','), 200)})`,
        { line: header.line },
      );
    }
  }
  const width = header.fields.length;
  const needed = Math.max(at.name, at.build, at.date) + 1;
  const rows: RawBuildRow[] = [];
  const unreadable: SkippedRow[] = [];
  let cleaned = 0;
  for (const r of body) {
    const cells = r.fields.map(cleanCell);
    cleaned += cells.filter((c) => c.changed).length;
    const cell = (i: number): string => (i < 0 ? '' : (cells[i]?.text ?? ''));
    const skip = (message: string): void => {
      unreadable.push({
        source,
        line: r.line,
        entry: shown(cell(at.name) || cell(0)),
        fault: 'syntax',
        message,
        ...(at.build < cells.length ? { build: cell(at.build) } : {}),
      });
    };
    if (r.error !== undefined) {
      skip(`not valid CSV: ${r.error}`);
      continue;
    }
    if (cells.every((c) => c.text === '')) continue; // ",,,," — an empty row an editor left
    // More fields than columns: the row is misaligned somewhere (an unquoted comma in a name, a
    // KB shifted right), so no column of it can be trusted.
    if (cells.length > width) {
      skip(`${cells.length} fields where the header has ${width} (a comma too many?)`);
      continue;
    }
    if (cells.length < needed) {
      const missing = (Object.keys(REQUIRED) as Column[]).find((k) => at[k] >= cells.length) ?? 'date';
      skip(
        `${cells.length} field(s) where the header has ${width}: no "${REQUIRED[missing]}" (a row cut short?)`,
      );
      continue;
    }
    rows.push({
      line: r.line,
      name: cell(at.name),
      build: cell(at.build),
      date: cell(at.date),
      kb: cell(at.kb),
    });
  }
  if (rows.length + unreadable.length === 0)
    throw feedError(source, 'the CSV lists no builds', { line: header.line });
  return { sourceId: 'gebn', source, rows, unreadable, cleaned };
}
