// `npm run bench -- --quick` end to end (the built bench, small counts, on the fault suite's
// 127.43–127.47): it runs every section, prints the summary table, and writes a complete,
// self-consistent bench-results.json. Figures are not judged here (the bench is for that), but
// the polite-scanning contracts it reports on are: the rate limit held in every one-second
// window, at most five requests per endpoint, nothing reached the out-of-scope sentinel.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { locateBrowser } from '../src/report/chromium.js';
import type { BenchResults } from '../tools/bench/results.js';
import { HOST_KINDS } from '../tools/bench/host-kinds.js';
import { ROOT } from './helpers/cli.js';

let dir: string;
let code: number | null = null;
let stdout = '';
let stderr = '';
let results: BenchResults;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'owa-fault-bench-'));
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      'dist-tools/tools/bench/main.js',
      '--quick',
      '--octet',
      '43',
      '--port',
      '18443',
      '--out',
      dir,
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 280_000);
  code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  results = JSON.parse(await readFile(join(dir, 'bench-results.json'), 'utf8')) as BenchResults;
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('runs every section and exits 0', () => {
  expect(code, `${stdout}\n${stderr}`).toBe(0);
  expect(results.failures).toEqual([]);
  expect(results.mode).toBe('quick');
  // Every section but the opt-in /12.
  expect(Object.keys(results.sectionSeconds).sort()).toEqual([
    'command',
    'history',
    'memory',
    'pool',
    'rate',
    'render',
    'requests',
    'startup',
    'throughput',
  ]);
  for (const heading of [
    'Probe phase',
    'Whole command',
    'Start-up',
    'Rate fidelity',
    'Requests per endpoint',
    'Scanner memory',
    'Report rendering',
    'Scan history',
    'Endpoint pool',
  ])
    expect(stdout).toContain(heading);
  expect(results.pool?.pLimitMicros).toBeGreaterThan(0);
  expect(results.pool?.handWrittenMicros).toBeGreaterThan(0);
});

it('names the machine the figures came from', () => {
  const m = results.machine;
  expect(m.nproc).toBeGreaterThan(0);
  expect(m.cpuModel).not.toBe('');
  expect(m.ramGb).toBeGreaterThan(0);
  expect(m.node).toBe(process.version);
  expect(Date.parse(m.date)).not.toBeNaN();
});

it('names the browser that printed: the one this machine locates, with its version, in the JSON and the heading', async () => {
  const located = await locateBrowser();
  if ('tried' in located) throw new Error(`this test needs a browser: ${located.tried.join('; ')}`);
  const b = results.machine.browser;
  expect(b).toMatchObject({ label: located.label, executable: located.executable });
  expect(b?.version).toMatch(/^(Chromium|Google Chrome|Chrome)\b.* \d+\.\d+\.\d+\.\d+/);
  const heading = `PDFs printed by ${b?.version ?? ''} (${located.label}: ${located.executable})`;
  expect(stdout.split('\n')[0]).toContain(heading);
  expect(stdout).toContain(`at start; ${heading}; `); // the summary's heading line
});

it('measures the scanner and the keep-alive replay on the same requests, at the fleet', () => {
  expect(results.throughput).toHaveLength(2);
  for (const t of results.throughput) {
    expect(t.scanner.endpoints).toBe(t.hosts);
    expect(t.scanner.exchangeFound).toBe(t.hosts);
    // The replay sent exactly as many requests as the scanner, on one connection per endpoint.
    expect(t.reference.requests).toBe(t.scanner.requests);
    expect(t.reference.connections).toBe(t.hosts);
    expect(t.reference.errors).toBe(0);
    for (const v of [
      t.scanner.probeSeconds,
      t.reference.probeSeconds,
      t.ratio.probePhase,
      t.ratio.cpu,
      t.scanner.peakRssMb,
    ]) {
      expect(v !== null && Number.isFinite(v) && v > 0, String(v)).toBe(true);
    }
    // Linux: the CPU beside the main thread (V8's helpers), a part of the process's CPU.
    const helpers = t.scanner.helperCpuSeconds;
    expect(helpers).toBeDefined();
    expect(helpers ?? -1).toBeGreaterThanOrEqual(0);
    expect(helpers ?? Infinity).toBeLessThan(t.scanner.cpuSeconds);
    // The fleet served both: its CPU during each is measured.
    expect(t.scanner.fleetCpuSeconds ?? 0).toBeGreaterThan(0);
    expect(t.reference.fleetCpuSeconds ?? 0).toBeGreaterThan(0);
  }
});

