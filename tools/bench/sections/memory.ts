// Scanner memory on ranges where nothing listens (loopback refuses every connection at once, so
// the figures are the engine's own: target expansion, sessions, the gate, the record sink — not a
// fleet's): a /17 (32,766 endpoints) in every run, and a /12 (1,048,576 addresses, ~12 minutes on
// 2 cores) as the opt-in section `memory12`. The scan is `owa-audit scan` as a user starts it, as
// a shard of one (the whole scope, and no reports: the scanner's memory, not the report's);
// memory is sampled inside it every 50 ms by the bench's preload.
import { join } from 'node:path';
import { scanAlone } from '../cli-run.js';
import { mb, round, type BenchContext } from '../context.js';
import { valuesAtFractions } from '../measures.js';
import { layout } from '../options.js';
import { countRecords } from '../run-records.js';
import { benchScanFile } from '../scan-file.js';
import { NON_BINDING_RATE } from './throughput.js';

/** A /12 at ~1,400 endpoints/s takes ~12 minutes; give a loaded machine three times that. */
const JOB_MS = 45 * 60_000;
export const RUN_FRACTIONS = [0.25, 0.5, 0.75, 1] as const;

export interface MemoryFigures {
  range: string;
  prefix: number;
  concurrency: number;
  records: number;
  unreachable: number;
  seconds: number;
  endpointsPerSec: number;
  /** The larger of the sampled peak and the kernel's high-water mark. */
  peakRssMb: number;
  /** RSS at 25, 50, 75 and 100 % of the process's life: flat is the point. */
  rssAtMb: (number | null)[];
  peakHeapUsedMb: number;
  /** Heap in use at exit after a full GC. */
  heapAfterGcMb: number | null;
}

/** 127.N.0.0/12 with N a multiple of 16 at or after `octet`, never the demo's 127.100.0.0/16. */
export function twelveBase(octet: number): string {
  let n = Math.ceil(octet / 16) * 16;
  if (n <= 100 && n + 15 >= 100) n += 16;
  if (n > 240) throw new Error(`no /12 of 127.0.0.0/8 at or after 127.${octet}: choose a lower --octet`);
  return `127.${n}.0.0`;
}

export async function scanNothingListening(
  ctx: BenchContext,
  prefix: number,
  base: string,
): Promise<MemoryFigures> {
  const { concurrency } = ctx.options.sizes;
  const range = `${base}/${prefix}`;
  ctx.log(`memory: ${range}, nothing listening (${(2 ** (32 - prefix)).toLocaleString('en-GB')} addresses)`);
  const dir = await ctx.dir(`memory-${prefix}`);
  const scanPath = await ctx.file(
    `memory-${prefix}/scan.yaml`,
    benchScanFile({
      name: `bench-memory-${prefix}`,
      include: [range],
      ports: [ctx.options.httpsPort],
      rate: NON_BINDING_RATE,
      concurrency,
      hostGapMs: 0,
      timeoutMs: 5_000,
    }),
  );
  const runDir = join(dir, 'run');
  const scan = await scanAlone(scanPath, runDir, { hookFile: join(dir, 'hook.json'), timeoutMs: JOB_MS });
  const records = await countRecords(runDir);
  const samples = scan.hook.samples;
  const rss = samples.map(([t, r]) => [t, r] as const);
  const seconds = (scan.hook.exitMs - scan.hook.startMs) / 1000;
  const peakSampled = samples.reduce((m, [, r]) => Math.max(m, r), 0);
  const f: MemoryFigures = {
    range,
    prefix,
    concurrency,
    records: records.records,
    unreachable: records.byStatus.unreachable ?? 0,
    seconds: round(seconds),
    endpointsPerSec: round(records.records / seconds),
    peakRssMb: mb(Math.max(peakSampled, scan.hook.maxRssBytes)),
    rssAtMb: valuesAtFractions(rss, RUN_FRACTIONS).map((v) => (v === null ? null : mb(v))),
    peakHeapUsedMb: mb(samples.reduce((m, [, , h]) => Math.max(m, h), 0)),
    heapAfterGcMb: scan.hook.heapAfterGcBytes === null ? null : mb(scan.hook.heapAfterGcBytes),
  };
  if (f.unreachable !== f.records)
    ctx.note(`memory ${range}: ${f.records - f.unreachable} of ${f.records} endpoints were reachable`);
  ctx.log(
    `  ${f.records.toLocaleString('en-GB')} endpoints in ${f.seconds} s: peak RSS ${f.peakRssMb} MB; RSS at 25/50/75/100 % ${f.rssAtMb.join(' / ')} MB; heap after GC ${String(f.heapAfterGcMb)} MB`,
  );
  return f;
}

export async function memory(ctx: BenchContext): Promise<MemoryFigures[]> {
  const base = layout(ctx.options.octet).memory;
  return [await scanNothingListening(ctx, ctx.options.sizes.memoryPrefix, base)];
}

export async function memory12(ctx: BenchContext): Promise<MemoryFigures[]> {
  return [await scanNothingListening(ctx, ctx.options.sizes.memoryWidePrefix, twelveBase(ctx.options.octet))];
}
