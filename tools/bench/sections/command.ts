// The whole `scan` command as a user runs it — `node bin/owa-audit.js scan FILE` with the default
// reports (html, pdf, csv, intelmq) and a history database — against the keep-alive replay of its
// own requests (the same as the probe-phase section's reference). Split by the fleet's first and
// last request: spawn → first request, the probe phase, last request → exit. The last part is split
// again where report.html and report.pdf were written (their modification times: each is written
// to a temporary file and renamed, src/util/atomic-file.ts): the scanner's own work on the results,
// Chromium loading and printing the report, the exit. Chromium's part added to the replay is the
// ratio's floor on this machine, which no work of the scanner can take back. Repeated like the
// probe-phase section (the replay alone moved by up to 2× between single runs on a shared machine):
// the figures are the pair with the median ratio, each scan with a history of its own.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import { round, mb, type BenchContext } from '../context.js';
import { ratio } from '../measures.js';
import {
  nullableRound,
  pairsOnFleet,
  replayAtFleet,
  type PairSetup,
  type ReplayFigures,
} from './throughput.js';

const JOB_MS = 8 * 60_000;

export interface CommandFigures {
  hosts: number;
  requests: number;
  /** Spawn to exit of `owa-audit scan`. */
  wholeSeconds: number;
  preProbeSeconds: number;
  probeSeconds: number;
  postProbeSeconds: number;
  /** The last part split by when report.html and report.pdf were written; null without both. */
  tail?: TailParts | null;
  cpuSeconds: number;
  peakRssMb: number;
  /** Files the run directory holds at the end (reports included). */
  runFiles: string[];
  /** Scan-and-replay pairs run; the figures are the pair with the median whole-command ratio. */
  repeats?: number;
  /** Every pair's whole-command ratio, in the order run. */
  wholeRatios?: (number | null)[];
  reference: ReplayFigures;
  ratio: {
    whole: number | null;
    probePhase: number | null;
    /** (replay + Chromium's load and print of report.pdf) ÷ replay: the whole command's floor here. */
    floor?: number | null;
  };
}

/** Last request → exit, split at the writes of report.html and report.pdf. */
export interface TailParts {
  /** Last request → report.html written: results closed, history staged, report models, HTML. */
  documentSeconds: number;
  /** report.html → report.pdf written: Chromium loads and prints it (CSV, IntelMQ, history commit beside it). */
  printSeconds: number;
  /** report.pdf written → exit: the browser closed, the history, the process. */
  exitSeconds: number;
}

/**
 * The tail split at two file writes (epoch milliseconds; null: that file was not written). Null
 * when either is missing or they are out of order (a clock step between the processes).
 */
export function tailParts(
  lastRequestMs: number,
  htmlWrittenMs: number | null,
  pdfWrittenMs: number | null,
  exitMs: number,
): TailParts | null {
  if (htmlWrittenMs === null || pdfWrittenMs === null) return null;
  if (!(lastRequestMs <= htmlWrittenMs && htmlWrittenMs <= pdfWrittenMs && pdfWrittenMs <= exitMs))
    return null;
  return {
    documentSeconds: round((htmlWrittenMs - lastRequestMs) / 1000),
    printSeconds: round((pdfWrittenMs - htmlWrittenMs) / 1000),
    exitSeconds: round((exitMs - pdfWrittenMs) / 1000),
  };
}

/** When a file was last written (epoch ms), or null when it is not there. */
async function writtenAt(path: string): Promise<number | null> {
  return stat(path).then(
    (s) => s.mtimeMs,
    () => null,
  );
}

export async function command(ctx: BenchContext): Promise<CommandFigures> {
  const asked = ctx.options.sizes.commandHosts;
  const repeats = ctx.options.sizes.commandRepeats;
  ctx.log(
    `whole command: owa-audit scan of ${asked.toLocaleString('en-GB')} Exchange-like hosts (reports html, pdf, csv, intelmq; history), then the replay of its requests; ${repeats} pairs`,
  );
  const { all, median } = await pairsOnFleet(
    ctx,
    'command',
    asked,
    repeats,
    (setup, k) => pair(ctx, setup, k),
    (p) => p.ratio.whole,
  );
  return { ...median, repeats, wholeRatios: all.map((p) => p.ratio.whole) };
}

/** One whole `scan` (its own run directory and history) and the replay of its requests. */
async function pair(
  ctx: BenchContext,
  { fleet, count, dir, scanPath }: PairSetup,
  k: number,
): Promise<CommandFigures> {
  const runDir = join(dir, `run-${k}`);
  const scan = await runCli(['scan', scanPath, '--out', runDir, '--history', join(dir, `history-${k}.db`)], {
    hookFile: join(dir, `hook-${k}.json`),
    timeoutMs: JOB_MS,
  });
  if (scan.code !== 0) throw new Error(`scan exited ${String(scan.code)}: ${scan.stderr.slice(-800)}`);
  const seen = await fleet.stats();
  const first = seen.firstMs ?? scan.spawnMs;
  const last = seen.lastMs ?? scan.exitMs;
  const runFiles = (await readdir(runDir)).sort();
  if (!runFiles.some((f) => f.endsWith('.pdf')))
    ctx.note(`command: the scan wrote no PDF (${scan.stderr.split('\n').slice(-4).join(' ').trim()})`);
  const { figures: ref } = await replayAtFleet(ctx, fleet, 'command');
  const wholeSeconds = (scan.exitMs - scan.spawnMs) / 1000;
  const probeSeconds = (last - first) / 1000;
  const tail = tailParts(
    last,
    await writtenAt(join(runDir, 'report.html')),
    await writtenAt(join(runDir, 'report.pdf')),
    scan.exitMs,
  );
  const f: CommandFigures = {
    hosts: count,
    requests: seen.requests,
    wholeSeconds: round(wholeSeconds),
    preProbeSeconds: round((first - scan.spawnMs) / 1000),
    probeSeconds: round(probeSeconds),
    postProbeSeconds: round((scan.exitMs - last) / 1000),
    tail,
    cpuSeconds: round(scan.hook.cpuMs / 1000),
    peakRssMb: mb(scan.hook.maxRssBytes),
    runFiles,
    reference: ref,
    ratio: {
      whole: nullableRound(ratio(wholeSeconds, ref.probeSeconds)),
      probePhase: nullableRound(ratio(probeSeconds, ref.probeSeconds)),
      floor:
        tail === null ? null : nullableRound(ratio(ref.probeSeconds + tail.printSeconds, ref.probeSeconds)),
    },
  };
  ctx.log(
    `  whole ${f.wholeSeconds} s (spawn → first request ${f.preProbeSeconds} s, probe phase ${f.probeSeconds} s, last request → exit ${f.postProbeSeconds} s${tail === null ? '' : `: ${tail.documentSeconds} + print ${tail.printSeconds} + ${tail.exitSeconds} s`}); replay ${ref.probeSeconds} s; ×${String(f.ratio.whole)}`,
  );
  return f;
}
