// The hostile fleet all at once, several copies of each: tarpit, reset, garbage, slow drip, 50 MB
// bodies, redirect loop, redirect out of scope, header imitators, hostile markup and Retry-After,
// scanned in one run through the CLI. Every endpoint ends with exactly one record saying what the
// fleet's hand-written expectation says, the scan ends within a deadline computed from its
// settings, nothing reaches the out-of-scope sentinel, and the scanner's memory stays bounded
// while the 50 MB bodies are on offer.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchScanFile } from '../tools/bench/scan-file.js';
import { PROFILES, startFleet, type Fleet, type ProfileId } from '../src/fleet/index.js';
import type { FleetHostSpec, FleetPortSpec } from '../src/fleet/types.js';
import { endpointKey, type ResultRecord } from '../src/core/result-schema.js';
import { STANDARD_MAX_REQUESTS } from '../src/scan/run-scan.js';
import { startCli, type CliResult } from './helpers/cli.js';
import { duplicateKeys, mismatch, readResultsStrict } from './helpers/fault-records.js';
import { sampleRss } from './helpers/fault-proc.js';

const NET = '127.40.0';
const SENTINEL = '127.40.250.1';
const HTTPS = 18443;
const HTTP = 18080;
const COPIES = 3;
/** More copies of the 50 MB body: buffering them whole would show at once in the RSS. */
const HUGE_COPIES = 6;
const PROBE = { rate: 400, concurrency: 128, hostGapMs: 50, timeoutMs: 1500 };
/** Bodies are cut at 512 KiB (≈160 MB peak measured); a scanner holding five of the seven 50 MB bodies at once would exceed it. */
const RSS_LIMIT_BYTES = 350 * 1024 * 1024;
const HOSTILE: ProfileId[] = [
  'tarpit',
  'reset',
  'garbage',
  'slow-drip',
  'huge-body',
  'redirect-loop',
  'redirect-out-of-scope',
  'imitator-owa-version',
  'imitator-feserver',
  'hostile-markup',
  'retry-after',
];
/** Profiles whose raw behaviour differs on plain http: one more copy each there. */
const HTTP_TOO: ProfileId[] = ['tarpit', 'reset', 'garbage', 'slow-drip', 'huge-body', 'redirect-loop'];

function hostileHosts(): FleetHostSpec[] {
  const hosts: FleetHostSpec[] = [];
  const add = (id: ProfileId, ports: FleetPortSpec[]): void => {
    const profile =
      id === 'redirect-out-of-scope' ? { ...PROFILES[id], target: `https://${SENTINEL}:${HTTPS}/owa/` } : id;
    hosts.push({ ip: `${NET}.${hosts.length + 1}`, profile, ports });
  };
  for (const id of HOSTILE) {
    for (let c = 0; c < (id === 'huge-body' ? HUGE_COPIES : COPIES); c++)
      add(id, [{ port: HTTPS, scheme: 'https' }]);
  }
  for (const id of HTTP_TOO) add(id, [{ port: HTTP, scheme: 'http' }]);
  hosts.push({ ip: SENTINEL, profile: 'sentinel', ports: [{ port: HTTPS, scheme: 'https' }] });
  return hosts;
}

/**
 * The longest a correct scan may take: every endpoint may spend its whole active budget
 * (timeout × the plan's request cap), wait out the Retry-After host's 2 s and its host gaps,
 * and share the global rate with the others; plus the engine's abort grace and start-up.
 */
function deadlineMs(endpoints: number): number {
  const waves = Math.ceil(endpoints / PROBE.concurrency);
  const retryAfterMs = PROFILES['retry-after'].retryAfterSeconds * 1000;
  const perEndpoint =
    PROBE.timeoutMs * STANDARD_MAX_REQUESTS + retryAfterMs + PROBE.hostGapMs * STANDARD_MAX_REQUESTS + 1_000;
  const rateMs = ((endpoints * STANDARD_MAX_REQUESTS) / PROBE.rate) * 1000;
  return waves * perEndpoint + rateMs + 3_000;
}

