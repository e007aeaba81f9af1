// Every figure of a bench run as rows of figure | reference | ratio | goal, one table per section —
// the one source of the printed summary (table.ts) and of README's Performance table
// (`npm run bench:readme`, markdown.ts). Pure: results in, rows out.
import type { MainThreadSeconds } from './main-thread-figures.js';
import type { BenchResults } from './results.js';
import type { TailParts } from './sections/command.js';

export interface FigureRow {
  what: string;
  figure: string;
  reference: string | null;
  /** figure ÷ reference, when both are the same kind of quantity. */
  ratio: number | null;
  goal: string | null;
  /** Whether the goal is met (null: no goal, or nothing to judge). */
  met: boolean | null;
}

export interface FigureTable {
  title: string;
  rows: FigureRow[];
}

const n = (v: number): string => v.toLocaleString('en-GB');
const s = (v: number): string => `${n(v)} s`;
const mbs = (v: number | null): string => (v === null ? '–' : `${n(v)} MB`);

/** "1.9 + 0.35 s (94 %)": a main thread on a core and waiting for one, and their share of the span read. */
function mainThreadText(m: MainThreadSeconds): string {
  const busy = m.cpuSeconds + (m.waitSeconds ?? 0);
  const share = m.overSeconds > 0 ? ` (${Math.round((100 * busy) / m.overSeconds)} %)` : '';
  return m.waitSeconds === null
    ? `${s(m.cpuSeconds)} on a core${share}`
    : `${n(m.cpuSeconds)} + ${s(m.waitSeconds)}${share}`;
}

function row(
  what: string,
  figure: string,
  extra: Partial<Omit<FigureRow, 'what' | 'figure'>> = {},
): FigureRow {
  return { what, figure, reference: null, ratio: null, goal: null, met: null, ...extra };
}

/** A ratio goal "at most x×": met when the ratio is known and within it. */
function atMost(ratio: number | null, limit: number, aim?: string): Pick<FigureRow, 'goal' | 'met'> {
  return {
    goal: `≤ ${n(limit)}×${aim === undefined ? '' : ` (aim ${aim})`}`,
    met: ratio === null ? null : ratio <= limit,
  };
}

/** The /17's peak from the same run, the yardstick of the /12's flatness. */
const FLAT_TOLERANCE = 1.1;
const MEMORY_GOAL_MB = 150;
const RATE_GOAL = 0.95;
const STARTUP_GOAL = 3;

