// Replay a directory of transcripts: serve each as a host on loopback (the replay fleet kind), scan
// them all with the built CLI (`node bin/owa-audit.js scan …`, a child process, as a user would),
// and set every host's record against the truth its transcript states.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFleet, type Fleet } from '../../src/fleet/index.js';
import { PACKAGE_ROOT } from '../../src/util/version.js';
import { checkRecord } from '../../src/fleet/replay/check.js';
import { replayFleet } from '../../src/fleet/replay/hosts.js';
import { loadTranscripts } from '../../src/fleet/replay/load.js';
import type { Transcript } from '../../src/fleet/replay/transcript.js';
import { recordFrom } from '../../src/run-store/record-guard.js';
import type { ResultRecord } from '../../src/core/result-schema.js';
import { replayScanFile } from './scan-file.js';

export const CLI = join(PACKAGE_ROOT, 'bin', 'owa-audit.js');

export interface ReplayOptions {
  /** Directory of `*.http` transcripts. */
  dir: string;
  /** First address of the replay fleet: a /24 in 127.0.0.0/8 ending in .0 (default 127.61.0.0). */
  base?: string;
  httpsPort?: number;
  dnsPort?: number;
  /** Run directory for the scan (default: a fresh temporary directory, removed afterwards). */
  outDir?: string;
  /** The whole scan must end within this (default 120 s). */
  timeoutMs?: number;
  /** Progress and the CLI's stderr go here (default: nowhere). */
  log?: (text: string) => void;
  /** The scan file's valid_until, YYYY-MM-DD (tests pin it with the CLI's day); default a year from now. */
  validUntil?: string;
}

export interface ReplayRow {
  transcript: Transcript;
  ip: string;
  record: ResultRecord | null;
  /** Empty when the record matches the truth. */
  problems: string[];
}

export interface ReplayResult {
  rows: ReplayRow[];
  /** The fleet's own count of requests per host address (what the scanner really sent). */
  requestsByIp: Map<string, number>;
  sentinelConnections: number;
  runDir: string;
  cliExitCode: number | null;
}

export const DEFAULT_REPLAY_BASE = '127.61.0.0';

function dnsAddress(base: string): string {
  const [a, b] = base.split('.');
  return `${a ?? '127'}.${b ?? '61'}.254.53`;
}

function runCli(args: string[], timeoutMs: number, log: (t: string) => void): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr.on('data', (b: Buffer) => log(b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function readRecords(file: string): Promise<ResultRecord[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => recordFrom(JSON.parse(l)))
    .filter((r): r is ResultRecord => r !== null);
}

export async function replayDirectory(opts: ReplayOptions): Promise<ReplayResult> {
  const log = opts.log ?? ((): void => undefined);
  const base = opts.base ?? DEFAULT_REPLAY_BASE;
  const httpsPort = opts.httpsPort ?? 18443;
  const dns = { ip: dnsAddress(base), port: opts.dnsPort ?? 15353 };
  const transcripts = await loadTranscripts(opts.dir);
  const spec = replayFleet(transcripts, { base, httpsPort });
  const work = await mkdtemp(join(tmpdir(), 'owa-audit-replay-'));
  const runDir = opts.outDir ?? join(work, 'run');
  let fleet: Fleet | null = null;
  try {
    fleet = await startFleet({
      hosts: spec.hosts,
      dns: { ...dns, records: spec.dnsRecords },
      lifetimeMs: (opts.timeoutMs ?? 120_000) + 30_000,
    });
    const hosts = spec.hosts.filter((h) => h.ip !== spec.sentinel);
    const scanPath = join(work, 'replay.yaml');
    await writeFile(
      scanPath,
      replayScanFile({
        scope: spec.scope,
        targets: hosts.map((h) => `${h.ip}:${httpsPort}`),
        httpsPort,
        dns,
        ...(opts.validUntil === undefined ? {} : { validUntil: opts.validUntil }),
      }),
    );
    log(`replaying ${transcripts.length} transcripts from ${opts.dir} on ${spec.scope}\n`);
    const cliExitCode = await runCli(
      ['scan', scanPath, '--out', runDir, '--no-history'],
      opts.timeoutMs ?? 120_000,
      log,
    );
    const records = await readRecords(join(runDir, 'results.jsonl'));
    const byIp = new Map(records.map((r) => [r.ip ?? '', r]));
    const rows = hosts.map((h, i): ReplayRow => {
      const transcript = transcripts[i] as Transcript;
      const record = byIp.get(h.ip) ?? null;
      return {
        transcript,
        ip: h.ip,
        record,
        problems: record === null ? ['no record'] : checkRecord(record, transcript.expect),
      };
    });
    const requestsByIp = new Map<string, number>();
    for (const e of fleet.requestLog.endpoints())
      requestsByIp.set(e.ip, (requestsByIp.get(e.ip) ?? 0) + e.requests);
    return {
      rows,
      requestsByIp,
      sentinelConnections: fleet.requestLog.connectionsTo(spec.sentinel),
      runDir,
      cliExitCode,
    };
  } finally {
    await fleet?.stop();
    if (opts.outDir === undefined) await rm(work, { recursive: true, force: true });
  }
}