let fleet: Fleet;
let dir: string;
let result: CliResult;
let peakRss = 0;
let records: ResultRecord[] = [];
let scanMs = 0;
let endpoints: { ip: string; port: number; scheme: 'http' | 'https' }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'owa-fault-hostile-'));
  fleet = await startFleet({ hosts: hostileHosts(), lifetimeMs: 120_000 });
  endpoints = fleet.hosts
    .filter((h) => h.ip !== SENTINEL)
    .flatMap((h) => h.ports.map((p) => ({ ip: h.ip, port: p.port, scheme: p.scheme })));
  const scanFile = join(dir, 'hostile.yaml');
  await writeFile(
    scanFile,
    benchScanFile({
      name: 'fault-hostile',
      include: [`${NET}.0/24`],
      targets: endpoints.map((e) => `${e.ip}:${e.port}`),
      ports: [HTTPS, `http:${HTTP}`],
      ...PROBE,
      // The CLI's day is pinned (OWA_AUDIT_NOW, vitest.config.ts): so is the authorisation's last day.
      validUntil: '2026-12-31',
    }),
  );
  const out = join(dir, 'run');
  const run = startCli(['scan', scanFile, '--out', out, '--no-history'], {
    env: { PUPPETEER_EXECUTABLE_PATH: '/nonexistent' },
    timeoutMs: 90_000,
  });
  const rss = sampleRss(run.child.pid ?? -1);
  result = await run.done;
  peakRss = rss.stop();
  const strict = await readResultsStrict(join(out, 'results.jsonl'));
  expect(strict.bad).toEqual([]);
  expect(strict.tail).toBe('');
  records = strict.records;
  const meta = JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as {
    startedAt: string;
    finishedAt: string | null;
  };
  scanMs = meta.finishedAt === null ? Infinity : Date.parse(meta.finishedAt) - Date.parse(meta.startedAt);
}, 120_000);

afterAll(async () => {
  await fleet.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the whole hostile fleet in one scan', () => {
  it('finishes with exit status 0', () => {
    expect(result.code, result.stderr).toBe(0);
  });

  it('writes exactly one record per endpoint', () => {
    expect(duplicateKeys(records)).toEqual([]);
    const want = endpoints.map((e) => endpointKey({ ...e, host: null })).sort();
    expect(records.map((r) => endpointKey(r)).sort()).toEqual(want);
  });

  it('gives every endpoint the outcome its profile calls for', () => {
    const wrong: string[] = [];
    for (const r of records) {
      const host = fleet.host(r.ip ?? '');
      const port = host?.ports.find((p) => p.port === r.port);
      if (host === undefined || port === undefined) {
        wrong.push(`${endpointKey(r)}: not a fleet endpoint`);
        continue;
      }
      const why = mismatch(r, port.expect);
      if (why !== null) wrong.push(`${host.profile.id} ${endpointKey(r)}: ${why}`);
    }
    expect(wrong).toEqual([]);
  });

  it('ends within the deadline its settings allow', () => {
    const limit = deadlineMs(endpoints.length);
    expect(scanMs, `scan took ${scanMs} ms, deadline ${limit} ms`).toBeLessThanOrEqual(limit);
  });

  it('never contacts the out-of-scope address the redirects point at', () => {
    expect(records.filter((r) => r.evidence.some((e) => e.signal === 'redirect-out-of-scope')).length).toBe(
      COPIES,
    );
    expect(fleet.requestLog.connectionsTo(SENTINEL)).toBe(0);
  });

  it('keeps its memory bounded while 50 MB bodies are served', () => {
    // The bodies were really on offer: every huge-body endpoint was asked at least once.
    const huge = fleet.hosts.filter((h) => h.profile.id === 'huge-body');
    expect(huge.length).toBe(HUGE_COPIES + 1);
    for (const h of huge) expect(fleet.requestLog.count(h.ip), h.ip).toBeGreaterThan(0);
    expect(peakRss, `peak RSS of the scanner ${Math.round(peakRss / 2 ** 20)} MB`).toBeGreaterThan(0);
    expect(peakRss, `peak RSS of the scanner ${Math.round(peakRss / 2 ** 20)} MB`).toBeLessThan(
      RSS_LIMIT_BYTES,
    );
  });
});
