// The bench's pure parts: the replay's request list from the fleet's log, the arithmetic behind
// its figures, and the rows README's Performance table is printed from.
import { describe, expect, it } from 'vitest';
import { figureTables, goalText, ratioText } from '../tools/bench/figure-rows.js';
import { mainThreadOverPhase } from '../tools/bench/main-thread-figures.js';
import { mainThreadBetween, mainThreadOver, mainThreadTimes } from '../tools/bench/main-thread.js';
import { markdownReport } from '../tools/bench/markdown.js';
import {
  achievedRate,
  gapsPerKey,
  median,
  ratio,
  replaySequences,
  valuesAtFractions,
} from '../tools/bench/measures.js';
import { BENCH_SCHEMA, type BenchResults } from '../tools/bench/results.js';
import { runHeading } from '../tools/bench/table.js';
import { tailParts, type CommandFigures } from '../tools/bench/sections/command.js';
import { twelveBase } from '../tools/bench/sections/memory.js';

describe('replaySequences', () => {
  it('replays each endpoint’s requests in arrival order, endpoints in the order first reached', () => {
    const log = [
      { ip: '127.1.0.2', port: 443, path: '/owa/', t: 12 },
      { ip: '127.1.0.1', port: 443, path: '/ecp/', t: 15 },
      { ip: '127.1.0.1', port: 443, path: '/owa/', t: 10 },
      { ip: '127.1.0.2', port: 443, path: '/owa/auth/logon.aspx', t: 11 },
      { ip: '127.1.0.1', port: 80, path: '/', t: 13 },
      { ip: '127.1.0.1', port: 443, path: '/owa/', t: 20 },
    ];
    expect(replaySequences(log)).toEqual([
      { ip: '127.1.0.1', port: 443, paths: ['/owa/', '/ecp/', '/owa/'] },
      { ip: '127.1.0.2', port: 443, paths: ['/owa/auth/logon.aspx', '/owa/'] },
      { ip: '127.1.0.1', port: 80, paths: ['/'] },
    ]);
  });

  it('keeps log order for requests that arrived in the same millisecond', () => {
    const log = [
      { ip: 'a', port: 1, path: '/first', t: 5 },
      { ip: 'a', port: 1, path: '/second', t: 5 },
    ];
    expect(replaySequences(log)[0]?.paths).toEqual(['/first', '/second']);
  });
});

it('median, ratio and rate', () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 2, 3])).toBe(2.5);
  expect(median([])).toBeNaN();
  expect(ratio(3, 2)).toBe(1.5);
  expect(ratio(3, 0)).toBeNull();
  expect(ratio(null, 2)).toBeNull();
  expect(achievedRate([0, 500, 1000])).toBe(2);
  expect(achievedRate([7])).toBe(0);
});

it('memory at fractions of a run: the last sample at or before each moment', () => {
  const samples = [
    [0, 10],
    [10, 20],
    [20, 30],
    [40, 50],
  ] as const;
  expect(valuesAtFractions(samples, [0.25, 0.5, 0.75, 1])).toEqual([20, 30, 30, 50]);
  expect(valuesAtFractions([], [0.5])).toEqual([null]);
});

it('per-address gaps: smallest, and how many below the asked gap', () => {
  const sends = [
    [0, 'a'],
    [600, 'a'],
    [100, 'b'],
    [450, 'b'],
    [2000, 'a'],
  ] as const;
  expect(gapsPerKey(sends, 500)).toEqual({ min: 350, below: 1, pairs: 3 });
  expect(gapsPerKey([[1, 'x']], 500)).toEqual({ min: null, below: 0, pairs: 0 });
});

it('the /12 of the opt-in section is aligned and never the demo’s 127.100.0.0/16', () => {
  expect(twelveBase(110)).toBe('127.112.0.0');
  expect(twelveBase(90)).toBe('127.112.0.0');
  expect(twelveBase(43)).toBe('127.48.0.0');
  expect(() => twelveBase(245)).toThrow(/lower --octet/);
});

