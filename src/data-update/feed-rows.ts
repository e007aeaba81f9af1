// The rows of a build list as its source wrote them, before interpretation: Microsoft's CSV and
// the Learn page both reduce to "name, build, date, KB" per line of the source.
import type { SourceRef } from './errors.js';

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
  rows: RawBuildRow[];
}
