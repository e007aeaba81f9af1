// Done-when of issue 9, end to end through the built CLI: the simulated fleet scanned once whole
// and once as 4 shards in 4 separate processes running side by side, the shards merged; the merged
// run holds the same records as the whole scan (by endpoint key, ignoring what depends on time),
// each endpoint came from exactly one shard, the reports are written, a resumed shard stays its
// shard, and merge refuses runs that do not fit together with exit status 2.
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, standardFleet, type Fleet } from '../src/fleet/index.js';
import { fleetScanFile } from './helpers/fleet-scan-file.js';
import { HistoryStore } from '../src/history/index.js';
import { endpointKey, type ResultRecord } from '../src/core/result-schema.js';
import { recordIdentity, shardOf } from '../src/shard/index.js';
import { runCli, startCli, type CliResult } from './helpers/cli.js';
import { recordsOf, stableByKey } from './helpers/fleet-records.js';

const BASE = '127.58.0.0';
const PORTS = { https: 18443, http: 18080 };
const DNS = { ip: '127.58.0.53', port: 15358 };
const N = 4;
const ENV = { PUPPETEER_EXECUTABLE_PATH: '/nonexistent' };

let fleet: Fleet;
let dir: string;
let scanFile: string;
let wholeDir: string;
let shardDirs: string[] = [];
let mergedDir: string;
let historyDb: string;
let merge: CliResult;

const byKey = (records: readonly ResultRecord[]): Map<string, string> => stableByKey(fleet, records);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'owa-shard-fleet-'));
  fleet = await startFleet({
    hosts: standardFleet({ base: BASE, httpsPort: PORTS.https, httpPort: PORTS.http }),
    dns: DNS,
    lifetimeMs: 240_000,
  });
  const text = fleetScanFile(fleet, BASE, { dns: DNS, ports: PORTS });
  scanFile = join(dir, 'fleet.yaml');
  await writeFile(scanFile, text);
  historyDb = join(dir, 'history.db');

  wholeDir = join(dir, 'whole');
  const whole = await runCli(['scan', scanFile, '--out', wholeDir, '--no-history'], {
    env: ENV,
    timeoutMs: 90_000,
  });
  if (whole.code !== 0) throw new Error(`whole scan failed (${String(whole.code)}):\n${whole.stderr}`);

  // Four processes side by side; shard 2 picks its default run directory under its own cwd.
  const runs = Array.from({ length: N }, (_, i) => {
    const k = i + 1;
    const args = [
      'scan',
      scanFile,
      '--shard',
      `${k}/${N}`,
      '--no-history',
      ...(k === 2 ? [] : ['--out', join(dir, `shard${k}`)]),
    ];
    return startCli(args, { env: ENV, timeoutMs: 90_000, ...(k === 2 ? { cwd: dir } : {}) }).done;
  });
  const results = await Promise.all(runs);
  for (const [i, r] of results.entries()) {
    if (r.code !== 0) throw new Error(`shard ${i + 1} failed (${String(r.code)}):\n${r.stderr}`);
  }
  shardDirs = results.map((r) => r.stdout.trim());

  mergedDir = join(dir, 'merged');
  merge = await runCli(['merge', ...shardDirs, '--out', mergedDir, '--history', historyDb], {
    env: ENV,
    timeoutMs: 60_000,
  });
}, 240_000);

