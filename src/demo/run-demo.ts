// `owa-audit demo`: the simulated fleet on loopback, a scan file written for it, the scan, the
// reports — and proof from the fleet's own request log that the scan stayed polite and in scope.
import { writeFile } from 'node:fs/promises';
import { makeDirs } from '../util/make-dirs.js';
import { dirname, join, resolve } from 'node:path';
import { defaultRunDir, RESULTS_FILE } from '../run-store/run-dir.js';
import { readResults } from '../run-store/read-results.js';
import { startFleet, standardFleet, standardFleetLayout, type Fleet } from '../fleet/index.js';
import type { FleetHostSpec } from '../fleet/types.js';
import { DEFAULT_SCAN_FORMATS } from '../outputs/finish-run.js';
import { runScan, STANDARD_MAX_REQUESTS, type OutputStream, type RunScanResult } from '../scan/run-scan.js';
import { aYearAfter } from '../core/time.js';
import { demoScanFile } from './scan-file.js';

export const DEMO_BASE = '127.100.0.0';
const DNS = { ip: '127.100.0.53', port: 10053 };
/** Privileged ports when we may bind them (as on a real server), high ports otherwise. */
const PORT_CHOICES: readonly { https: number; http: number }[] = [
  { https: 443, http: 80 },
  { https: 8443, http: 8080 },
  { https: 28443, http: 28080 },
];
/** The fleet closes itself even if this process is stuck. */
const FLEET_LIFETIME_MS = 10 * 60_000;

export interface DemoOptions {
  outDir?: string;
  stderr?: OutputStream;
  signal?: AbortSignal;
  /** YYYY-MM-DD the scan takes as today (tests); default the clock. */
  today?: string;
  /** Report time (tests); default the clock. */
  now?: Date;
}

export interface DemoResult {
  scan: RunScanResult;
  scanFile: string;
  /** Most requests the scanner sent to one endpoint (at most 5 in standard mode: README "Use it responsibly"). */
  maxRequestsPerEndpoint: number;
  /** Requests the fleet received, by its own server-side count. */
  fleetRequests: number;
  /** Requests that reached the out-of-scope sentinel (must be 0). */
  sentinelConnections: number;
}

async function maxRequestsInRun(runDir: string): Promise<number> {
  let max = 0;
  for await (const r of readResults(join(runDir, RESULTS_FILE))) max = Math.max(max, r.requests);
  return max;
}

function isBindError(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === 'EACCES' || code === 'EADDRINUSE' || code === 'EPERM';
}

async function startDemoFleet(): Promise<{
  fleet: Fleet;
  hosts: FleetHostSpec[];
  ports: { https: number; http: number };
}> {
  let last: unknown = null;
  for (const ports of PORT_CHOICES) {
    const hosts = standardFleet({ base: DEMO_BASE, httpsPort: ports.https, httpPort: ports.http });
    try {
      const fleet = await startFleet({ hosts, dns: DNS, lifetimeMs: FLEET_LIFETIME_MS });
      return { fleet, hosts, ports };
    } catch (e) {
      if (!isBindError(e)) throw e;
      last = e;
    }
  }
  throw new Error(`cannot start the simulated fleet on ${DEMO_BASE}/24: ${String(last)}`);
}

export async function runDemo(opts: DemoOptions = {}): Promise<DemoResult> {
  const stderr = opts.stderr ?? process.stderr;
  const { fleet, hosts, ports } = await startDemoFleet();
  try {
    const layout = standardFleetLayout(DEMO_BASE);
    stderr.write(
      `simulated fleet: ${hosts.length - 1} hosts on ${layout.scope} (https ${ports.https}, http ${ports.http}), ` +
        `DNS ${DNS.ip}:${DNS.port}\n`,
    );
    const runDir = resolve(opts.outDir ?? defaultRunDir('demo'));
    await makeDirs(runDir);
    const scanFile = join(runDir, 'scan.yaml');
    await writeFile(
      scanFile,
      demoScanFile({
        hosts,
        scope: layout.scope,
        sentinel: layout.sentinel,
        dns: DNS,
        ports,
        ...(opts.today === undefined ? {} : { validUntil: aYearAfter(opts.today) }),
      }),
      'utf8',
    );

    const scan = await runScan({
      scanPath: scanFile,
      outDir: runDir,
      reports: { formats: DEFAULT_SCAN_FORMATS, perOwner: true },
      // Demo runs keep their own history beside them: a second demo shows "since the last scan"
      // without mixing simulated hosts into the history of real scans.
      historyPath: join(dirname(runDir), 'demo-history.db'),
      stderr,
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
      ...(opts.today === undefined ? {} : { today: opts.today }),
      ...(opts.now === undefined ? {} : { now: opts.now }),
    });
    const log = fleet.requestLog;
    return {
      scan,
      scanFile,
      maxRequestsPerEndpoint: await maxRequestsInRun(scan.runDir),
      fleetRequests: log.requests,
      sentinelConnections: log.connectionsTo(layout.sentinel),
    };
  } finally {
    await fleet.stop();
  }
}

export { STANDARD_MAX_REQUESTS };
