// The whole `scan` command as a user runs it — `node bin/owa-audit.js scan FILE` with the default
// reports (html, pdf, csv, intelmq) and a history database — against the keep-alive replay of its
// own requests (the same as the probe-phase section's reference). Split by the fleet's first and
// last request: spawn → first request, the probe phase, last request → exit. Repeated like the
// probe-phase section (the replay alone moved by up to 2× between single runs on a shared machine):
// the figures are the pair with the median ratio, each scan with a history of its own.
import { readdir } from 'node:fs/promises';
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
  cpuSeconds: number;
  peakRssMb: number;
  /** Files the run directory holds at the end (reports included). */
  runFiles: string[];
  /** Scan-and-replay pairs run; the figures are the pair with the median whole-command ratio. */
  repeats?: number;
  /** Every pair's whole-command ratio, in the order run. */
  wholeRatios?: (number | null)[];
  reference: ReplayFigures;
  ratio: { whole: number | null; probePhase: number | null };
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
  const f: CommandFigures = {
    hosts: count,
    requests: seen.requests,
    wholeSeconds: round(wholeSeconds),
    preProbeSeconds: round((first - scan.spawnMs) / 1000),
    probeSeconds: round(probeSeconds),
    postProbeSeconds: round((scan.exitMs - last) / 1000),
    cpuSeconds: round(scan.hook.cpuMs / 1000),
    peakRssMb: mb(scan.hook.maxRssBytes),
    runFiles,
    reference: ref,
    ratio: {
      whole: nullableRound(ratio(wholeSeconds, ref.probeSeconds)),
      probePhase: nullableRound(ratio(probeSeconds, ref.probeSeconds)),
    },
  };
  ctx.log(
    `  whole ${f.wholeSeconds} s (spawn → first request ${f.preProbeSeconds} s, probe phase ${f.probeSeconds} s, last request → exit ${f.postProbeSeconds} s); replay ${ref.probeSeconds} s; ×${String(f.ratio.whole)}`,
  );
  return f;
}
