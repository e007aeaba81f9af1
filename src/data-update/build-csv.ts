// Microsoft's ExchangeBuildNumbers.csv (github microsoft/Get-ExchangeBuildNumber):
//   Product Name,Build Number,Date,KB,Blog
//   Exchange 2019 CU15 Feb26SU,15.2.1748.43,2/10/2026,KB5074993,https://techcommunity…
// Columns are found by their header names, so an added or reordered column does not break it.
import { CsvSyntaxError, parseCsv } from './csv.js';
import { feedError, type SourceRef } from './errors.js';
import type { BuildFeed } from './feed-rows.js';

const REQUIRED = { name: 'product name', build: 'build number', date: 'date' } as const;

/** True when the first line looks like the CSV's header (used to recognise a --from source). */
export function looksLikeBuildCsv(text: string): boolean {
  const first =
    text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/, 1)[0]
      ?.toLowerCase() ?? '';
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
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const col = (name: string): number => names.indexOf(name);
  const at = {
    name: col(REQUIRED.name),
    build: col(REQUIRED.build),
    date: col(REQUIRED.date),
    kb: col('kb'),
  };
  for (const [key, title] of Object.entries(REQUIRED)) {
    if (at[key as keyof typeof REQUIRED] < 0) {
      throw feedError(
        source,
        `the header has no "${title}" column (found: ${header.fields.join(', ').slice(0, 200)})`,
        {
          line: header.line,
        },
      );
    }
  }
  if (body.length === 0) throw feedError(source, 'the CSV lists no builds', { line: header.line });
  const rows = body.map((r) => {
    if (r.fields.length !== header.fields.length) {
      throw feedError(
        source,
        `${r.fields.length} fields where the header has ${header.fields.length} (a comma too many or too few?)`,
        { line: r.line, entry: JSON.stringify((r.fields[0] ?? '').slice(0, 80)) },
      );
    }
    const cell = (i: number): string => (i < 0 ? '' : (r.fields[i] ?? '').trim());
    return { line: r.line, name: cell(at.name), build: cell(at.build), date: cell(at.date), kb: cell(at.kb) };
  });
  return { sourceId: 'gebn', source, rows };
}
