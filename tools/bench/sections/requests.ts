// Requests per endpoint in standard mode, by host kind: the standard catalogue fleet (one host per
// profile, https and http where the catalogue has them) scanned once; what each endpoint's record
// says it sent, and what the fleet counted at that address.
import { join } from 'node:path';
import { getProfile, isProfileId, standardFleet, standardFleetLayout } from '../../../src/fleet/index.js';
import type { Profile } from '../../../src/fleet/types.js';
import { readResults } from '../../../src/run-store/read-results.js';
import { STANDARD_MAX_REQUESTS } from '../../../src/scan/run-scan.js';
import { round, type BenchContext } from '../context.js';
import { startFleetProcess } from '../fleet-protocol.js';
import { HOST_KINDS, hostKindOf, type HostKind } from '../host-kinds.js';
import { scanAlone } from '../cli-run.js';
import { layout } from '../options.js';
import { benchScanFile } from '../scan-file.js';

const FLEET_LIFETIME_MS = 4 * 60_000;
const JOB_MS = 3 * 60_000;

export interface KindFigures {
  kind: HostKind;
  endpoints: number;
  meanRequests: number;
  maxRequests: number;
  /** Most requests the fleet counted at one address of this kind (redirects may cross its ports). */
  fleetMaxPerAddress: number;
}

export interface RequestsFigures {
  endpoints: number;
  meanRequests: number;
  maxRequests: number;
  /** The standard plan's cap (README "Use it responsibly": never more than 5 GETs). */
  cap: number;
  /** Connections that reached the out-of-scope sentinel (must be 0). */
  sentinelConnections: number;
  seconds: number;
  byKind: KindFigures[];
}

export async function requestsPerEndpoint(ctx: BenchContext): Promise<RequestsFigures> {
  const base = layout(ctx.options.octet).requests;
  const httpsPort = ctx.options.httpsPort;
  const httpPort = httpsPort - 1000;
  const timeoutMs = ctx.options.sizes.requestsTimeoutMs;
  const { scope, sentinel } = standardFleetLayout(base);
  const specs = standardFleet({ base, httpsPort, httpPort });
  ctx.log(
    `requests per endpoint: the standard fleet (${specs.length - 1} hosts, standard mode, timeout_ms ${timeoutMs})`,
  );
  const profileOf = new Map<string, Profile>();
  for (const s of specs)
    profileOf.set(
      s.ip,
      typeof s.profile === 'string' && isProfileId(s.profile) ? getProfile(s.profile) : s.profile,
    );

  const fleet = await startFleetProcess(FLEET_LIFETIME_MS);
  try {
    await fleet.start({ kind: 'standard', base, httpsPort, httpPort, logCapacity: 10_000 });
    const targets = specs
      .filter((s) => s.ip !== sentinel)
      .flatMap((s) => s.ports.map((p) => `${s.ip}:${p.port}`));
    const dir = await ctx.dir('requests');
    const scanPath = await ctx.file(
      'requests/scan.yaml',
      benchScanFile({
        name: 'bench-requests',
        include: [scope],
        targets,
        ports: [httpsPort, `http:${httpPort}`],
        rate: 500,
        concurrency: 64,
        hostGapMs: 20,
        timeoutMs,
      }),
    );
    const outDir = join(dir, 'run');
    const scan = await scanAlone(scanPath, outDir, { hookFile: join(dir, 'hook.json'), timeoutMs: JOB_MS });
    const stats = await fleet.stats({ endpoints: true });
    const perAddress = new Map<string, number>();
    for (const e of stats.endpoints) perAddress.set(e.ip, (perAddress.get(e.ip) ?? 0) + e.requests);

    const groups = new Map<HostKind, { n: number; sum: number; max: number; fleetMax: number }>();
    let n = 0;
    let sum = 0;
    let max = 0;
    for await (const r of readResults(join(outDir, 'results.jsonl'))) {
      const profile = r.ip === null ? undefined : profileOf.get(r.ip);
      if (profile === undefined || r.ip === null) continue;
      const kind = hostKindOf(profile);
      const g = groups.get(kind) ?? { n: 0, sum: 0, max: 0, fleetMax: 0 };
      g.n++;
      g.sum += r.requests;
      g.max = Math.max(g.max, r.requests);
      g.fleetMax = Math.max(g.fleetMax, perAddress.get(r.ip) ?? 0);
      groups.set(kind, g);
      n++;
      sum += r.requests;
      max = Math.max(max, r.requests);
    }
    const byKind = HOST_KINDS.flatMap((kind): KindFigures[] => {
      const g = groups.get(kind);
      return g === undefined
        ? []
        : [
            {
              kind,
              endpoints: g.n,
              meanRequests: round(g.sum / g.n),
              maxRequests: g.max,
              fleetMaxPerAddress: g.fleetMax,
            },
          ];
    });
    const sentinelConnections = stats.endpoints
      .filter((e) => e.ip === sentinel)
      .reduce((a, e) => a + e.connections, 0);
    if (sentinelConnections > 0)
      ctx.note(
        `requests: ${sentinelConnections} connection(s) reached the out-of-scope sentinel ${sentinel}`,
      );
    const f: RequestsFigures = {
      endpoints: n,
      meanRequests: round(sum / Math.max(1, n)),
      maxRequests: max,
      cap: STANDARD_MAX_REQUESTS,
      sentinelConnections,
      seconds: round((scan.exitMs - scan.spawnMs) / 1000),
      byKind,
    };
    ctx.log(
      `  ${n} endpoints: mean ${f.meanRequests}, max ${f.maxRequests} requests per endpoint; sentinel connections ${sentinelConnections}`,
    );
    return f;
  } finally {
    await fleet.stop();
  }
}
