// Throughput: the whole scanner (runScan) against N Exchange-like hosts with a rate limit that
// does not bind, then the reference client fetching exactly the URLs the fleet saw from the
// scanner, same hosts in flight — the overhead of the scanner as a ratio within one run.
import { join } from 'node:path';
import { hostAddress } from '../../../src/fleet/index.js';
import { round, mb, type BenchContext } from '../context.js';
import { startFleetProcess, type FleetStats } from '../fleet-protocol.js';
import { runJob, type ReferenceHost, type ReferenceJobResult, type ScanJobResult } from '../job-protocol.js';
import { layout } from '../options.js';
import { benchScanFile } from '../scan-file.js';

/** Above anything two cores reach, and the scan file's maximum. */
export const NON_BINDING_RATE = 10_000;
const FLEET_LIFETIME_MS = 8 * 60_000;
const JOB_MS = 6 * 60_000;
const REQUEST_TIMEOUT_MS = 10_000;

export interface ThroughputFigures {
  hostsAsked: number;
  hosts: number;
  concurrency: number;
  rateLimit: number;
  hostGapMs: number;
  scanner: {
    endpoints: number;
    exchangeFound: number;
    requests: number;
    /** Requests the fleet counted (server-side). */
    fleetRequests: number;
    seconds: number;
    endpointsPerSec: number;
    requestsPerSec: number;
    cpuMsPerRequest: number;
    peakRssMb: number;
  };
  reference: {
    requests: number;
    errors: number;
    seconds: number;
    endpointsPerSec: number;
    requestsPerSec: number;
    cpuMsPerRequest: number;
    peakRssMb: number;
  };
  /** Scanner time ÷ reference time for the same requests (1 = no overhead), and the same for CPU. */
  overhead: { time: number; cpu: number };
}

/** File descriptors a fleet of `hosts` needs: one listening socket each, plus connections and slack. */
export function fleetFds(hosts: number, concurrency: number): number {
  return hosts + 2 * concurrency + 256;
}

/** The host count that fits the fleet's fd limit (with a note when it had to shrink). */
export function fitHosts(
  ctx: BenchContext,
  asked: number,
  fdLimit: number | null,
  concurrency: number,
  what: string,
): number {
  if (fdLimit === null || fleetFds(asked, concurrency) <= fdLimit) return asked;
  const fits = Math.max(10, fdLimit - fleetFds(0, concurrency));
  ctx.note(
    `${what}: open-file limit (ulimit -n) is ${fdLimit} even after raising it to the hard limit; ${asked.toLocaleString('en-GB')} hosts lowered to ${fits.toLocaleString('en-GB')}`,
  );
  return fits;
}

/** The paths each endpoint was asked for, as the fleet counted them, in host order. */
export function urlsSeen(stats: FleetStats, ips: readonly string[], port: number): ReferenceHost[] {
  const byIp = new Map(stats.endpoints.map((e) => [e.ip, e]));
  const hosts: ReferenceHost[] = [];
  for (const ip of ips) {
    const e = byIp.get(ip);
    if (e === undefined) continue;
    const paths: string[] = [];
    for (const [path, n] of e.paths) for (let i = 0; i < n; i++) paths.push(path);
    hosts.push({ ip, port, paths });
  }
  return hosts;
}

