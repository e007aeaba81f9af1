// deploy/parallel/run-shards.sh run for real: the simulated fleet scanned whole, then as 3 shards
// through GNU parallel's local slots ("3/:" — three at once on this machine, the script's local
// mode), the shard runs gathered in RUNS_DIR/RUN_ID and merged by the script; the merged run holds
// the same records as the whole scan (by endpoint key, ignoring what depends on time). Then a
// shard is lost and the script, run again with the same RUN_ID, scans only that shard and merges.
// Skipped, saying why, only where GNU parallel is not installed (.ci/run installs it).
//
// Where rsync is installed too, the SSH path runs as well: one slot here and two on an "SSH
// host" played by a stand-in `ssh` that runs the login's commands in a directory of this machine
// (its login directory). Parallel, rsync (over that ssh), the copy of the scan directory, the
// remote working directory and the fetch back with --return are the real ones.
import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, standardFleet, type Fleet } from '../src/fleet/index.js';
import { fleetScanFile } from './helpers/fleet-scan-file.js';
import { endpointKey } from '../src/core/result-schema.js';
import { recordIdentity, shardOf } from '../src/shard/index.js';
import { BIN, ROOT, runCli } from './helpers/cli.js';
import { recordsOf, stableByKey } from './helpers/fleet-records.js';

const SCRIPT = join(ROOT, 'deploy/parallel/run-shards.sh');
const BASE = '127.59.0.0';
const PORTS = { https: 18443, http: 18080 };
const DNS = { ip: '127.59.0.53', port: 15359 };
const N = 3;
const RUN_ID = 'fleet-par';
const ENV = { PUPPETEER_EXECUTABLE_PATH: '/nonexistent', OWA_AUDIT_HISTORY: 'none' };

const PARALLEL = spawnSync('sh', ['-c', 'command -v parallel'], { encoding: 'utf8' }).stdout.trim();
const SKIP =
  PARALLEL === ''
    ? ' — SKIPPED: GNU parallel is not installed here (apt-get install parallel; .ci/run installs it)'
    : '';

if (SKIP !== '') console.warn(`test/shard-parallel.integration.test.ts${SKIP}`);
const NO_SSH_PATH =
  SKIP !== '' || spawnSync('sh', ['-c', 'command -v rsync'], { encoding: 'utf8' }).stdout.trim() === ''
    ? ' — SKIPPED: rsync is not installed here (the SSH path copies with it)'
    : '';

/** `ssh [options] host [--] command…` run as `bash -c command…` in $FAKE_SSH_ROOT/host, its "login directory". */
const STAND_IN_SSH = `#!/bin/bash
mkdir -p "$FAKE_SSH_ROOT"
echo "ssh $*" >> "$FAKE_SSH_ROOT/ssh.log"
while [ $# -gt 0 ]; do
  case "$1" in
    -[bcDEeFIiJLlmOopQRSWw]) shift 2 ;;
    -*) shift ;;
    *) break ;;
  esac
done
host=$1
shift
[ "\${1-}" = "--" ] && shift
mkdir -p "$FAKE_SSH_ROOT/$host"
cd "$FAKE_SSH_ROOT/$host" || exit 255
HOME="$FAKE_SSH_ROOT/$host" exec bash -c "$*"
`;

interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the script in its own process group, killed whole (parallel and its jobs) after `timeoutMs`. */
function runScript(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ScriptResult> {
  const started = Date.now();
  const child = spawn('bash', [SCRIPT, ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const timer = setTimeout(() => {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }, timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

let fleet: Fleet;
let dir = '';
let scanFile = '';
let wholeDir = '';
let runsDir = '';
let scriptEnv: NodeJS.ProcessEnv = {};
let first: ScriptResult;

beforeAll(async () => {
  if (SKIP !== '') return;
  dir = await mkdtemp(join(tmpdir(), 'owa-shard-parallel-'));
  fleet = await startFleet({
    hosts: standardFleet({ base: BASE, httpsPort: PORTS.https, httpPort: PORTS.http }),
    dns: DNS,
    lifetimeMs: 300_000,
  });
  const text = fleetScanFile(fleet, BASE, { dns: DNS, ports: PORTS });
  await mkdir(join(dir, 'scan'));
  scanFile = join(dir, 'scan', 'fleet.yaml');
  await writeFile(scanFile, text);

  wholeDir = join(dir, 'whole');
  const whole = await runCli(['scan', scanFile, '--out', wholeDir, '--no-history'], {
    env: ENV,
    timeoutMs: 90_000,
  });
  if (whole.code !== 0) throw new Error(`whole scan failed (${String(whole.code)}):\n${whole.stderr}`);

  // `owa-audit` on PATH is the built CLI, as an installed one would be.
  const bin = join(dir, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'owa-audit'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  await chmod(join(bin, 'owa-audit'), 0o755);
  await writeFile(join(bin, 'ssh'), STAND_IN_SSH);
  await chmod(join(bin, 'ssh'), 0o755);
  runsDir = join(dir, 'runs');
  scriptEnv = {
    ...ENV,
    PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    RUNS_DIR: runsDir,
    RUN_ID,
    FAKE_SSH_ROOT: join(dir, 'ssh-hosts'),
  };
  first = await runScript([scanFile, String(N), `${N}/:`], scriptEnv, 150_000);
}, 300_000);

afterAll(async () => {
  if (SKIP !== '') return;
  await fleet.stop();
  await rm(dir, { recursive: true, force: true });
});

const shardDir = (k: number): string => join(runsDir, RUN_ID, `shard-${k}of${N}`);
const mergedDir = (): string => join(runsDir, RUN_ID, 'merged');

describe.skipIf(SKIP !== '')(`deploy/parallel/run-shards.sh on GNU parallel's local slots${SKIP}`, () => {
  it('runs the N shards through parallel, one job each, and merges them', async () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe(mergedDir());
    expect(first.stderr).toContain(`run ${RUN_ID}: ${N} shards on ${N}/:;`);
    // Each shard's own output, tagged by parallel; stdout is the merged run alone.
    for (let k = 1; k <= N; k++) expect(first.stderr).toContain(`shard ${k}\t${shardDir(k)}`);
    // GNU parallel's job log: one line per shard, each run once and successful.
    const joblog = (await readFile(join(runsDir, RUN_ID, 'joblog'), 'utf8')).trim().split('\n').slice(1);
    expect(joblog).toHaveLength(N);
    const columns = joblog.map((l) => l.split('\t'));
    expect(columns.map((c) => c[1]).sort()).toEqual([':', ':', ':']);
    expect(columns.map((c) => c[6])).toEqual(['0', '0', '0']); // exit values
    expect(columns.map((c) => c.at(-1)?.replace(/^shard_cmd (\d+) .*/, '$1')).sort()).toEqual([
      '1',
      '2',
      '3',
    ]);
    for (let k = 1; k <= N; k++) {
      const meta = JSON.parse(await readFile(join(shardDir(k), 'run.json'), 'utf8')) as {
        shard: unknown;
        state: string;
      };
      expect(meta).toMatchObject({ shard: { index: k, count: N }, state: 'finished' });
      for (const r of await recordsOf(shardDir(k)))
        expect(shardOf(recordIdentity(r) ?? '', N), endpointKey(r)).toBe(k);
    }
  });

  it('leaves a merged run equal to the single-machine scan, record by record', async () => {
    const whole = stableByKey(fleet, await recordsOf(wholeDir));
    const merged = stableByKey(fleet, await recordsOf(mergedDir()));
    expect(whole.size).toBeGreaterThan(30);
    expect([...merged.keys()].sort()).toEqual([...whole.keys()].sort());
    for (const [key, value] of whole) expect(merged.get(key), key).toBe(value);
    const meta = JSON.parse(await readFile(join(mergedDir(), 'run.json'), 'utf8')) as {
      state: string;
      merged: { shards: { index: number; dir: string }[]; missing: number[] };
    };
    expect(meta.state).toBe('finished');
    expect(meta.merged.missing).toEqual([]);
    expect(meta.merged.shards.map((s) => [s.index, s.dir])).toEqual([1, 2, 3].map((k) => [k, shardDir(k)]));
    expect(await stat(join(mergedDir(), 'intelmq.jsonl')).then((s) => s.size)).toBeGreaterThan(0);
  });

  it('run again with the same RUN_ID, scans only the shard that is missing, and merges', async () => {
    await rm(shardDir(2), { recursive: true });
    await rm(mergedDir(), { recursive: true });
    fleet.requestLog.reset();
    const again = await runScript([scanFile, String(N), `${N}/:`], scriptEnv, 150_000);
    expect(again.code, again.stderr).toBe(0);
    const whole = stableByKey(fleet, await recordsOf(wholeDir));
    const merged = stableByKey(fleet, await recordsOf(mergedDir()));
    expect([...merged.keys()].sort()).toEqual([...whole.keys()].sort());
    // Shards 1 and 3 were finished and resumed as such: only shard 2's endpoints were probed.
    const shard2 = await recordsOf(shardDir(2));
    const probed = new Set(shard2.map((r) => r.ip));
    expect(fleet.requestLog.connections).toBeGreaterThan(0);
    for (const { ip } of fleet.requestLog.endpoints()) expect(probed, ip).toContain(ip);
  });
});

describe.skipIf(NO_SSH_PATH !== '')(
  `deploy/parallel/run-shards.sh over SSH, with a stand-in ssh${NO_SSH_PATH}`,
  () => {
    it('runs shards here and on the SSH host, fetches them back with rsync and merges them', async () => {
      const runId = 'fleet-ssh';
      const r = await runScript(
        [scanFile, String(N), '1/:', '2/scanner-a'],
        { ...scriptEnv, RUN_ID: runId },
        150_000,
      );
      expect(r.code, r.stderr).toBe(0);
      const local = join(runsDir, runId);
      expect(r.stdout.trim()).toBe(join(local, 'merged'));
      const jobs = (await readFile(join(local, 'joblog'), 'utf8'))
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t'));
      expect(jobs.map((c) => c[6])).toEqual(['0', '0', '0']); // each shard ran once, successfully
      const hosts = jobs.map((c) => c[1]);
      expect(hosts).toContain('scanner-a');
      // The scan directory went to the host; its shards ran there, in REMOTE_DIR/RUN_ID, and came back.
      const remote = join(dir, 'ssh-hosts', 'scanner-a', 'owa-audit-shards', runId);
      expect(await readFile(join(remote, 'scan', 'fleet.yaml'), 'utf8')).toBe(
        await readFile(scanFile, 'utf8'),
      );
      const ssh = await readFile(join(dir, 'ssh-hosts', 'ssh.log'), 'utf8');
      expect(ssh).toMatch(/rsync --server --sender/);
      for (let k = 1; k <= N; k++) {
        const meta = JSON.parse(await readFile(join(local, `shard-${k}of${N}`, 'run.json'), 'utf8')) as {
          shard: unknown;
          state: string;
        };
        expect(meta).toMatchObject({ shard: { index: k, count: N }, state: 'finished' });
      }
      const remoteShards = hosts.filter((h) => h === 'scanner-a').length;
      let fetched = 0;
      for (let k = 1; k <= N; k++)
        if (await stat(join(remote, `shard-${k}of${N}`)).catch(() => null)) fetched++;
      expect(fetched).toBe(remoteShards);
      // Nothing of the remote working directory is left on this machine.
      expect(await stat(join(local, 'owa-audit-shards')).catch(() => null)).toBeNull();
      const whole = stableByKey(fleet, await recordsOf(wholeDir));
      const merged = stableByKey(fleet, await recordsOf(join(local, 'merged')));
      expect([...merged.keys()].sort()).toEqual([...whole.keys()].sort());
      for (const [key, value] of whole) expect(merged.get(key), key).toBe(value);
    });
  },
);
