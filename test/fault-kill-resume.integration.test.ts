// kill -9 in the middle of a 2,000-host scan (the real CLI, SIGKILL after some hundreds of
// records), then `scan --resume`: no endpoint lost, none probed twice (the fleet's own per-endpoint
// counts of the endpoints finished before the kill do not move), no duplicate line, no torn line,
// and the lines written before the kill are kept byte for byte.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { benchScanFile } from '../tools/bench/scan-file.js';
import { scaledFleet, startFleet, type Fleet } from '../src/fleet/index.js';
import { runCli, startCli } from './helpers/cli.js';
import { duplicateKeys, readResultsStrict } from './helpers/fault-records.js';
import { waitForLines } from './helpers/fault-proc.js';

const BASE = '127.41.0.0';
const HOSTS = 2_000;
const PORT = 18443;
/** Kill once this many records are on disk: well into the scan, far from its end. */
const KILL_AFTER = 300;
const env = { PUPPETEER_EXECUTABLE_PATH: '/nonexistent' };

let fleet: Fleet;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'owa-fault-kill-'));
  fleet = await startFleet({
    hosts: scaledFleet({ base: BASE, count: HOSTS, httpsPort: PORT }),
    lifetimeMs: 180_000,
    logCapacity: 0,
  });
});

afterAll(async () => {
  await fleet.stop();
  await rm(dir, { recursive: true, force: true });
});

it('resumes a scan killed with SIGKILL: nothing lost, nothing probed twice, no duplicate or torn line', async () => {
  const ips = fleet.hosts.map((h) => h.ip);
  const targets = join(dir, 'targets.txt');
  await writeFile(targets, `${ips.join('\n')}\n`);
  const scanFile = join(dir, 'kill.yaml');
  await writeFile(
    scanFile,
    benchScanFile({
      name: 'fault-kill',
      include: ['127.41.0.0/16'],
      targets: { file: targets },
      ports: [PORT],
      rate: 5_000,
      concurrency: 64,
      hostGapMs: 1,
      timeoutMs: 5_000,
      // The CLI's day is pinned (OWA_AUDIT_NOW, vitest.config.ts): so is the authorisation's last day.
      validUntil: '2026-12-31',
    }),
  );
  const out = join(dir, 'run');
  const results = join(out, 'results.jsonl');

  const first = startCli(['scan', scanFile, '--out', out, '--no-history'], { env, timeoutMs: 90_000 });
  let ended = false;
  void first.done.then(() => (ended = true));
  await waitForLines(results, KILL_AFTER, 60_000, () => ended);
  first.child.kill('SIGKILL');
  const killed = await first.done;
  expect(killed.signal).toBe('SIGKILL');
  // Let the fleet take in whatever was already on the wire before its counts are read.
  await new Promise((resolve) => setTimeout(resolve, 300));

  const before = await readResultsStrict(results);
  expect(before.bad).toEqual([]);
  expect(before.records.length, 'the kill landed after the scan had finished').toBeLessThan(HOSTS);
  const finished = new Set(before.records.map((r) => r.ip ?? ''));
  const countsAtKill = new Map(ips.map((ip) => [ip, fleet.requestLog.count(ip)]));
  const textAtKill = before.lines.map((l) => `${l}\n`).join('');

  const second = await runCli(['scan', '--resume', out, '--no-history'], { env, timeoutMs: 90_000 });
  expect(second.code, second.stderr).toBe(0);

  const after = await readResultsStrict(results);
  expect(after.bad, 'lines that are not result records').toEqual([]);
  expect(after.tail, 'a torn last line').toBe('');
  expect(duplicateKeys(after.records), 'duplicate endpoints').toEqual([]);
  expect(after.records).toHaveLength(HOSTS);
  expect(new Set(after.records.map((r) => r.ip))).toEqual(new Set(ips));
  expect(
    (await readFile(results, 'utf8')).startsWith(textAtKill),
    'records written before the kill were changed',
  ).toBe(true);

  const probedAgain = [...finished].filter((ip) => fleet.requestLog.count(ip) !== countsAtKill.get(ip));
  expect(probedAgain, 'endpoints finished before the kill and probed again').toEqual([]);
  // Endpoints first touched after the kill: the fleet saw exactly what their records say was sent.
  for (const r of after.records) {
    if (countsAtKill.get(r.ip ?? '') === 0)
      expect(fleet.requestLog.count(r.ip ?? ''), r.ip ?? '').toBe(r.requests);
  }
  expect(after.records.every((r) => r.status === 'exchange')).toBe(true);

  const meta = JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as {
    state: string;
    counts: Record<string, number>;
    resumedAt: string[];
  };
  expect(meta.state).toBe('finished');
  expect(Object.values(meta.counts).reduce((a, b) => a + b, 0)).toBe(HOSTS);
  expect(meta.resumedAt).toHaveLength(1);
}, 150_000);