afterAll(async () => {
  await fleet.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the fleet scanned as 4 shards in 4 processes, then merged', () => {
  it('names a default shard run directory after its shard', () => {
    expect(basename(shardDirs[1] ?? '')).toMatch(/^demo-\d{8}T\d{6}Z-shard2of4$/);
    expect(shardDirs[1]).toBe(join(dir, 'scans', 'runs', basename(shardDirs[1] ?? '')));
  });

  it('puts every endpoint in exactly one shard, the one its pre-resolution identity hashes to', async () => {
    const seen = new Map<string, number>();
    for (const [i, d] of shardDirs.entries()) {
      const records = await recordsOf(d);
      expect(records.length, `shard ${i + 1} is empty`).toBeGreaterThan(0);
      for (const r of records) {
        expect(seen.get(endpointKey(r)), `${endpointKey(r)} in two shards`).toBeUndefined();
        seen.set(endpointKey(r), i + 1);
        expect(shardOf(recordIdentity(r) ?? '', N), endpointKey(r)).toBe(i + 1);
      }
      const run = JSON.parse(await readFile(join(d, 'run.json'), 'utf8')) as {
        shard: unknown;
        state: string;
      };
      expect(run.shard).toEqual({ index: i + 1, count: N });
      expect(run.state).toBe('finished');
    }
    // Names: all endpoints of a name (both ports, every address) sit in one shard.
    for (const name of ['mail.fleet.test', 'mixed.fleet.test']) {
      const shards = new Set([...seen].filter(([k]) => k.endsWith(`#${name}`)).map(([, s]) => s));
      expect(shards.size, name).toBe(1);
    }
  });

  it('merges into the same set of records as the whole scan', async () => {
    expect(merge.code, merge.stderr).toBe(0);
    expect(merge.stdout.trim()).toBe(mergedDir);
    const whole = byKey(await recordsOf(wholeDir));
    const merged = byKey(await recordsOf(mergedDir));
    expect(whole.size).toBeGreaterThan(30);
    expect([...merged.keys()].sort()).toEqual([...whole.keys()].sort());
    for (const [key, value] of whole) expect(merged.get(key), key).toBe(value);
  });

  it('writes a run.json that reads like a scan of the whole file, plus where it came from', async () => {
    const meta = JSON.parse(await readFile(join(mergedDir, 'run.json'), 'utf8')) as {
      state: string;
      shard: unknown;
      startedAt: string;
      counts: Record<string, number>;
      requests: number;
      merged: { shardCount: number; shards: { index: number; dir: string }[]; missing: number[] };
    };
    const shardMetas = await Promise.all(
      shardDirs.map(
        async (d) =>
          JSON.parse(await readFile(join(d, 'run.json'), 'utf8')) as { startedAt: string; requests: number },
      ),
    );
    expect(meta.state).toBe('finished');
    expect(meta.shard).toBeNull();
    expect(meta.startedAt).toBe(shardMetas.map((m) => m.startedAt).sort()[0]);
    expect(meta.requests).toBe(shardMetas.reduce((s, m) => s + m.requests, 0));
    expect(Object.values(meta.counts).reduce((a, b) => a + b, 0)).toBe((await recordsOf(mergedDir)).length);
    expect(meta.merged.shards.map((s) => [s.index, s.dir])).toEqual(shardDirs.map((d, i) => [i + 1, d]));
    expect(meta.merged.missing).toEqual([]);
  });

  it('writes the reports of the merged run and records it in the history', async () => {
    expect(merge.stderr).toMatch(/report: .*merged\/report\.html/);
    const html = await readFile(join(mergedDir, 'report.html'), 'utf8');
    expect(html).toContain('mail.fleet.test');
    const csv = (await readFile(join(mergedDir, 'results.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength((await recordsOf(mergedDir)).length + 1);
    expect(await stat(join(mergedDir, 'owners')).then((s) => s.isDirectory())).toBe(true);
    // Shard runs write neither: merge does.
    for (const d of shardDirs) expect(await stat(join(d, 'report.html')).catch(() => null)).toBeNull();
    const store = HistoryStore.open(historyDb);
    try {
      const runs = store.listRuns('demo');
      expect(runs).toHaveLength(1);
      expect(runs[0]?.endpoints).toBe((await recordsOf(mergedDir)).length);
    } finally {
      store.close();
    }
  });

  it('diffs the merged run against the whole scan without a change', async () => {
    const diff = await runCli(['diff', wholeDir, mergedDir, '--json', '--no-history'], { env: ENV });
    expect(diff.code, diff.stderr).toBe(0);
    const counts = (JSON.parse(diff.stdout) as { counts: Record<string, number | undefined> }).counts;
    for (const kind of ['new', 'gone', 'newlyVulnerable', 'fixed', 'changedBuild'])
      expect(counts[kind], kind).toBe(0);
    expect(counts.changedVerdict).toBe(0);
    // The diff follows Exchange endpoints: every one of them is there, unchanged.
    const exchange = (await recordsOf(mergedDir)).filter((r) => r.status === 'exchange').length;
    expect((counts.unchanged ?? 0) + (counts.stillVulnerable ?? 0)).toBe(exchange);
  });

  it('resumes a shard as that shard: nothing of the other shards is probed', async () => {
    const target = shardDirs[0] as string;
    const before = (await recordsOf(target)).length;
    fleet.requestLog.reset();
    const r = await runCli(['scan', '--resume', target, '--no-history'], { env: ENV, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect((await recordsOf(target)).length).toBe(before);
    expect(fleet.requestLog.connections).toBe(0);
  });
});

describe('refusals through the CLI: exit status 2 and a message that names what differs', () => {
  async function altered(
    from: string,
    name: string,
    change: (meta: Record<string, unknown>) => void,
  ): Promise<string> {
    const copy = join(dir, name);
    await cp(from, copy, { recursive: true });
    const meta = JSON.parse(await readFile(join(copy, 'run.json'), 'utf8')) as Record<string, unknown>;
    change(meta);
    await writeFile(join(copy, 'run.json'), JSON.stringify(meta));
    return copy;
  }

  it('a missing shard, unless --partial', async () => {
    const three = shardDirs.filter((_, i) => i !== 3);
    const refused = await runCli(['merge', ...three, '--out', join(dir, 'm-missing'), '--no-history'], {
      env: ENV,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/shard 4 \(of 4\) missing: give all 4 shard runs, or pass --partial/);
    expect(refused.stdout).toBe('');
    const partial = await runCli(
      ['merge', ...three, '--out', join(dir, 'm-partial'), '--partial', '--no-history'],
      { env: ENV },
    );
    expect(partial.code, partial.stderr).toBe(0);
    expect(partial.stderr).toMatch(/state stopped/);
  });

  it('a different scan file, a different data version, and overlapping shards', async () => {
    const others = shardDirs.slice(1);
    const file = await altered(shardDirs[0] as string, 'alt-file', (m) => {
      (m.scanFile as { source: string }).source += '# edited\n';
    });
    const data = await altered(shardDirs[0] as string, 'alt-data', (m) => {
      m.data = { version: '2099-01-01+other', asOf: '2099-01-01' };
    });
    const twice = await altered(shardDirs[1] as string, 'alt-twice', () => undefined);
    for (const [runs, message] of [
      [[file, ...others], /different scan files cannot be merged/],
      [[data, ...others], /different data versions cannot be merged: .*alt-data has data 2099-01-01\+other/],
      [[...shardDirs, twice], /shard 2\/4 is given twice, as .* and .*alt-twice: the runs overlap/],
    ] as const) {
      const r = await runCli(['merge', ...runs, '--out', join(dir, 'm-refused'), '--no-history'], {
        env: ENV,
      });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('bad --shard values, and --shard with --resume', async () => {
    const before = fleet.requestLog.connections;
    for (const bad of ['0/4', '5/4', 'x']) {
      const r = await runCli(
        ['scan', scanFile, '--shard', bad, '--out', join(dir, 'never'), '--no-history'],
        { env: ENV },
      );
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/^owa-audit: command line: --shard: /);
    }
    const resume = await runCli(['scan', '--resume', shardDirs[0] as string, '--shard', '1/4'], { env: ENV });
    expect(resume.code).toBe(2);
    expect(resume.stderr).toMatch(/--shard/);
    expect(fleet.requestLog.connections).toBe(before);
    expect(await stat(join(dir, 'never')).catch(() => null)).toBeNull();
  });
});
