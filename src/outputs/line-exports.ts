// results.csv and intelmq.jsonl: the outputs that are one line per endpoint and need no report
// model. They have a pass over results.jsonl of their own, so writeReports can run it while
// Chromium prints the PDF; each file is written beside its final name and renamed into place
// only when complete (LineFile), and a failure leaves neither half-written.
import { join } from 'node:path';
import type { HostHistory } from '../history/host-history.js';
import type { ResultRecord } from '../core/result-schema.js';
import {
  INTELMQ_FILE,
  intelmqEvent,
  intelmqLine,
  type IntelMqOptions,
  type IntelMqRunInfo,
} from '../export/intelmq.js';
import { csvHeader, csvRow } from '../report/csv.js';
import type { ServerIndex } from '../report/server-grouping.js';
import { readResults, type ReadStats } from '../run-store/read-results.js';
import { LineFile } from '../util/atomic-file.js';

export interface LineExportOptions {
  csv: boolean;
  intelmq: boolean;
  /** Read only this many bytes of results.jsonl (what the survey read: a running scan appends). */
  bytes: number;
  index: ServerIndex;
  hostHistory: ((r: ResultRecord) => HostHistory) | null;
  intelRun: IntelMqRunInfo;
  intelmqOptions: IntelMqOptions | undefined;
}

export interface LineExports {
  csv: string | null;
  intelmq: string | null;
  intelmqEvents: number;
  stats: ReadStats;
}

export async function writeLineExports(
  runDir: string,
  resultsFile: string,
  o: LineExportOptions,
): Promise<LineExports> {
  const csv = o.csv ? LineFile.open(join(runDir, 'results.csv')) : null;
  const intel = o.intelmq ? LineFile.open(join(runDir, INTELMQ_FILE)) : null;
  const out: LineExports = {
    csv: null,
    intelmq: null,
    intelmqEvents: 0,
    stats: { records: 0, skippedLines: 0 },
  };
  try {
    if (csv !== null) await csv.write(csvHeader());
    for await (const r of readResults(resultsFile, out.stats, { bytes: o.bytes })) {
      const server = o.index.keyOf(r);
      if (csv !== null) await csv.write(csvRow(r, o.hostHistory === null ? null : o.hostHistory(r), server));
      const event = intel === null ? null : intelmqEvent(r, o.intelRun, o.intelmqOptions, server);
      if (intel !== null && event !== null) {
        await intel.write(intelmqLine(event));
        out.intelmqEvents++;
      }
    }
    if (csv !== null) out.csv = await csv.commit();
    if (intel !== null) out.intelmq = await intel.commit();
  } catch (e) {
    await csv?.abort();
    await intel?.abort();
    throw e;
  }
  return out;
}
