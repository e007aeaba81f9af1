// The report's first pass over results.jsonl: which endpoints are one server, and what every
// report must know about its Exchange servers before laying them out. The second pass (index.ts)
// reads the same records again with this in hand.
import { readResults, type ReadStats } from '../results/read.js';
import type { ResultRecord } from '../results/schema.js';
import { ServerGrouping, type ServerIndex } from './server-grouping.js';
import { ServerTable, type ResolvedServers } from './server-table.js';

export interface ServerSurvey {
  index: ServerIndex;
  servers: ResolvedServers;
  /** Records read: the second pass reads no more, so a file that grows meanwhile stays consistent. */
  records: number;
}

class Survey {
  private readonly grouping = new ServerGrouping();
  private readonly table = new ServerTable();
  records = 0;

  add(r: ResultRecord): void {
    this.records++;
    this.grouping.add(r);
    this.table.add(r);
  }

  finish(): ServerSurvey {
    const index = this.grouping.finish();
    return { index, servers: this.table.resolve(index), records: this.records };
  }
}

/** The servers of a results.jsonl file (streamed). */
export async function surveyServers(path: string, stats?: ReadStats): Promise<ServerSurvey> {
  const s = new Survey();
  for await (const r of readResults(path, stats)) s.add(r);
  return s.finish();
}

/** The servers of records in memory (tests, small tools). */
export function surveyRecords(records: Iterable<ResultRecord>): ServerSurvey {
  const s = new Survey();
  for (const r of records) s.add(r);
  return s.finish();
}