async function one(ctx: BenchContext, asked: number): Promise<ThroughputFigures> {
  const { sizes, httpsPort } = ctx.options;
  const concurrency = sizes.concurrency;
  const base = layout(ctx.options.octet).throughput;
  const fleet = await startFleetProcess(FLEET_LIFETIME_MS);
  try {
    const count = fitHosts(ctx, asked, fleet.fdLimit, concurrency, 'throughput');
    const started = await fleet.start({ kind: 'scaled', base, count, httpsPort, logCapacity: 0 });
    ctx.log(
      `  fleet: ${started.hosts.toLocaleString('en-GB')} hosts up in ${Math.round(started.startMs)} ms`,
    );
    const ips = Array.from({ length: count }, (_, i) => hostAddress(base, i));
    const dir = await ctx.dir(`throughput-${count}`);
    const targets = await ctx.file(`throughput-${count}/targets.txt`, `${ips.join('\n')}\n`);
    const scanPath = await ctx.file(
      `throughput-${count}/scan.yaml`,
      benchScanFile({
        name: `bench-throughput-${count}`,
        include: [`${base}/16`],
        targets: { file: targets },
        ports: [httpsPort],
        rate: NON_BINDING_RATE,
        concurrency,
        hostGapMs: 0,
        timeoutMs: REQUEST_TIMEOUT_MS,
      }),
    );
    const scan = await runJob<ScanJobResult>({ op: 'scan', scanPath, outDir: join(dir, 'run') }, JOB_MS);
    const seen = await fleet.stats({ endpoints: true });
    await fleet.reset();
    const hosts = urlsSeen(seen, ips, httpsPort);
    const ref = await runJob<ReferenceJobResult>(
      { op: 'reference', hosts, concurrency, timeoutMs: REQUEST_TIMEOUT_MS },
      JOB_MS,
    );
    const refSeen = await fleet.stats();
    if (refSeen.requests !== seen.requests)
      ctx.note(
        `throughput ${count}: the reference client's requests reached the fleet ${refSeen.requests} times, the scanner's ${seen.requests}`,
      );
    if (ref.errors > 0)
      ctx.note(
        `throughput ${count}: reference client had ${ref.errors} failed requests (first: ${ref.firstError ?? '?'})`,
      );
    const exchange = scan.byStatus.exchange;
    if (exchange !== scan.records)
      ctx.note(
        `throughput ${count}: ${scan.records - exchange} of ${scan.records} endpoints were not recognised as Exchange (${JSON.stringify(scan.byStatus)})`,
      );

    const sSec = scan.engineMs / 1000;
    const rSec = ref.elapsedMs / 1000;
    return {
      hostsAsked: asked,
      hosts: count,
      concurrency,
      rateLimit: NON_BINDING_RATE,
      hostGapMs: 0,
      scanner: {
        endpoints: scan.records,
        exchangeFound: exchange,
        requests: scan.requests,
        fleetRequests: seen.requests,
        seconds: round(sSec),
        endpointsPerSec: round(scan.records / sSec),
        requestsPerSec: round(scan.requests / sSec),
        cpuMsPerRequest: round(scan.cpuMs / Math.max(1, scan.requests)),
        peakRssMb: mb(scan.memory.peakRssBytes),
      },
      reference: {
        requests: ref.requests,
        errors: ref.errors,
        seconds: round(rSec),
        endpointsPerSec: round(hosts.length / rSec),
        requestsPerSec: round(ref.requests / rSec),
        cpuMsPerRequest: round(ref.cpuMs / Math.max(1, ref.requests)),
        peakRssMb: mb(ref.memory.peakRssBytes),
      },
      overhead: { time: round(sSec / rSec), cpu: round(scan.cpuMs / Math.max(1, ref.cpuMs)) },
    };
  } finally {
    await fleet.stop();
  }
}

export async function throughput(ctx: BenchContext): Promise<ThroughputFigures[]> {
  const out: ThroughputFigures[] = [];
  for (const n of ctx.options.sizes.throughputHosts) {
    ctx.log(`throughput: ${n.toLocaleString('en-GB')} Exchange-like hosts, scanner then reference client`);
    const f = await one(ctx, n);
    ctx.log(
      `  scanner ${f.scanner.requestsPerSec} req/s (${f.scanner.endpointsPerSec} endpoints/s), reference ${f.reference.requestsPerSec} req/s; overhead ×${f.overhead.time} time, ×${f.overhead.cpu} CPU`,
    );
    out.push(f);
  }
  return out;
}