function results(): BenchResults {
  return {
    schema: BENCH_SCHEMA,
    mode: 'full',
    command: 'node --expose-gc dist-tools/tools/bench/main.js --all',
    machine: {
      date: '2026-12-07T00:00:00.000Z',
      nproc: 2,
      cpuModel: 'Test CPU',
      ramGb: 8,
      node: 'v20.20.2',
      os: 'linux',
      loadAverage: 1.5,
      openFileLimit: 65536,
      toolVersion: '0.1.0',
    },
    wallSeconds: 100,
    sectionSeconds: {},
    throughput: [
      {
        hostsAsked: 600,
        repeats: 1,
        probeRatios: [1.2],
        hosts: 600,
        concurrency: 128,
        rateLimit: 10_000,
        hostGapMs: 0,
        scanner: {
          endpoints: 600,
          exchangeFound: 600,
          requests: 1942,
          connections: 600,
          probeSeconds: 2.4,
          endpointsPerSec: 250,
          requestsPerSec: 809,
          cpuSeconds: 3,
          peakRssMb: 140,
        },
        reference: {
          requests: 1942,
          connections: 600,
          errors: 0,
          probeSeconds: 2,
          clientSeconds: 2.1,
          cpuSeconds: 1.5,
          peakRssMb: 60,
          requestsPerSec: 971,
        },
        ratio: { probePhase: 1.2, cpu: 2 },
      },
    ],
    wholeCommand: null,
    startup: {
      runs: 5,
      bare: { ms: 40, rssMb: 39 },
      commands: [{ command: '--version', ms: 160, rssMb: 50, ratio: 4 }],
    },
    rate: null,
    requests: null,
    memory: [
      {
        range: '127.113.0.0/17',
        prefix: 17,
        concurrency: 128,
        records: 32768,
        unreachable: 32768,
        seconds: 25,
        endpointsPerSec: 1300,
        peakRssMb: 140,
        rssAtMb: [120, 125, 130, 131],
        peakHeapUsedMb: 50,
        heapAfterGcMb: 19,
      },
    ],
    memory12: [
      {
        range: '127.112.0.0/12',
        prefix: 12,
        concurrency: 128,
        records: 1048576,
        unreachable: 1048576,
        seconds: 740,
        endpointsPerSec: 1417,
        peakRssMb: 160,
        rssAtMb: [128, 129, 130, 130],
        peakHeapUsedMb: 60,
        heapAfterGcMb: 20,
      },
    ],
    render: [],
    history: [],
    pool: null,
    notes: [],
    failures: [],
  };
}

it('judges each figure against its goal from the same run', () => {
  const tables = figureTables(results());
  const rows = tables.flatMap((t) => t.rows);
  const probe = rows.find((r) => r.what.startsWith('probe phase, 600 hosts'));
  expect(probe).toMatchObject({ ratio: 1.2, met: true });
  if (probe === undefined) return;
  expect(goalText(probe)).toBe('≤ 1.25× (aim 1.0×) — met');
  expect(rows.find((r) => r.what === 'owa-audit --version')).toMatchObject({ ratio: 4, met: false });
  expect(rows.find((r) => r.what.startsWith('peak RSS, 127.113.0.0/17'))).toMatchObject({ met: true });
  // 160 MB on the /12 is more than 1.1 × the /17's 140 MB: not flat.
  const wide = rows.find((r) => r.what.startsWith('peak RSS, 127.112.0.0/12'));
  expect(wide).toMatchObject({ reference: '140 MB (127.113.0.0/17)', met: false });
  expect(ratioText(wide?.ratio ?? null)).toBe('×1.14');
  expect(ratioText(null)).toBe('–');
  // No CPU beside the main thread in these results (an older run): no row for it.
  expect(rows.some((r) => r.what.includes('beside the main thread'))).toBe(false);
  const withHelpers = results();
  const t = withHelpers.throughput[0];
  if (t !== undefined) t.scanner.helperCpuSeconds = 0.8;
  const helperRow = figureTables(withHelpers)
    .flatMap((x) => x.rows)
    .find((r) => r.what.includes('beside the main thread'));
  expect(helperRow?.figure).toBe('0.8 s');
  expect(rows.some((r) => r.what.startsWith("the fleet's CPU"))).toBe(false);
  if (t !== undefined) {
    t.scanner.fleetCpuSeconds = 1.4;
    t.reference.fleetCpuSeconds = 1.1;
  }
  const fleetRow = figureTables(withHelpers)
    .flatMap((x) => x.rows)
    .find((r) => r.what.startsWith("the fleet's CPU"));
  expect(fleetRow).toMatchObject({ figure: '1.4 s', reference: '1.1 s' });
  // The main threads: shown only when both sides were read.
  const mainRow = () =>
    figureTables(withHelpers)
      .flatMap((x) => x.rows)
      .find((r) => r.what.startsWith('— main thread'));
  expect(mainRow()).toBeUndefined();
  if (t !== undefined) {
    t.scanner.mainThread = { cpuSeconds: 1.9, waitSeconds: 0.35, overSeconds: 2.4 };
    t.reference.mainThread = { cpuSeconds: 1.6, waitSeconds: null, overSeconds: 2 };
  }
  expect(mainRow()).toMatchObject({ figure: '1.9 + 0.35 s (94 %)', reference: '1.6 s on a core (80 %)' });
});

