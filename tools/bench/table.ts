// The compact summary printed at the end of a bench run (the same figures as bench-results.json).
import { round } from './context.js';
import type { BenchResults } from './results.js';

type Cell = string | number | null;

function cell(v: Cell): string {
  if (v === null) return '–';
  return typeof v === 'number' ? v.toLocaleString('en-GB') : v;
}

/** A left-aligned first column and right-aligned figures. */
export function table(header: string[], rows: Cell[][]): string {
  const text = [header, ...rows.map((r) => r.map(cell))];
  const widths = header.map((_, i) => Math.max(...text.map((r) => (r[i] ?? '').length)));
  return text
    .map(
      (r) =>
        `  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')}`,
    )
    .join('\n');
}

export function summaryTable(r: BenchResults): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(
    `owa-audit ${m.toolVersion} bench (${r.mode}) — ${m.date.slice(0, 10)}, ${m.nproc} CPU (${m.cpuModel}), ${m.ramGb} GB RAM, Node ${m.node}, load ${m.loadAverage} at start; ${r.wallSeconds} s`,
  );
  if (r.throughput.length > 0) {
    const t0 = r.throughput[0];
    out.push(
      `\nThroughput — rate limit ${cell(t0?.rateLimit ?? null)}/s (not binding), host_gap_ms ${cell(t0?.hostGapMs ?? null)}, concurrency ${cell(t0?.concurrency ?? null)}`,
    );
    out.push(
      table(
        [
          'hosts',
          'endpoints/s',
          'requests/s',
          'ref. requests/s',
          'overhead time',
          'overhead CPU',
          'scanner peak RSS MB',
        ],
        r.throughput.map((t) => [
          t.hosts,
          t.scanner.endpointsPerSec,
          t.scanner.requestsPerSec,
          t.reference.requestsPerSec,
          `×${t.overhead.time}`,
          `×${t.overhead.cpu}`,
          t.scanner.peakRssMb,
        ]),
      ),
    );
  }
  if (r.rate !== null) {
    const x = r.rate;
    out.push(
      `\nRate fidelity — limit ${x.limit}/s, host_gap_ms ${x.hostGapMs}, ${cell(x.hosts)} hosts, ${cell(x.requests)} requests (server-side)`,
    );
    out.push(
      table(
        [
          'achieved req/s',
          'of limit',
          'steady of limit',
          'max in any 1 s',
          'min per-IP gap ms',
          'gaps below',
        ],
        [
          [
            x.achievedRate,
            x.achievedFraction,
            x.steadyFraction,
            x.maxIn1s,
            x.minHostGapMs,
            `${cell(x.gapsBelowHostGap)} of ${cell(x.gapPairs)}`,
          ],
        ],
      ),
    );
  }
  if (r.requests !== null) {
    const q = r.requests;
    out.push(
      `\nRequests per endpoint — standard mode, standard fleet (cap ${q.cap}); sentinel connections ${q.sentinelConnections}`,
    );
    out.push(
      table(
        ['host kind', 'endpoints', 'mean', 'max'],
        [
          ...q.byKind.map((k) => [k.kind, k.endpoints, k.meanRequests, k.maxRequests]),
          ['all', q.endpoints, q.meanRequests, q.maxRequests],
        ],
      ),
    );
  }
  if (r.memory.length > 0) {
    out.push('\nScanner memory — most targets refuse connections');
    out.push(
      table(
        [
          'targets',
          'live',
          'endpoints/s',
          'baseline RSS MB',
          'peak RSS MB',
          'peak heap MB',
          'heap after GC MB',
        ],
        r.memory.map((x) => [
          x.targets,
          x.liveHosts,
          x.endpointsPerSec,
          x.baselineRssMb,
          x.peakRssMb,
          x.peakHeapUsedMb,
          x.endHeapAfterGcMb,
        ]),
      ),
    );
  }
  if (r.render.length > 0) {
    out.push('\nReport rendering — synthetic runs');
    out.push(
      table(
        [
          'endpoints',
          'HTML s',
          'PDF s',
          'Chromium start s',
          'PDF pages',
          'node peak RSS MB',
          'Chromium peak PSS MB',
        ],
        r.render.map((x) => [
          x.endpoints,
          x.htmlSeconds,
          x.pdfSeconds,
          x.chromiumLaunchSeconds,
          x.pdfPages,
          x.nodePeakRssMb,
          x.chromiumPeakPssMb,
        ]),
      ),
    );
  }
  if (r.history.length > 0) {
    out.push('\nScan history — synthetic runs recorded as weekly runs');
    out.push(
      table(
        [
          'endpoints',
          'runs',
          'record s/run',
          'bytes/endpoint/run',
          'DB MB',
          'diff s',
          'report s',
          'with history s',
          'prune s',
          'DB MB after prune',
        ],
        r.history.map((x) => [
          x.endpoints,
          x.runs,
          x.recordSeconds,
          x.bytesPerEndpointRun,
          x.dbMb,
          x.diffSeconds,
          x.reportSeconds,
          x.reportWithHistorySeconds,
          x.pruneSeconds,
          x.dbMbAfterPrune,
        ]),
      ),
    );
  }
  if (r.pool !== null) {
    const p = r.pool;
    out.push(
      `\nEndpoint pool — ${cell(p.tasks)} tasks, ${p.concurrency} in flight, median of ${p.rounds} rounds (µs per task)`,
    );
    out.push(
      table(
        ['pool', 'µs/task', 'over no pool'],
        [
          ['p-limit (engine)', p.pLimitMicros, round(p.pLimitMicros - p.baselineMicros)],
          ['hand-written (before)', p.handWrittenMicros, round(p.handWrittenMicros - p.baselineMicros)],
          ['none (one at a time)', p.baselineMicros, 0],
        ],
      ),
    );
  }
  const sections = Object.entries(r.sectionSeconds).map(([k, v]) => `${k} ${cell(v ?? null)} s`);
  if (sections.length > 0) out.push(`\nWall time by section: ${sections.join(', ')}`);
  if (r.failures.length > 0)
    out.push(`\nFAILED:\n${r.failures.map((f) => `  - ${f.section}: ${f.error}`).join('\n')}`);
  if (r.notes.length > 0) out.push(`\nNotes:\n${r.notes.map((n) => `  - ${n}`).join('\n')}`);
  return `${out.join('\n')}\n`;
}