export function figureTables(r: BenchResults): FigureTable[] {
  const out: FigureTable[] = [];
  if (r.throughput.length > 0) {
    const t0 = r.throughput[0];
    out.push({
      title: `Probe phase — scanner against a bare keep-alive client replaying exactly its requests (server-side, first to last request; concurrency ${String(t0?.concurrency)}, rate not binding)`,
      rows: r.throughput.flatMap((t) => [
        row(
          `probe phase, ${n(t.hosts)} hosts, ${n(t.scanner.requests)} requests${t.repeats > 1 ? ` (median of ${t.repeats} pairs)` : ''}`,
          `${s(t.scanner.probeSeconds)} (${n(t.scanner.requestsPerSec)} req/s)`,
          {
            reference: `${s(t.reference.probeSeconds)} (${n(t.reference.requestsPerSec)} req/s)`,
            ratio: t.ratio.probePhase,
            ...atMost(t.ratio.probePhase, 1.25, '1.0×'),
          },
        ),
        row(`CPU, ${n(t.hosts)} hosts (scanner process, start-up included)`, s(t.scanner.cpuSeconds), {
          reference: s(t.reference.cpuSeconds),
          ratio: t.ratio.cpu,
        }),
        ...(t.scanner.helperCpuSeconds === undefined
          ? []
          : [
              row(
                '— of it beside the main thread (V8 compile and GC helpers)',
                s(t.scanner.helperCpuSeconds),
              ),
            ]),
        ...(t.scanner.mainThread === undefined || t.reference.mainThread === undefined
          ? []
          : [
              row(
                '— main thread: on a core + waiting for one (share of the probe phase; the replay: of its run)',
                mainThreadText(t.scanner.mainThread),
                { reference: mainThreadText(t.reference.mainThread) },
              ),
            ]),
        ...(t.scanner.fleetCpuSeconds === undefined || t.reference.fleetCpuSeconds === undefined
          ? []
          : [
              row(
                `the fleet's CPU, ${n(t.hosts)} hosts (serving the scan, and the replay)`,
                s(t.scanner.fleetCpuSeconds),
                {
                  reference: s(t.reference.fleetCpuSeconds),
                },
              ),
            ]),
      ]),
    });
  }
  if (r.wholeCommand !== null) {
    const c = r.wholeCommand;
    const ref = `${s(c.reference.probeSeconds)} (replay)`;
    out.push({
      title: `Whole command — \`owa-audit scan\` with reports (html, pdf, csv, intelmq) and history, ${n(c.hosts)} hosts, ${n(c.requests)} requests, against the replay of its requests`,
      rows: [
        row(
          `whole command, spawn to exit${c.repeats !== undefined && c.repeats > 1 ? ` (median of ${c.repeats} pairs)` : ''}`,
          s(c.wholeSeconds),
          {
            reference: ref,
            ratio: c.ratio.whole,
            ...atMost(c.ratio.whole, 2),
          },
        ),
        row('— spawn to first request', s(c.preProbeSeconds)),
        row('— probe phase', s(c.probeSeconds), { reference: ref, ratio: c.ratio.probePhase }),
        row('— last request to exit (reports, history)', s(c.postProbeSeconds)),
        ...(c.tail === undefined || c.tail === null
          ? []
          : tailRows(c.tail, c.reference.probeSeconds, c.ratio.floor)),
        row('CPU (Chromium not counted) / peak RSS', `${s(c.cpuSeconds)} / ${mbs(c.peakRssMb)}`),
      ],
    });
  }
  if (r.startup !== null) {
    const st = r.startup;
    const bare = `${n(st.bare.ms)} ms, ${mbs(st.bare.rssMb)}`;
    out.push({
      title: `Start-up — spawn to exit beside a bare \`node -e 0\`, median of ${st.runs} runs (RSS: kernel high-water mark)`,
      rows: st.commands.map((c) =>
        row(`owa-audit ${c.command}`, `${n(c.ms)} ms, ${mbs(c.rssMb)}`, {
          reference: bare,
          ratio: c.ratio,
          ...(c.command === '--version' ? atMost(c.ratio, STARTUP_GOAL) : {}),
        }),
      ),
    });
  }
  if (r.rate !== null) {
    const x = r.rate;
    const snd = x.sender;
    out.push({
      title: `Rate fidelity — limit ${n(x.limit)}/s, host_gap_ms ${n(x.hostGapMs)}, ${n(x.hosts)} hosts, ${n(x.requests)} requests; at the fleet (server-side) and at the sender (undici's request writes)`,
      rows: [
        row('achieved, of the limit — at the fleet', n(x.achievedFraction), {
          goal: `≥ ${n(RATE_GOAL)}`,
          met: x.achievedFraction >= RATE_GOAL,
        }),
        row('— steady (middle 80 % of the requests), at the fleet', n(x.steadyFraction)),
        row('achieved, of the limit — at the sender', snd === null ? '–' : n(snd.achievedFraction), {
          goal: `≥ ${n(RATE_GOAL)}`,
          met: snd === null ? null : snd.achievedFraction >= RATE_GOAL,
        }),
        row('most requests in any 1 s — at the fleet', n(x.maxIn1s), {
          reference: `limit ${n(x.limit)}`,
          ratio: x.maxIn1s / x.limit,
          goal: `≤ ${n(x.limit)}`,
          met: x.maxIn1s <= x.limit,
        }),
        row('most requests in any 1 s — at the sender', snd === null ? '–' : n(snd.maxIn1s), {
          reference: `limit ${n(x.limit)}`,
          ratio: snd === null ? null : snd.maxIn1s / x.limit,
          goal: `≤ ${n(x.limit)}`,
          met: snd === null ? null : snd.maxIn1s <= x.limit,
        }),
        row('smallest per-IP gap — at the fleet', x.minHostGapMs === null ? '–' : `${n(x.minHostGapMs)} ms`, {
          reference: `host_gap_ms ${n(x.hostGapMs)}`,
          goal: `≥ ${n(x.hostGapMs)} ms`,
          met: x.minHostGapMs === null ? null : x.minHostGapMs >= x.hostGapMs,
        }),
        row(
          'smallest per-IP gap — at the sender',
          snd?.minHostGapMs === null || snd === null ? '–' : `${n(snd.minHostGapMs)} ms`,
          {
            reference: `host_gap_ms ${n(x.hostGapMs)}`,
            goal: `≥ ${n(x.hostGapMs)} ms`,
            met: snd === null || snd.minHostGapMs === null ? null : snd.minHostGapMs >= x.hostGapMs,
          },
        ),
      ],
    });
  }
  const ranges = [...r.memory, ...r.memory12];
  if (ranges.length > 0) {
    const seventeen = r.memory.find((m) => m.prefix === 17) ?? r.memory[0];
    out.push({
      title: `Scanner memory — \`owa-audit scan\` (a shard of one: no reports) over ranges where nothing listens, concurrency ${String(ranges[0]?.concurrency)}`,
      rows: ranges.flatMap((m) => {
        const isWide = r.memory12.includes(m);
        const flat =
          isWide && seventeen !== undefined
            ? {
                reference: `${mbs(seventeen.peakRssMb)} (${seventeen.range})`,
                ratio: m.peakRssMb / seventeen.peakRssMb,
                goal: `flat: ≤ ${n(FLAT_TOLERANCE)}× the /${seventeen.prefix}`,
                met: m.peakRssMb <= FLAT_TOLERANCE * seventeen.peakRssMb,
              }
            : m.prefix === 17
              ? { goal: `≤ ${MEMORY_GOAL_MB} MB`, met: m.peakRssMb <= MEMORY_GOAL_MB }
              : {};
        return [
          row(`peak RSS, ${m.range} (${n(m.records)} endpoints)`, mbs(m.peakRssMb), flat),
          row(
            `— RSS at 25 / 50 / 75 / 100 % of the run`,
            m.rssAtMb.map((v) => (v === null ? '–' : n(v))).join(' / ') + ' MB',
          ),
          row(`— peak heap / heap after GC`, `${mbs(m.peakHeapUsedMb)} / ${mbs(m.heapAfterGcMb)}`),
          row(`— endpoints/s, wall time`, `${n(m.endpointsPerSec)}, ${s(m.seconds)}`),
        ];
      }),
    });
  }
  if (r.requests !== null) {
    const q = r.requests;
    const cap = `≤ ${q.cap}`;
    out.push({
      title: `Requests per endpoint — standard mode, standard fleet; sentinel connections ${q.sentinelConnections}`,
      rows: [
        ...q.byKind.map((k) =>
          row(`${k.kind} (${k.endpoints})`, `mean ${n(k.meanRequests)}, max ${k.maxRequests}`, {
            goal: cap,
            met: k.maxRequests <= q.cap,
          }),
        ),
        row(`all (${q.endpoints})`, `mean ${n(q.meanRequests)}, max ${q.maxRequests}`, {
          goal: cap,
          met: q.maxRequests <= q.cap,
        }),
      ],
    });
  }
  if (r.render.length > 0)
    out.push({
      title: 'Report rendering — synthetic runs',
      rows: r.render.flatMap((x) => [
        row(`HTML, ${n(x.endpoints)} endpoints`, s(x.htmlSeconds)),
        row(
          `PDF, ${n(x.endpoints)} endpoints (browser running; ${x.pdfPages === null ? '–' : n(x.pdfPages)} pages)`,
          x.pdfSeconds === null ? '–' : s(x.pdfSeconds),
        ),
        row(
          `— Chromium start / node peak RSS / Chromium peak PSS`,
          `${x.chromiumLaunchSeconds === null ? '–' : s(x.chromiumLaunchSeconds)} / ${mbs(x.nodePeakRssMb)} / ${mbs(x.chromiumPeakPssMb)}`,
        ),
      ]),
    });
  if (r.history.length > 0)
    out.push({
      title: 'Scan history — synthetic runs recorded as four weekly runs',
      rows: r.history.flatMap((x) => [
        row(
          `record one run, ${n(x.endpoints)} endpoints`,
          `${s(x.recordSeconds)} (${n(x.bytesPerEndpointRun)} bytes/endpoint/run, ${mbs(x.dbMb)})`,
        ),
        row(
          `— diff of two runs / prune --keep 1`,
          `${s(x.diffSeconds)} / ${s(x.pruneSeconds)} (→ ${mbs(x.dbMbAfterPrune)})`,
        ),
        row(`— report html+csv with history`, s(x.reportWithHistorySeconds), {
          reference: `${s(x.reportSeconds)} without`,
          ratio: x.reportSeconds > 0 ? x.reportWithHistorySeconds / x.reportSeconds : null,
        }),
      ]),
    });
  if (r.pool !== null) {
    const p = r.pool;
    out.push({
      title: `Endpoint pool — ${n(p.tasks)} tasks, ${p.concurrency} in flight, median of ${p.rounds} rounds`,
      rows: [
        row('p-limit (engine), µs per task', n(p.pLimitMicros), {
          reference: `${n(p.handWrittenMicros)} (hand-written pool before it)`,
          ratio: p.handWrittenMicros > 0 ? p.pLimitMicros / p.handWrittenMicros : null,
        }),
        row('— no pool, one task at a time', n(p.baselineMicros)),
      ],
    });
  }
  return out;
}

