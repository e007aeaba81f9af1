// Rate fidelity: a binding limit (200 requests/s by default) and a per-IP gap, judged by the
// fleet's server-side arrival times — what the scanned networks would see.
import { join } from 'node:path';
import { hostAddress } from '../../../src/fleet/index.js';
import { round, type BenchContext } from '../context.js';
import { startFleetProcess } from '../fleet-protocol.js';
import { runJob, type ScanJobResult } from '../job-protocol.js';
import { layout } from '../options.js';
import { benchScanFile } from '../scan-file.js';
import { fitHosts } from './throughput.js';

const FLEET_LIFETIME_MS = 5 * 60_000;
const JOB_MS = 4 * 60_000;

export interface RateFigures {
  limit: number;
  hostGapMs: number;
  concurrency: number;
  hosts: number;
  /** Requests the fleet received. */
  requests: number;
  /** From the first to the last request the fleet saw. */
  seconds: number;
  /** requests − 1 over that span, and as a fraction of the limit. */
  achievedRate: number;
  achievedFraction: number;
  /** The same over the middle 80 % of the requests (without the start and the tail of the run). */
  steadyRate: number;
  steadyFraction: number;
  /** Most requests in any 1-second sliding window, server-side (must not exceed the limit). */
  maxIn1s: number;
  /** Smallest gap between two requests to one address, server-side, and how many gaps fell below host_gap_ms. */
  minHostGapMs: number | null;
  gapsBelowHostGap: number;
  gapPairs: number;
  /** Timestamps the fleet's ring dropped (0: the figures cover every request). */
  droppedTimestamps: number;
}

export async function rate(ctx: BenchContext): Promise<RateFigures> {
  const { limit, hostGapMs, concurrency, hosts: asked } = ctx.options.sizes.rate;
  const base = layout(ctx.options.octet).rate;
  const port = ctx.options.httpsPort;
  ctx.log(
    `rate fidelity: limit ${limit} req/s, host_gap_ms ${hostGapMs}, ${asked.toLocaleString('en-GB')} hosts, concurrency ${concurrency}`,
  );
  const fleet = await startFleetProcess(FLEET_LIFETIME_MS);
  try {
    const count = fitHosts(ctx, asked, fleet.fdLimit, concurrency, 'rate');
    await fleet.start({ kind: 'scaled', base, count, httpsPort: port, logCapacity: 200_000 });
    const ips = Array.from({ length: count }, (_, i) => hostAddress(base, i));
    const dir = await ctx.dir('rate');
    const targets = await ctx.file('rate/targets.txt', `${ips.join('\n')}\n`);
    const scanPath = await ctx.file(
      'rate/scan.yaml',
      benchScanFile({
        name: 'bench-rate',
        include: [`${base}/16`],
        targets: { file: targets },
        ports: [port],
        rate: limit,
        concurrency,
        hostGapMs,
        timeoutMs: 10_000,
      }),
    );
    const scan = await runJob<ScanJobResult>({ op: 'scan', scanPath, outDir: join(dir, 'run') }, JOB_MS);
    const s = await fleet.stats({ gapMs: hostGapMs });
    if (s.requests !== scan.requests)
      ctx.note(`rate: the scanner counted ${scan.requests} requests, the fleet ${s.requests}`);
    const span = (s.lastMs ?? 0) - (s.firstMs ?? 0);
    const steadySpan = (s.p90Ms ?? 0) - (s.p10Ms ?? 0);
    const achieved = span > 0 ? ((s.requests - 1) * 1000) / span : 0;
    const steady = steadySpan > 0 ? (0.8 * s.requests * 1000) / steadySpan : 0;
    const f: RateFigures = {
      limit,
      hostGapMs,
      concurrency,
      hosts: count,
      requests: s.requests,
      seconds: round(span / 1000),
      achievedRate: round(achieved),
      achievedFraction: round(achieved / limit),
      steadyRate: round(steady),
      steadyFraction: round(steady / limit),
      maxIn1s: s.maxIn1s,
      minHostGapMs: s.gaps.min === null ? null : round(s.gaps.min),
      gapsBelowHostGap: s.gaps.below,
      gapPairs: s.gaps.pairs,
      droppedTimestamps: s.dropped,
    };
    ctx.log(
      `  achieved ${f.achievedRate} req/s (${f.achievedFraction} of the limit; steady ${f.steadyFraction}), max ${f.maxIn1s} in any 1 s window, smallest per-IP gap ${String(f.minHostGapMs)} ms (${f.gapsBelowHostGap} of ${f.gapPairs} below ${hostGapMs} ms)`,
    );
    return f;
  } finally {
    await fleet.stop();
  }
}
