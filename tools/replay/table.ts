// The replay's result as a plain-text table: one line per host, expected against got.
import { expectationLine, verdictLine } from '../../src/fleet/replay/check.js';
import type { ReplayResult } from './run.js';

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export function replayTable(result: ReplayResult): string {
  const lines = result.rows.map((row) => {
    const got = row.record === null ? 'no record' : verdictLine(row.record);
    const sent = result.requestsByIp.get(row.ip) ?? 0;
    return {
      mark: row.problems.length === 0 ? 'ok  ' : 'FAIL',
      name: row.transcript.name,
      expected: expectationLine(row.transcript.expect),
      got,
      sent: String(sent),
      why: row.problems.join('; '),
    };
  });
  const w = (k: 'name' | 'expected' | 'got'): number => Math.max(k.length, ...lines.map((l) => l[k].length));
  const header = `     ${pad('name', w('name'))}  ${pad('expected', w('expected'))}  ${pad('got', w('got'))}  requests`;
  const body = lines.map(
    (l) =>
      `${l.mark} ${pad(l.name, w('name'))}  ${pad(l.expected, w('expected'))}  ${pad(l.got, w('got'))}  ${l.sent}${l.why === '' ? '' : `\n       ↳ ${l.why}`}`,
  );
  const failed = lines.filter((l) => l.mark === 'FAIL').length;
  const total = [...result.requestsByIp.values()].reduce((a, b) => a + b, 0);
  const max = Math.max(0, ...result.requestsByIp.values());
  return [
    header,
    ...body,
    '',
    `${lines.length - failed} of ${lines.length} hosts as their transcripts state; ${total} requests (max ${max} per host); out-of-scope sentinel connections: ${result.sentinelConnections}`,
  ].join('\n');
}