/** "×1.23", or "–". */
export function ratioText(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return '–';
  return `×${(Math.round(ratio * 100) / 100).toLocaleString('en-GB')}`;
}

/** The goal with its verdict: "≤ 1.25× — met". */
export function goalText(row: FigureRow): string {
  if (row.goal === null) return '–';
  if (row.met === null) return row.goal;
  return `${row.goal} — ${row.met ? 'met' : 'NOT met'}`;
}

/**
 * The whole command's last part at the writes of report.html and report.pdf, and the floor that
 * Chromium's part sets: the replay plus the print, before any start-up or work of the scanner.
 */
function tailRows(tail: TailParts, replaySeconds: number, floor: number | null | undefined): FigureRow[] {
  return [
    row(
      '— of it: results closed, history staged, report models, report.html written',
      s(tail.documentSeconds),
    ),
    row(
      '— of it: Chromium loads and prints report.pdf (CSV, IntelMQ, history commit meanwhile)',
      s(tail.printSeconds),
    ),
    row('— of it: report.pdf written to exit', s(tail.exitSeconds)),
    row(
      "floor here: the replay's pace plus Chromium's print alone (no start-up, no work of the scanner)",
      s(Math.round((replaySeconds + tail.printSeconds) * 100) / 100),
      { reference: `${s(replaySeconds)} (replay)`, ratio: floor ?? null },
    ),
  ];
}
