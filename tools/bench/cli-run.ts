// Runs `owa-audit` as a user does — `node bin/owa-audit.js …` in a fresh process — with the bench's
// preload (cli-hook.ts) reporting its CPU, memory over time and, when asked, its request writes.
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/util/version.js';
import type { HookReport } from './cli-hook.js';

export const CLI = join(PACKAGE_ROOT, 'bin', 'owa-audit.js');
const HOOK = new URL('./cli-hook.js', import.meta.url).href;

export interface CliRun {
  code: number | null;
  /** Epoch ms just before the spawn and when the process had exited. */
  spawnMs: number;
  exitMs: number;
  stdout: string;
  stderr: string;
  hook: HookReport;
}

const TAIL = 4_000;

/**
 * `OWA_BENCH_CPU_PROF=DIR` profiles every CLI process the bench starts (`node --cpu-prof`, one
 * `.cpuprofile` per process in DIR): where the time goes, from the bench's own runs.
 */
function profileArgs(): string[] {
  const dir = process.env['OWA_BENCH_CPU_PROF'];
  return dir === undefined || dir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

/**
 * `OWA_BENCH_NODE_FLAGS="--trace-opt --max-opt=1"`: more `node` flags, space-separated, for every CLI
 * process the bench starts — to try a V8 setting on the bench's own runs, or to trace one.
 */
function extraNodeFlags(): string[] {
  return (process.env['OWA_BENCH_NODE_FLAGS'] ?? '').split(' ').filter((f) => f !== '');
}

/**
 * `node --expose-gc --import cli-hook.js bin/owa-audit.js ...args`, killed after `timeoutMs`.
 * The hook's report goes to `hookFile`; a process that exits without one (killed) is an error.
 */
export async function runCli(
  args: string[],
  opts: { hookFile: string; timeoutMs: number; wire?: boolean; env?: Record<string, string> },
): Promise<CliRun> {
  await rm(opts.hookFile, { force: true });
  const spawnMs = performance.timeOrigin + performance.now();
  // Through sh so the open-file limit is the hard one (a scan of 10,000 hosts at once needs it).
  const child = spawn(
    '/bin/sh',
    [
      '-c',
      'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"',
      'sh',
      process.execPath,
      '--expose-gc',
      ...profileArgs(),
      ...extraNodeFlags(),
      '--import',
      HOOK,
      CLI,
      ...args,
    ],
    {
      cwd: PACKAGE_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...opts.env,
        OWA_BENCH_HOOK_OUT: opts.hookFile,
        OWA_BENCH_HOOK_WIRE: opts.wire === true ? '1' : '0',
      },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout = (stdout + b.toString()).slice(-TAIL)));
  child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-TAIL)));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
  const code = await new Promise<number | null>((resolve) => {
    child.once('close', (c) => resolve(c));
    child.once('error', () => resolve(null));
  });
  clearTimeout(timer);
  const exitMs = performance.timeOrigin + performance.now();
  let hook: HookReport;
  try {
    hook = JSON.parse(await readFile(opts.hookFile, 'utf8')) as HookReport;
  } catch {
    throw new Error(
      `owa-audit ${args.join(' ')}: exited (${String(code)}) without the bench hook's report; stderr: ${stderr.slice(-800)}`,
    );
  }
  return { code, spawnMs, exitMs, stdout, stderr, hook };
}

/**
 * The scanner alone, as a user starts it: `scan FILE --out DIR --shard 1/1 --no-history` — a shard
 * of one is the whole scope and writes no reports and no history. Throws unless it exits 0.
 */
export async function scanAlone(
  scanPath: string,
  outDir: string,
  opts: { hookFile: string; timeoutMs: number; wire?: boolean },
): Promise<CliRun> {
  const scan = await runCli(['scan', scanPath, '--out', outDir, '--shard', '1/1', '--no-history'], opts);
  if (scan.code !== 0) throw new Error(`scan exited ${String(scan.code)}: ${scan.stderr.slice(-800)}`);
  return scan;
}