describe('the main thread over a phase (tools/bench/main-thread.ts)', () => {
  const at = (cpuMs: number, waitMs: number | null) => ({ cpuMs, waitMs });
  const readings: [number, { cpuMs: number; waitMs: number | null }][] = [
    [1000, at(100, 10)],
    [1050, at(140, 12)],
    [1100, at(180, 20)],
    [1150, at(230, 21)],
  ];

  it('spans the window from the last reading at or before its start to the first at or after its end', () => {
    expect(mainThreadOver(readings, 1060, 1140)).toEqual({ ...at(90, 9), spanMs: 100 });
    expect(mainThreadOver(readings, 1050, 1100)).toEqual({ ...at(40, 8), spanMs: 50 });
    // Readings only after the start: from the first one.
    expect(mainThreadOver(readings, 900, 1050)).toEqual({ ...at(40, 2), spanMs: 50 });
    // None at or after the end: unknown.
    expect(mainThreadOver(readings, 1000, 1200)).toBeNull();
    expect(mainThreadBetween(at(1, null), at(5, 3))).toEqual(at(4, null));
  });

  it('gives no figure for a phase the fleet never saw (no first or last request)', () => {
    expect(mainThreadOverPhase(readings, 1060, 1140)).toEqual({
      mainThread: { cpuSeconds: 0.09, waitSeconds: 0.01, overSeconds: 0.1 },
    });
    expect(mainThreadOverPhase(readings, null, 1140)).toEqual({});
    expect(mainThreadOverPhase(readings, 1060, null)).toEqual({});
  });

  it("reads this process's main thread from /proc, and its time grows with work done on it", () => {
    const before = mainThreadTimes();
    if (process.platform !== 'linux') {
      expect(before).toBeNull();
      return;
    }
    const until = performance.now() + 60;
    let spins = 0;
    while (performance.now() < until) spins++;
    const spent = mainThreadBetween(before, mainThreadTimes());
    expect(spins).toBeGreaterThan(0);
    // 60 ms of spinning, counted in 10 ms ticks.
    expect(spent?.cpuMs).toBeGreaterThanOrEqual(30);
  });
});

it('says beside the machine which browser printed; results written before it was recorded still print', () => {
  const r = results();
  r.machine.browser = {
    label: 'system headless shell',
    executable: '/usr/bin/chromium-headless-shell',
    version: 'Chromium 150.0.7871.100',
  };
  const printed =
    'load 1.5 at the start; PDFs printed by Chromium 150.0.7871.100 (system headless shell: /usr/bin/chromium-headless-shell); 100 s in all.';
  expect(markdownReport(r)).toContain(printed);
  expect(runHeading(r)).toContain(
    'load 1.5 at start; PDFs printed by Chromium 150.0.7871.100 (system headless shell: /usr/bin/chromium-headless-shell); 100 s',
  );
  r.machine.browser = {
    label: 'bundled @sparticuz/chromium 143.0.4',
    executable: '/c/chromium',
    version: null,
  };
  expect(markdownReport(r)).toContain(
    '; PDFs printed by a browser (bundled @sparticuz/chromium 143.0.4: /c/chromium); ',
  );
  r.machine.browser = null;
  expect(markdownReport(r)).toContain('; PDFs printed by no browser (no PDF figures); ');
  // Written before the field existed: the line as it was.
  delete r.machine.browser;
  expect(markdownReport(r)).toContain('load 1.5 at the start; 100 s in all.');
  expect(runHeading(r)).not.toContain('PDFs printed by');
});

