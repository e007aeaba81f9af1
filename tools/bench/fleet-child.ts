// The fleet process of the bench: starts the simulated fleet the parent asks for and answers
// questions about its server-side request log. The fleet never runs in the scanner's process, so
// the scanner's memory and CPU figures are the scanner's alone.
import { openFileLimit, serveParent } from './children.js';
import { scaledFleet, standardFleet, startFleet, type Fleet } from '../../src/fleet/index.js';
import type { FleetHostSpec } from '../../src/fleet/types.js';
import type { FleetSpec, FleetStats, EndpointPaths } from './fleet-protocol.js';
import { replaySequences } from './measures.js';

let fleet: Fleet | null = null;

function hostsOf(spec: FleetSpec): FleetHostSpec[] {
  if (spec.kind === 'scaled')
    return scaledFleet({ base: spec.base, count: spec.count, httpsPort: spec.httpsPort });
  return standardFleet({ base: spec.base, httpsPort: spec.httpsPort, httpPort: spec.httpPort });
}

/** Smallest gap between two consecutive requests to one address, over every address; and how many gaps fell below `gapMs`. */
function perIpGaps(f: Fleet, gapMs: number): { min: number | null; below: number; pairs: number } {
  const entries = f.requestLog.entries();
  entries.sort((a, b) => (a.ip === b.ip ? a.t - b.t : a.ip < b.ip ? -1 : 1));
  let min: number | null = null;
  let below = 0;
  let pairs = 0;
  for (let i = 1; i < entries.length; i++) {
    const a = entries[i - 1];
    const b = entries[i];
    if (a === undefined || b === undefined || a.ip !== b.ip) continue;
    const gap = b.t - a.t;
    pairs++;
    if (gap < gapMs) below++;
    min = min === null ? gap : Math.min(min, gap);
  }
  return { min, below, pairs };
}

function stats(f: Fleet, opts: { gapMs: number; endpoints: boolean }): FleetStats {
  const log = f.requestLog;
  const times = log.entries().map((e) => e.t);
  times.sort((a, b) => a - b);
  const at = (fraction: number): number | null =>
    times[Math.min(times.length - 1, Math.floor(fraction * times.length))] ?? null;
  const endpoints: EndpointPaths[] = opts.endpoints
    ? log.endpoints().map((e) => ({
        ip: e.ip,
        port: e.port,
        requests: e.requests,
        connections: e.connections,
        paths: [...e.paths],
      }))
    : [];
  return {
    requests: log.requests,
    connections: log.connections,
    dropped: log.dropped,
    maxIn1s: log.maxInWindow(1000),
    firstMs: times[0] ?? null,
    lastMs: times.at(-1) ?? null,
    p10Ms: at(0.1),
    p90Ms: at(0.9),
    gaps: perIpGaps(f, opts.gapMs),
    maxRequestsPerEndpoint: log.maxRequestsPerEndpoint(),
    cpuMs: processCpuMs(),
    endpoints,
  };
}

async function handle(message: Record<string, unknown>): Promise<unknown> {
  switch (message.op) {
    case 'start': {
      if (fleet !== null) throw new Error('fleet already started');
      const spec = message.spec as FleetSpec;
      const started = performance.now();
      fleet = await startFleet({
        hosts: hostsOf(spec),
        lifetimeMs: Number(message.lifetimeMs),
        logCapacity: spec.logCapacity,
      });
      return {
        hosts: fleet.hosts.length,
        startMs: performance.now() - started,
        rssBytes: process.memoryUsage.rss(),
      };
    }
    case 'stats':
      if (fleet === null) throw new Error('no fleet');
      return stats(fleet, { gapMs: Number(message.gapMs ?? 0), endpoints: message.endpoints === true });
    case 'replay':
      // Exactly the requests the fleet received, per endpoint in arrival order.
      if (fleet === null) throw new Error('no fleet');
      return replaySequences(fleet.requestLog.entries());
    case 'reset':
      fleet?.requestLog.reset();
      return null;
    case 'stop':
      await fleet?.stop();
      fleet = null;
      setImmediate(() => process.exit(0));
      return null;
    default:
      throw new Error(`unknown op ${String(message.op)}`);
  }
}

serveParent({ fdLimit: await openFileLimit() }, handle);

function processCpuMs(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}
