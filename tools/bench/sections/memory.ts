// Peak memory of the scanner for 10,000 and 100,000 targets, almost all of them loopback
// addresses where nothing listens (connection refused at once), plus a few hundred live
// Exchange-like hosts at the start of the range: the engine's memory, not the fleet's.
import { join } from 'node:path';
import { mb, round, type BenchContext } from '../context.js';
import { startFleetProcess } from '../fleet-protocol.js';
import { runJob, type ScanJobResult } from '../job-protocol.js';
import { layout } from '../options.js';
import { benchScanFile, cidrCover } from '../scan-file.js';
import { NON_BINDING_RATE } from './throughput.js';

const FLEET_LIFETIME_MS = 8 * 60_000;
const JOB_MS = 7 * 60_000;

export interface MemoryFigures {
  targets: number;
  liveHosts: number;
  concurrency: number;
  records: number;
  exchangeFound: number;
  unreachable: number;
  seconds: number;
  endpointsPerSec: number;
  /** Scanner process: modules and knowledge base loaded, before the scan. */
  baselineRssMb: number;
  /** The larger of the sampled peak and the kernel's high-water mark. */
  peakRssMb: number;
  peakHeapUsedMb: number;
  /** Heap in use after the scan and a full GC. */
  endHeapAfterGcMb: number;
}

async function one(ctx: BenchContext, targets: number): Promise<MemoryFigures> {
  const { memoryLiveHosts, concurrency } = ctx.options.sizes;
  const base = layout(ctx.options.octet).memory;
  const port = ctx.options.httpsPort;
  const live = Math.min(memoryLiveHosts, targets);
  const fleet = await startFleetProcess(FLEET_LIFETIME_MS);
  try {
    await fleet.start({ kind: 'scaled', base, count: live, httpsPort: port, logCapacity: 0 });
    const dir = await ctx.dir(`memory-${targets}`);
    // No targets list: the scan walks its include ranges, as for a constituency's address space.
    const scanPath = await ctx.file(
      `memory-${targets}/scan.yaml`,
      benchScanFile({
        name: `bench-memory-${targets}`,
        include: cidrCover(base, targets),
        ports: [port],
        rate: NON_BINDING_RATE,
        concurrency,
        hostGapMs: 0,
        timeoutMs: 5_000,
      }),
    );
    const scan = await runJob<ScanJobResult>({ op: 'scan', scanPath, outDir: join(dir, 'run') }, JOB_MS);
    if (scan.records !== targets)
      ctx.note(`memory ${targets}: ${scan.records} records for ${targets} targets`);
    const sec = scan.engineMs / 1000;
    return {
      targets,
      liveHosts: live,
      concurrency,
      records: scan.records,
      exchangeFound: scan.byStatus.exchange,
      unreachable: scan.byStatus.unreachable,
      seconds: round(sec),
      endpointsPerSec: round(scan.records / sec),
      baselineRssMb: mb(scan.memory.baselineRssBytes),
      peakRssMb: mb(scan.memory.peakRssBytes),
      peakHeapUsedMb: mb(scan.memory.peakHeapUsedBytes),
      endHeapAfterGcMb: mb(scan.memory.endHeapUsedAfterGcBytes),
    };
  } finally {
    await fleet.stop();
  }
}

export async function memory(ctx: BenchContext): Promise<MemoryFigures[]> {
  const out: MemoryFigures[] = [];
  for (const n of ctx.options.sizes.memoryTargets) {
    ctx.log(
      `memory: ${n.toLocaleString('en-GB')} targets (${Math.min(ctx.options.sizes.memoryLiveHosts, n)} live, the rest refuse connections)`,
    );
    const f = await one(ctx, n);
    ctx.log(
      `  peak RSS ${f.peakRssMb} MB (baseline ${f.baselineRssMb} MB), peak heap ${f.peakHeapUsedMb} MB; ${f.endpointsPerSec} endpoints/s`,
    );
    out.push(f);
  }
  return out;
}
