// End to end over real sockets: the whole scanner (scan file → scope → engine → probe plan →
// fingerprint → classify → results.jsonl) against the simulated fleet, checked against the
// fleet's hand-written expectations and its server-side request log.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, standardFleet, standardFleetLayout, type Fleet } from '../src/fleet/index.js';
import { fleetScanFile } from './helpers/fleet-scan-file.js';
import type { HostExpectation } from '../src/fleet/types.js';
import { runScan, STANDARD_MAX_REQUESTS } from '../src/scan/run-scan.js';
import type { ResultRecord } from '../src/core/result-schema.js';

const BASE = '127.30.0.0';
const PORTS = { https: 18443, http: 18080 };
const DNS = { ip: '127.30.0.53', port: 15353 };
const quiet = { write: () => true };

let fleet: Fleet;
let dir: string;

function expectationFor(r: ResultRecord, mode: 'standard' | 'thorough'): HostExpectation {
  const host = fleet.host(r.ip ?? '');
  if (host === undefined) throw new Error(`record for an address the fleet does not have: ${r.ip}`);
  const port = host.ports.find((p) => p.port === r.port);
  if (port === undefined) throw new Error(`record for a port the fleet does not serve: ${r.ip}:${r.port}`);
  return mode === 'thorough' && port.scheme === 'https' ? host.expectThorough : port.expect;
}

function checkAgainstFleet(r: ResultRecord, e: HostExpectation): void {
  const label = `${r.scheme}://${r.ip}:${r.port} (${e.why})`;
  const acceptable = [{ status: e.status, error: e.error }, ...(e.alsoAcceptable ?? [])];
  const matched = acceptable.some(
    (a) => a.status === r.status && (a.error === undefined || a.error === r.error?.code),
  );
  expect(matched, `${label}: got ${r.status}/${r.error?.code ?? '-'}`).toBe(true);
  if (r.status !== e.status) return;
  if (e.product !== undefined) expect(r.exchange?.product, label).toBe(e.product);
  if (e.build !== undefined) expect(r.exchange?.build, label).toBe(e.build);
  if (e.precision !== undefined) expect(r.exchange?.precision, label).toBe(e.precision);
  for (const s of e.signals ?? []) {
    expect(
      r.evidence.map((x) => x.signal),
      `${label}: evidence ${s}`,
    ).toContain(s);
  }
  // Never a verdict for something that is not on-premises Exchange.
  if (r.status !== 'exchange') expect(r.exchange, label).toBeNull();
}

async function scan(mode: 'standard' | 'thorough', name: string): Promise<ResultRecord[]> {
  const text = fleetScanFile(fleet, BASE, { dns: DNS, ports: PORTS }, mode);
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, text);
  const out = join(dir, name);
  // The day the authorisation and the verdicts are judged by, whatever the wall clock says.
  const result = await runScan({
    scanPath: file,
    outDir: out,
    reports: false,
    stderr: quiet,
    today: '2026-11-27',
  });
  expect(result.summary.aborted).toBe(false);
  const lines = (await readFile(join(out, 'results.jsonl'), 'utf8')).trim().split('\n');
  return lines.map((l) => JSON.parse(l) as ResultRecord);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'owa-e2e-'));
  fleet = await startFleet({
    hosts: standardFleet({ base: BASE, httpsPort: PORTS.https, httpPort: PORTS.http }),
    dns: DNS,
    lifetimeMs: 120_000,
  });
});

afterAll(async () => {
  await fleet.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('scanning the simulated fleet', () => {
  let records: ResultRecord[];

  beforeAll(async () => {
    fleet.requestLog.reset();
    records = await scan('standard', 'standard');
  }, 60_000);

  it('writes exactly one record per endpoint of the scan', () => {
    const targets = fleet.hosts
      .filter((h) => h.ip !== standardFleetLayout(BASE).sentinel)
      .flatMap((h) => h.ports);
    const bare = records.filter((r) => r.host === null);
    expect(bare).toHaveLength(targets.length);
    const keys = new Set(records.map((r) => `${r.scheme}://${r.ip}:${r.port}#${r.host ?? ''}`));
    expect(keys.size).toBe(records.length);
  });

  it('concludes what each host’s responses prove: product, build and precision', () => {
    for (const r of records.filter((x) => x.host === null))
      checkAgainstFleet(r, expectationFor(r, 'standard'));
  });

  it('gives a name the verdict of the address it resolves to, and never probes the out-of-scope address', () => {
    const mail = fleet.hosts.find((h) => h.name === 'mail.fleet.test');
    const named = records.filter((r) => r.host === 'mail.fleet.test' || r.host === 'mixed.fleet.test');
    expect(named.length).toBeGreaterThanOrEqual(2);
    for (const r of named) {
      expect(r.ip).toBe(mail?.ip);
      checkAgainstFleet(r, expectationFor(r, 'standard'));
    }
    expect(fleet.requestLog.connectionsTo(standardFleetLayout(BASE).sentinel)).toBe(0);
  });

  it('needs at most five requests per endpoint, and the fleet counted exactly what the scanner says it sent', () => {
    expect(Math.max(...records.map((r) => r.requests))).toBeLessThanOrEqual(STANDARD_MAX_REQUESTS);
    // Per address (redirects may cross ports of one host), for hosts that speak HTTP.
    const byIp = new Map<string, number>();
    for (const r of records) {
      if (r.ip === null || !['exchange', 'exchange-online', 'not-exchange'].includes(r.status)) continue;
      byIp.set(r.ip, (byIp.get(r.ip) ?? 0) + r.requests);
    }
    for (const [ip, sent] of byIp) expect(fleet.requestLog.count(ip), ip).toBe(sent);
  });

  it('needs at most 3.5 requests per endpoint on average, as counted by the fleet', () => {
    // Every request the fleet received from this scan, over every endpoint the scan probed.
    const received = fleet.requestLog.endpoints().reduce((n, e) => n + e.requests, 0);
    const mean = received / records.length;
    expect(mean, `${received} requests over ${records.length} endpoints`).toBeLessThanOrEqual(3.5);
  });

  it('never calls a non-Exchange host Exchange', () => {
    for (const h of fleet.hosts) {
      if (h.expect.status === 'exchange') continue;
      for (const r of records.filter((x) => x.ip === h.ip))
        expect(r.status, h.profile.id).not.toBe('exchange');
    }
  });
});

describe('thorough mode (owners auditing their own hosts)', () => {
  it('pins the security update of CU-only hosts from the ECP version directories', async () => {
    const records = await scan('thorough', 'thorough');
    let improved = 0;
    for (const r of records.filter((x) => x.host === null && x.scheme === 'https')) {
      const e = expectationFor(r, 'thorough');
      checkAgainstFleet(r, e);
      const host = fleet.host(r.ip ?? '');
      if (host !== undefined && host.expectThorough !== host.expect) improved += 1;
    }
    expect(improved).toBeGreaterThan(0);
  }, 60_000);
});
