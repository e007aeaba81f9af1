// Rate fidelity: a binding limit (200 requests/s by default) and a per-IP gap, judged at both ends:
// at the sender (the moments undici wrote each request head inside the scan's process, recorded by
// the bench's preload) and at the fleet (server-side arrival times — what the scanned networks see,
// later by however long the far end was descheduled).
import { join } from 'node:path';
import { hostAddress } from '../../../src/fleet/index.js';
import { round, type BenchContext } from '../context.js';
import { startFleetProcess } from '../fleet-protocol.js';
import { scanAlone } from '../cli-run.js';
import { achievedRate, gapsPerKey, maxInSlidingWindow } from '../measures.js';
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
  /** The same at the sender: request heads written, as undici wrote them (null when none were seen). */
  sender: {
    requests: number;
    achievedFraction: number;
    maxIn1s: number;
    minHostGapMs: number | null;
    gapsBelowHostGap: number;
  } | null;
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
    const scan = await scanAlone(scanPath, join(dir, 'run'), {
      hookFile: join(dir, 'hook.json'),
      timeoutMs: JOB_MS,
      wire: true,
    });
    const s = await fleet.stats({ gapMs: hostGapMs });
    const sends = scan.hook.sends;
    if (sends.length !== s.requests)
      ctx.note(`rate: undici wrote ${sends.length} request heads, the fleet received ${s.requests}`);
    const sendTimes = sends.map(([t]) => t).sort((a, b) => a - b);
    const sendGaps = gapsPerKey(sends, hostGapMs);
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
      sender:
        sends.length === 0
          ? null
          : {
              requests: sends.length,
              achievedFraction: round(achievedRate(sendTimes) / limit),
              maxIn1s: maxInSlidingWindow(sendTimes, 1000),
              minHostGapMs: sendGaps.min === null ? null : round(sendGaps.min),
              gapsBelowHostGap: sendGaps.below,
            },
    };
    ctx.log(
      `  achieved ${f.achievedRate} req/s (${f.achievedFraction} of the limit; steady ${f.steadyFraction}), max ${f.maxIn1s} in any 1 s window, smallest per-IP gap ${String(f.minHostGapMs)} ms (${f.gapsBelowHostGap} of ${f.gapPairs} below ${hostGapMs} ms); at the sender: max ${String(f.sender?.maxIn1s)} in any 1 s, achieved ${String(f.sender?.achievedFraction)}, smallest per-IP gap ${String(f.sender?.minHostGapMs)} ms`,
    );
    return f;
  } finally {
    await fleet.stop();
  }
}
