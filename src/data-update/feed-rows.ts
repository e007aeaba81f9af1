// The rows of a build list as its source wrote them, before interpretation: Microsoft's CSV and
// the Learn page both reduce to "name, build, date, KB" per line of the source. Cells are cleaned
// of what people's editors leave in them and readers cannot see (zero-width spaces, byte-order
// marks, no-break spaces); anything else stays, to be judged by the row checks.
import type { SkippedRow, SourceRef } from './errors.js';

/** Source ids as in data/meta.json: Microsoft's CSV (gebn) and the Learn page (mslearn). */
export type BuildSourceId = 'gebn' | 'mslearn';

export interface RawBuildRow {
  /** 1-based line of the source where the row starts. */
  line: number;
  name: string;
  build: string;
  date: string;
  /** The KB as written ("KB5000871"), or "" when the source has none. */
  kb: string;
}

export interface BuildFeed {
  sourceId: BuildSourceId;
  source: SourceRef;
  /** The rows that could be read; each is checked before use. */
  rows: RawBuildRow[];
  /** Rows that could not even be read (CSV syntax, a field too many or too few). */
  unreadable: SkippedRow[];
  /** Cells that held invisible characters, removed before reading. */
  cleaned: number;
}

/** Data rows in all, read or not. */
export function rowCount(feed: BuildFeed): number {
  return feed.rows.length + feed.unreadable.length;
}

// Zero-width space/joiners, LRM/RLM, word joiner and invisible operators, BOM.
const INVISIBLE = /[\u200b-\u200f\u2060-\u2064\ufeff]/g;
const NO_BREAK_SPACE = /[\u00a0\u202f]/g;

/** A cell without invisible characters, trimmed; `changed` when an invisible character was removed. */
export function cleanCell(raw: string): { text: string; changed: boolean } {
  return {
    text: raw.replace(INVISIBLE, '').replace(NO_BREAK_SPACE, ' ').trim(),
    changed: raw.search(INVISIBLE) !== -1,
  };
}
