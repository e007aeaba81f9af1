// A run directory that cannot be written — under a regular file, under /proc, read-only, or on a
// full disk — stops `owa-audit scan` with exit status 1 and one clear message naming the path,
// before a single connection is made (a listener on the only target counts them).
//
// The read-only and full-disk cases are real: a tmpfs mounted read-only, and a tiny tmpfs filled
// to the last byte, each in a private mount namespace (`unshare`) that vanishes with the command.
// Where no such namespace can be made they are skipped, and the cases under a regular file and
// under /proc still cover a run directory whose creation fails.
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchScanFile } from '../tools/bench/scan-file.js';
import { BIN, ROOT, runCli, type CliResult } from './helpers/cli.js';
import { privateMountPrefix } from './helpers/fault-proc.js';

const TARGET = { ip: '127.42.0.1', port: 18443 };
const isRoot = process.getuid?.() === 0;
let dir: string;
let scanFile: string;
let listener: Server;
let connections = 0;
let mountPrefix: string[] | null = null;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'owa-fault-rundir-'));
  scanFile = join(dir, 'scan.yaml');
  await writeFile(
    scanFile,
    benchScanFile({
      name: 'fault-rundir',
      include: ['127.42.0.0/24'],
      targets: [TARGET.ip],
      ports: [TARGET.port],
      rate: 10,
      concurrency: 1,
      hostGapMs: 100,
      timeoutMs: 2_000,
      // The CLI's day is pinned (OWA_AUDIT_NOW, vitest.config.ts): so is the authorisation's last day.
      validUntil: '2026-12-31',
    }),
  );
  listener = createServer((s) => {
    connections += 1;
    s.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(TARGET.port, TARGET.ip, resolve));
  const probe = join(dir, 'probe-mount');
  await mkdir(probe);
  mountPrefix = privateMountPrefix(probe);
});

afterAll(async () => {
  await new Promise((resolve) => listener.close(resolve));
  await chmod(join(dir, 'read-only'), 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

/** Exit 1, one message naming `path` (no stack trace), no connection to the target. */
function expectRefusedBeforeScanning(r: CliResult, path: string, reason: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toBe('');
  const message = r.stderr.split('\n').find((l) => l.startsWith('owa-audit: ')) ?? '';
  expect(message, r.stderr).toContain(path);
  expect(message, r.stderr).toMatch(reason);
  expect(r.stderr, 'a stack trace instead of a message').not.toMatch(/^\s+at /m);
  expect(connections).toBe(0);
}

/** The CLI inside a private mount namespace, after `setup` (shell) prepared the mount at $1. */
function runInMountNamespace(mountAt: string, setup: string, out: string): Promise<CliResult> {
  const prefix = mountPrefix ?? [];
  const script = `${setup}\nexec "$0" "$2" scan "$3" --out "$4" --no-history`;
  return new Promise((resolve) => {
    const child = spawn(
      prefix[0] ?? 'unshare',
      [...prefix.slice(1), 'sh', '-c', script, process.execPath, mountAt, BIN, scanFile, out],
      {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: '1', PUPPETEER_EXECUTABLE_PATH: '/nonexistent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('an unwritable run directory stops the scan before anything is sent', () => {
  it('a path under a regular file (ENOTDIR)', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a directory\n');
    const out = join(file, 'run');
    expectRefusedBeforeScanning(
      await runCli(['scan', scanFile, '--out', out, '--no-history'], { timeoutMs: 20_000 }),
      out,
      /ENOTDIR|not a directory/,
    );
  });

  it('a path under /proc, where nothing can be created', async () => {
    const out = '/proc/owa-audit-fault-test/run';
    expectRefusedBeforeScanning(
      await runCli(['scan', scanFile, '--out', out, '--no-history'], { timeoutMs: 15_000 }),
      out,
      /ENOENT|EACCES|EPERM|cannot/,
    );
  });

  it.skipIf(isRoot)(
    'a read-only directory (chmod 555; skipped as root, where chmod does not stop writes)',
    async () => {
      const ro = join(dir, 'read-only');
      await mkdir(ro);
      await chmod(ro, 0o555);
      const out = join(ro, 'run');
      expectRefusedBeforeScanning(
        await runCli(['scan', scanFile, '--out', out, '--no-history'], { timeoutMs: 20_000 }),
        out,
        /EACCES|permission denied/,
      );
    },
  );

  it('a read-only filesystem (tmpfs mounted ro in a private mount namespace; skipped where none can be made)', async (ctx) => {
    if (mountPrefix === null) ctx.skip();
    const mnt = join(dir, 'ro-mount');
    await mkdir(mnt);
    const out = join(mnt, 'run');
    const r = await runInMountNamespace(mnt, 'mount -t tmpfs -o ro,size=64k tmpfs "$1" || exit 97', out);
    expect(r.code, `mount failed: ${r.stderr}`).not.toBe(97);
    expectRefusedBeforeScanning(r, out, /EROFS|read-only/);
  });

  it('a full disk (a 64 KiB tmpfs filled to the last byte, in a private mount namespace; skipped where none can be made)', async (ctx) => {
    if (mountPrefix === null) ctx.skip();
    const mnt = join(dir, 'full-mount');
    await mkdir(mnt);
    const out = join(mnt, 'run');
    // head stops with ENOSPC once the filesystem is full; the test checks that it is.
    const setup =
      'mount -t tmpfs -o size=64k tmpfs "$1" || exit 97\nhead -c 1048576 /dev/zero > "$1/filler" 2>/dev/null\n[ "$(df -k "$1" | awk \'NR==2 {print $4}\')" = 0 ] || exit 98';
    const r = await runInMountNamespace(mnt, setup, out);
    expect(r.code, `mount failed: ${r.stderr}`).not.toBe(97);
    expect(r.code, 'the tmpfs was not full').not.toBe(98);
    expectRefusedBeforeScanning(r, out, /ENOSPC|no space/i);
  });
});
