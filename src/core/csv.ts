// The project's RFC 4180 reader, for every CSV input (build lists, ZMap target files): quoted fields may hold commas, doubled quotes and line breaks; CRLF, LF
// or CR line ends. Each record carries the line it starts on, for messages. A record that breaks
// the syntax (a stray quote, text after a closing quote, a quote never closed, a field too long)
// is returned with its error and reading goes on at the next line, so one bad row costs one row.
// Bounded: a file with more records than any build list has stops the parse.

export interface CsvRecord {
  /** 1-based line of the source where the record starts. */
  line: number;
  fields: string[];
  /** Why the record cannot be read; its fields are then incomplete. */
  error?: string;
}

export const MAX_CSV_RECORDS = 50_000;
export const MAX_CSV_FIELD = 4_000;

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

interface Cursor {
  /** Index of the next character. */
  at: number;
  /** Line of that character. */
  line: number;
}

/** Moves the cursor past the next line end at or after `from` (CRLF counts as one). */
function skipLine(src: string, from: number, cur: Cursor, line: number): void {
  let i = from;
  while (i < src.length && src[i] !== '\n' && src[i] !== '\r') i++;
  if (src[i] === '\r' && src[i + 1] === '\n') i++;
  cur.at = Math.min(i + 1, src.length);
  cur.line = line + 1;
}

/** What ends an unquoted field (a quote there is an error). */
const FIELD_END = /[",\r\n]/g;

function countLineEnds(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

/** Reads one record from the cursor and moves it to the start of the next. */
function readRecord(src: string, cur: Cursor): CsvRecord {
  const start = cur.at;
  const startLine = cur.line;
  const fields: string[] = [];
  let line = cur.line;
  // Outside quotes the record ends at the current line; inside a quote its start line is all
  // that can be trusted, so reading goes on right after it.
  const fail = (error: string, partial: string, at: number, inQuote: boolean): CsvRecord => {
    fields.push(partial.slice(0, 200)); // what was read of it, for the message
    if (inQuote) skipLine(src, start, cur, startLine);
    else skipLine(src, at, cur, line);
    return { line: startLine, fields, error };
  };

  let i = start;
  for (;;) {
    let field: string;
    let end: number;
    if (src[i] === '"') {
      // A quoted field: up to the next lone quote; "" is a quote inside it.
      let j = i + 1;
      field = '';
      for (;;) {
        const q = src.indexOf('"', j);
        const stop = q === -1 ? src.length : q;
        if (field.length + (stop - j) > MAX_CSV_FIELD)
          return fail(
            `a quoted field longer than ${MAX_CSV_FIELD} characters (a quote not closed?)`,
            field + src.slice(j, j + 200),
            stop,
            true,
          );
        field += src.slice(j, stop);
        if (q === -1) return fail('a quoted field is not closed', field, src.length, true);
        if (src[q + 1] === '"') {
          field += '"';
          j = q + 2;
        } else {
          end = q + 1;
          break;
        }
      }
      line += countLineEnds(field);
      const next = src[end];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r')
        return fail('text after the closing quote of a field', field, end, false);
    } else {
      FIELD_END.lastIndex = i;
      const m = FIELD_END.exec(src);
      end = m === null ? src.length : m.index;
      field = src.slice(i, end);
      if (src[end] === '"') return fail('a quote inside an unquoted field', field, end, false);
      if (field.length > MAX_CSV_FIELD)
        return fail(`a field longer than ${MAX_CSV_FIELD} characters`, field, end, false);
    }
    fields.push(field);
    if (src[end] === ',') {
      i = end + 1;
      continue;
    }
    if (end >= src.length) cur.at = src.length;
    else skipLine(src, end, cur, line);
    return { line: startLine, fields };
  }
}

/**
 * One line of a file read line by line (a streamed targets file): its fields, or the record's
 * error — a quoted field must close on its line.
 */
export function parseCsvLine(line: string): CsvRecord {
  const src = line.replace(/\r?\n$/, '');
  return readRecord(src, { at: 0, line: 1 });
}

/** Parses the whole text; blank lines are skipped. A leading byte-order mark is ignored. */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  const cur: Cursor = { at: 0, line: 1 };
  while (cur.at < src.length) {
    const r = readRecord(src, cur);
    const blank = r.error === undefined && r.fields.length === 1 && r.fields[0] === '';
    if (blank) continue;
    if (records.length >= MAX_CSV_RECORDS)
      throw new CsvSyntaxError(`more than ${MAX_CSV_RECORDS} records`, r.line);
    records.push(r);
  }
  return records;
}
