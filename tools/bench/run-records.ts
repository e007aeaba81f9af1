// What a scan's run directory says: its records counted by status (results.jsonl, one JSON record a
// line — read as a stream: a /12's file is hundreds of MB).
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface RecordCounts {
  records: number;
  byStatus: Record<string, number>;
}

export async function countRecords(runDir: string): Promise<RecordCounts> {
  const counts: RecordCounts = { records: 0, byStatus: {} };
  const lines = createInterface({ input: createReadStream(join(runDir, 'results.jsonl'), 'utf8') });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const status = String((JSON.parse(line) as { status?: unknown }).status);
    counts.records++;
    counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1;
  }
  return counts;
}