it('splits the whole scan command around its probe phase, reports written', () => {
  const c = results.wholeCommand;
  expect(c).not.toBeNull();
  if (c === null) return;
  expect(c.reference.requests).toBe(c.requests);
  expect(c.runFiles).toEqual(expect.arrayContaining(['results.jsonl', 'run.json', 'report.html']));
  expect(c.preProbeSeconds).toBeGreaterThan(0);
  expect(c.postProbeSeconds).toBeGreaterThan(0);
  expect(c.preProbeSeconds + c.probeSeconds + c.postProbeSeconds).toBeCloseTo(c.wholeSeconds, 0);
  expect(c.ratio.whole).toBeGreaterThan(0);
  // This machine has a browser (the browser test below needs one): report.pdf is written, and the
  // last part splits at the writes of report.html and report.pdf into parts that add up to it.
  expect(c.runFiles).toContain('report.pdf');
  const tail = c.tail ?? null;
  expect(tail).not.toBeNull();
  if (tail === null) return;
  expect(tail.printSeconds).toBeGreaterThan(0);
  expect(tail.documentSeconds + tail.printSeconds + tail.exitSeconds).toBeCloseTo(c.postProbeSeconds, 1);
  // The floor: the replay plus Chromium's part, above the replay alone and at most the whole command.
  expect(c.ratio.floor ?? 0).toBeGreaterThan(1);
  expect(c.ratio.floor ?? Infinity).toBeLessThanOrEqual(c.ratio.whole ?? 0);
});

it('times start-up commands beside a bare node', () => {
  const s = results.startup;
  expect(s).not.toBeNull();
  if (s === null) return;
  expect(s.bare.ms).toBeGreaterThan(0);
  expect(s.commands.map((c) => c.command)).toEqual([
    '--version',
    '--help',
    'classify 15.1.2507.6',
    'scan --dry-run (a /24)',
  ]);
  for (const c of s.commands) expect(c.ratio, c.command).toBeGreaterThan(0);
});

it('reports the rate fidelity at the fleet and at the sender, the limit held where the gate counts', () => {
  const r = results.rate;
  expect(r).not.toBeNull();
  if (r === null) return;
  expect(r.droppedTimestamps).toBe(0);
  expect(r.requests).toBeGreaterThan(r.limit);
  // At the fleet a second may hold one more than the limit when the fleet itself stalls longer
  // than the gate's 25 ms margin (README "Polite"): that view is reported, the contract is the sender's.
  expect(r.maxIn1s).toBeGreaterThan(0);
  expect(r.achievedFraction).toBeGreaterThan(0);
  expect(r.achievedFraction).toBeLessThanOrEqual(1);
  expect(r.minHostGapMs).not.toBeNull();
  expect(r.gapPairs).toBeGreaterThan(0);
  // The sender's view: every request head the fleet received was seen leaving, within the limit.
  expect(r.sender?.requests).toBe(r.requests);
  expect(r.sender?.maxIn1s).toBeLessThanOrEqual(r.limit);
  expect(r.sender?.gapsBelowHostGap).toBe(0);
});

it('counts requests per endpoint by host kind, never above the standard cap', () => {
  const q = results.requests;
  expect(q).not.toBeNull();
  if (q === null) return;
  expect(q.sentinelConnections).toBe(0);
  expect(q.maxRequests).toBeLessThanOrEqual(q.cap);
  expect(q.byKind.map((k) => k.kind)).toEqual(HOST_KINDS.filter((k) => q.byKind.some((x) => x.kind === k)));
  expect(q.byKind.length).toBeGreaterThanOrEqual(8);
  expect(q.byKind.reduce((a, k) => a + k.endpoints, 0)).toBe(q.endpoints);
  for (const k of q.byKind) expect(k.maxRequests, k.kind).toBeLessThanOrEqual(q.cap);
});

it('measures scanner memory over a range where nothing listens, one record each', () => {
  expect(results.memory).toHaveLength(1);
  expect(results.memory12).toEqual([]);
  for (const m of results.memory) {
    expect(m.records).toBeGreaterThanOrEqual(2 ** (32 - m.prefix) - 2); // network and broadcast may be skipped
    expect(m.records).toBeLessThanOrEqual(2 ** (32 - m.prefix));
    expect(m.unreachable).toBe(m.records);
    expect(m.rssAtMb).toHaveLength(4);
    for (const v of m.rssAtMb) expect(v).toBeLessThanOrEqual(m.peakRssMb);
    expect(m.peakHeapUsedMb).toBeGreaterThan(0);
    expect(m.heapAfterGcMb).toBeGreaterThan(0);
  }
});

it('times HTML and PDF rendering of synthetic runs', () => {
  expect(results.render.map((r) => r.endpoints)).toEqual([100, 300]);
  for (const r of results.render) {
    expect(r.htmlSeconds).toBeGreaterThan(0);
    expect(r.pdfSeconds).toBeGreaterThan(0);
    expect(r.pdfPages).toBeGreaterThan(1);
    expect(r.chromiumPeakPssMb).toBeGreaterThan(0);
  }
});

it('measures the history: recorded runs, their size, and a prune that shrinks it', () => {
  expect(results.history).toHaveLength(1);
  for (const h of results.history) {
    expect(h.runs).toBe(4);
    expect(h.bytesPerEndpointRun).toBeGreaterThan(0);
    expect(h.recordEndpointsPerSec).toBeGreaterThan(0);
    expect(h.dbMbAfterPrune).toBeLessThan(h.dbMb);
  }
});
