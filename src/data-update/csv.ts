// A small RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks; CRLF or
// LF line ends. Each record carries the line it starts on, for messages. Bounded: a feed that is
// not what it claims to be stops the parse instead of growing without limit.

export interface CsvRecord {
  /** 1-based line of the source where the record starts. */
  line: number;
  fields: string[];
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

/** Parses the whole text; blank lines are skipped. A leading byte-order mark is ignored. */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  /** A quoted field just closed: only a separator or a line end may follow. */
  let closed = false;
  let line = 1;
  let recordLine = 1;

  const endField = (): void => {
    if (field.length > MAX_CSV_FIELD)
      throw new CsvSyntaxError(`a field longer than ${MAX_CSV_FIELD} characters`, recordLine);
    fields.push(field);
    field = '';
    fieldStarted = false;
    closed = false;
  };
  const endRecord = (): void => {
    endField();
    const blank = fields.length === 1 && fields[0] === '';
    if (!blank) {
      if (records.length >= MAX_CSV_RECORDS)
        throw new CsvSyntaxError(`more than ${MAX_CSV_RECORDS} records`, recordLine);
      records.push({ line: recordLine, fields });
    }
    fields = [];
  };

  for (let i = 0; i < src.length; i++) {
    const ch = src.charAt(i);
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          closed = true;
        }
      } else {
        if (ch === '\n') line++;
        field += ch;
        if (field.length > MAX_CSV_FIELD)
          throw new CsvSyntaxError(`a field longer than ${MAX_CSV_FIELD} characters`, recordLine);
      }
      continue;
    }
    if (ch === '"') {
      if (fieldStarted) throw new CsvSyntaxError('a quote inside an unquoted field', line);
      quoted = true;
      fieldStarted = true;
    } else if (ch === ',') {
      endField();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      if (closed) throw new CsvSyntaxError('text after the closing quote of a field', line);
      field += ch;
      fieldStarted = true;
      if (field.length > MAX_CSV_FIELD)
        throw new CsvSyntaxError(`a field longer than ${MAX_CSV_FIELD} characters`, recordLine);
    }
  }
  if (quoted) throw new CsvSyntaxError('a quoted field is not closed', recordLine);
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}