it('prints the README table as Markdown, with the run it came from', () => {
  const md = markdownReport(results());
  expect(md).toContain('`node --expose-gc dist-tools/tools/bench/main.js --all`');
  expect(md).toContain('load 1.5 at the start');
  expect(md).toContain('| what | figure | reference | ratio | goal |');
  expect(md).toContain(
    '| probe phase, 600 hosts, 1,942 requests | 2.4 s (809 req/s) | 2 s (971 req/s) | ×1.2 | ≤ 1.25× (aim 1.0×) — met |',
  );
  expect(md).toContain('| owa-audit --version | 160 ms, 50 MB | 40 ms, 39 MB | ×4 | ≤ 3× — NOT met |');
  // Pipes inside a cell cannot break the table.
  const r = results();
  r.failures = [{ section: 'rate', error: 'a | b' }];
  expect(markdownReport(r)).toContain('rate (a \\| b)');
});

describe('the whole command’s last part', () => {
  it('splits last request → exit at the writes of report.html and report.pdf', () => {
    expect(tailParts(10_000, 10_650, 11_750, 11_900)).toEqual({
      documentSeconds: 0.65,
      printSeconds: 1.1,
      exitSeconds: 0.15,
    });
  });

  it('has no split without both files, or with writes out of order', () => {
    expect(tailParts(10_000, null, 11_750, 11_900)).toBeNull();
    expect(tailParts(10_000, 10_650, null, 11_900)).toBeNull();
    // report.pdf before report.html, or a write after the exit: clocks that disagree, no figure.
    expect(tailParts(10_000, 11_800, 11_750, 11_900)).toBeNull();
    expect(tailParts(10_000, 10_650, 11_950, 11_900)).toBeNull();
  });

  function withCommand(tail: CommandFigures['tail'], floor: number | null): BenchResults {
    const r = results();
    r.wholeCommand = {
      hosts: 600,
      requests: 1942,
      wholeSeconds: 4.9,
      preProbeSeconds: 0.5,
      probeSeconds: 2.4,
      postProbeSeconds: 2,
      ...(tail === undefined ? {} : { tail }),
      cpuSeconds: 4.7,
      peakRssMb: 200,
      runFiles: ['report.html', 'report.pdf', 'results.jsonl', 'run.json'],
      reference: {
        requests: 1942,
        connections: 600,
        errors: 0,
        probeSeconds: 1.6,
        clientSeconds: 1.7,
        cpuSeconds: 2,
        peakRssMb: 60,
      },
      ratio: { whole: 3.06, probePhase: 1.5, floor },
    };
    return r;
  }

  it('prints the split and the floor Chromium’s part sets, beside the replay', () => {
    const rows = figureTables(
      withCommand({ documentSeconds: 0.7, printSeconds: 1.1, exitSeconds: 0.2 }, 1.69),
    ).flatMap((t) => t.rows);
    expect(rows.find((r) => r.what.startsWith('— of it: results closed'))?.figure).toBe('0.7 s');
    expect(rows.find((r) => r.what.startsWith('— of it: Chromium loads and prints'))?.figure).toBe('1.1 s');
    expect(rows.find((r) => r.what.startsWith('— of it: report.pdf written to exit'))?.figure).toBe('0.2 s');
    const floor = rows.find((r) => r.what.startsWith('floor here'));
    expect(floor).toMatchObject({ figure: '2.7 s', reference: '1.6 s (replay)', ratio: 1.69, goal: null });
  });

  it('prints no split for a run without one (no PDF, or an older results file)', () => {
    for (const r of [withCommand(null, null), withCommand(undefined, null)]) {
      const rows = figureTables(r).flatMap((t) => t.rows);
      expect(rows.some((x) => x.what.startsWith('— last request to exit'))).toBe(true);
      expect(rows.some((x) => x.what.startsWith('— of it:') || x.what.startsWith('floor here'))).toBe(false);
    }
  });
});
