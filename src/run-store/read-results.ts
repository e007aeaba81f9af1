// Streams results.jsonl one record at a time, so a report over 10,000+ endpoints never holds the
// file in memory. Lines that are not records (a torn last line after a kill, a foreign line, an
// absurdly long line) are counted and skipped, never fatal: the report says how many.
import { createReadStream } from 'node:fs';
import type { ResultRecord } from '../core/result-schema.js';
import { recordFrom } from './record-guard.js';

/** Longer lines are skipped: our engine bounds every value, so such a line is not one of ours. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

const READ_CHUNK = 256 * 1024;

export interface ReadStats {
  records: number;
  skippedLines: number;
}

export interface ReadOptions {
  /** Read only the first `bytes` bytes (a file still being appended to reads the same twice). */
  bytes?: number;
  /**
   * Lines for which this returns false are passed over unparsed and uncounted: a cheap textual
   * pre-selection for a reader that needs only some records.
   */
  only?: (line: string) => boolean;
  /**
   * Called with each record and the line it was read from, before it is yielded: a second reader
   * that shares the pass (outputs/finish-run.ts surveys the servers during the history's).
   */
  tap?: (record: ResultRecord, line: string) => void;
}

/**
 * The lines of a results.jsonl file, decoded; null stands for a line longer than `maxBytes` (its
 * bytes are never held). `bytes`: read only that many bytes of the file.
 */
export async function* resultLines(
  path: string,
  maxBytes: number = MAX_LINE_BYTES,
  bytes?: number,
): AsyncGenerator<string | null> {
  if (bytes === 0) return;
  // Larger chunks than the default 64 kB: fewer lines span two chunks, fewer turns of the loop.
  const stream = createReadStream(path, {
    highWaterMark: READ_CHUNK,
    ...(bytes === undefined ? {} : { end: bytes - 1 }),
  });
  let parts: Buffer[] = [];
  let size = 0;
  let overflow = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      if (!overflow && size + piece.length <= maxBytes) {
        // A line inside one chunk (nearly all of them) is decoded where it lies, not copied first.
        yield parts.length === 0 ? piece.toString('utf8') : Buffer.concat([...parts, piece]).toString('utf8');
      } else {
        yield null;
      }
      parts = [];
      size = 0;
      overflow = false;
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (!overflow) {
      size += rest.length;
      if (size > maxBytes) {
        overflow = true;
        parts = [];
      } else {
        parts.push(Buffer.from(rest));
      }
    }
  }
  if (overflow) yield null;
  else if (size > 0) yield Buffer.concat(parts).toString('utf8');
}

/**
 * Yields every well-formed record of a results.jsonl file, in file order. `stats` is filled in as
 * reading goes (final once the iteration ends).
 */
export async function* readResults(
  path: string,
  stats: ReadStats = { records: 0, skippedLines: 0 },
  options: ReadOptions = {},
): AsyncGenerator<ResultRecord> {
  for await (const line of resultLines(path, MAX_LINE_BYTES, options.bytes)) {
    if (line === null) {
      stats.skippedLines++;
      continue;
    }
    const text = line.trim();
    if (text === '') continue;
    if (options.only !== undefined && !options.only(text)) continue;
    let record: ResultRecord | null;
    try {
      record = recordFrom(JSON.parse(text));
    } catch {
      record = null;
    }
    if (record === null) {
      stats.skippedLines++;
      continue;
    }
    stats.records++;
    options.tap?.(record, text);
    yield record;
  }
}
