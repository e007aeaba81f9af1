// The report's first pass over results.jsonl: which endpoints are one server, and what every
// report must know about its Exchange servers before laying them out. The second pass (index.ts)
// reads the same bytes again with this in hand.
import { stat } from 'node:fs/promises';
import { readResults } from '../run-store/read-results.js';
import type { ResultRecord } from '../core/result-schema.js';
import { ServerGrouping, type ServerIndex } from './server-grouping.js';
import { ServerTable, type ResolvedServers } from './server-table.js';

export interface ServerSurvey {
  index: ServerIndex;
  servers: ResolvedServers;
  /** Bytes of results.jsonl surveyed: the second pass reads these, so a file that grows meanwhile stays consistent. */
  bytes: number;
}

// Only Exchange endpoints and endpoints that sent X-FEServer tell the survey anything. Most lines
// of a large scan are neither, and saying so from the raw line spares parsing it: a line is passed
// over only when its first `"status":"` (JSON.stringify's spelling; a server-supplied value cannot
// hold it, its quotes would be escaped) is followed by a status other than exchange, and it holds
// no "x-feserver" anywhere. Any other spelling is parsed, so the shortcut can cost time, never a
// record.
const STATUS = '"status":"';
const NOT_EXCHANGE = ['not-exchange"', 'exchange-online"', 'unreachable"', 'error"'];

export function mayMatter(line: string): boolean {
  const at = line.indexOf(STATUS);
  if (at < 0) return true;
  const from = at + STATUS.length;
  if (!NOT_EXCHANGE.some((s) => line.startsWith(s, from))) return true;
  return line.includes('x-feserver');
}

class Survey {
  private readonly grouping = new ServerGrouping();
  private readonly table = new ServerTable();

  add(r: ResultRecord): void {
    this.grouping.add(r);
    this.table.add(r);
  }

  finish(bytes: number): ServerSurvey {
    const index = this.grouping.finish();
    return { index, servers: this.table.resolve(index), bytes };
  }
}

/** The servers of a results.jsonl file (streamed, as far as it reaches now). */
export async function surveyServers(path: string): Promise<ServerSurvey> {
  const { size } = await stat(path);
  const s = new Survey();
  for await (const r of readResults(path, undefined, { bytes: size, only: mayMatter })) s.add(r);
  return s.finish(size);
}

/**
 * A survey fed by another pass over the file, record by record with the line each was read from
 * (ReadOptions.tap): the same records count as in surveyServers' own pass.
 */
export class SurveyTap {
  private readonly s = new Survey();

  readonly add = (r: ResultRecord, line: string): void => {
    if (mayMatter(line)) this.s.add(r);
  };

  /** `bytes`: how much of the file the pass read. */
  finish(bytes: number): ServerSurvey {
    return this.s.finish(bytes);
  }
}

/** The servers of records in memory (tests, small tools). */
export function surveyRecords(records: Iterable<ResultRecord>): ServerSurvey {
  const s = new Survey();
  for (const r of records) s.add(r);
  return s.finish(0);
}
