// Resume after a real kill (127.7.x.x). A child process scans 60 endpoints through the built
// engine (dist/: `npm test` builds first) and is killed with SIGKILL, or stopped with SIGINT,
// mid-run; a second child resumes. Judged by results.jsonl and the servers' request logs:
// every endpoint exactly once, no finished endpoint probed again, no torn or duplicate lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointKey, type ResultRecord } from '../src/core/result-schema.js';
import { closeAll, httpServer, type TestServer } from './helpers/engine-servers.js';

const PORT = 18080;
const CHILD = fileURLToPath(new URL('./helpers/engine-resume-child.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../dist/run-store/open-run.js', import.meta.url));
const IPS = ['127.7.0.1', '127.7.0.2', '127.7.0.3', '127.7.0.4'];
const ENDPOINTS = IPS.flatMap((ip) =>
  Array.from({ length: 15 }, (_, i) => ({
    ip,
    port: PORT,
    host: `h${i}.${ip.replace(/\./g, '-')}.resume.test`,
  })),
);
const KEYS = new Set(
  ENDPOINTS.map((e) => endpointKey({ scheme: 'http', ip: e.ip, port: e.port, host: e.host })),
);

let root: string;
let servers: TestServer[] = [];

beforeAll(async () => {
  if (!existsSync(BUILT))
    throw new Error('dist/ is missing: run `npm run build` (npm test does) before this test');
  root = await mkdtemp(join(tmpdir(), 'owa-engine-resume-'));
  servers = await Promise.all(IPS.map((ip) => httpServer(ip, PORT, (_req, res) => res.end('ok'))));
});

afterAll(async () => {
  await closeAll(servers);
  await rm(root, { recursive: true, force: true });
});

interface Child {
  proc: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startChild(runDir: string, mode: 'fresh' | 'resume'): Child {
  const cfg = { runDir, mode, endpoints: ENDPOINTS, rate: 40, concurrency: 4 };
  const proc = spawn(process.execPath, [CHILD, JSON.stringify(cfg)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // Bounded: a child that hangs is killed, and the test then fails on its output.
  const guard = setTimeout(() => proc.kill('SIGKILL'), 20_000);
  guard.unref();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => {
      proc.on('exit', (code, signal) => {
        clearTimeout(guard);
        resolve({ code, signal, stderr });
      });
    },
  );
  return { proc, exit };
}

async function lines(runDir: string): Promise<string[]> {
  const text = await readFile(join(runDir, 'results.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l !== '');
}

/** Wait (bounded) until results.jsonl holds at least `n` lines. */
async function untilLines(runDir: string, n: number): Promise<void> {
  const deadline = performance.now() + 15_000;
  while ((await lines(runDir)).length < n) {
    if (performance.now() > deadline) throw new Error(`results.jsonl never reached ${n} lines`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Host headers the servers saw from index `from` of each log on. */
function hostsSince(marks: number[]): string[] {
  return servers.flatMap((s, i) => s.hits.slice(marks[i]).map((h) => (h.host ?? '').replace(/:\d+$/, '')));
}

function keyOf(line: string): string {
  return endpointKey(JSON.parse(line) as ResultRecord);
}

async function expectCompleteRun(runDir: string): Promise<void> {
  const text = await readFile(join(runDir, 'results.jsonl'), 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  const all = text.trimEnd().split('\n');
  const keys = all.map(keyOf); // throws on a torn or garbled line
  expect(keys).toHaveLength(KEYS.size);
  expect(new Set(keys)).toEqual(KEYS);
  const run = JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8')) as {
    state: string;
    counts: Record<string, number>;
    finishedAt: string | null;
  };
  expect(run.state).toBe('finished');
  expect(run.finishedAt).not.toBeNull();
  expect(run.counts['not-exchange']).toBe(KEYS.size);
}

describe('resume after a real stop', () => {
  it('after SIGKILL: finishes every endpoint exactly once without probing finished ones again', async () => {
    const runDir = join(root, 'killed');
    const first = startChild(runDir, 'fresh');
    await untilLines(runDir, 10);
    first.proc.kill('SIGKILL');
    const firstExit = await first.exit;
    expect(firstExit.signal).toBe('SIGKILL');

    const before = await lines(runDir);
    expect(before.length).toBeGreaterThanOrEqual(10);
    expect(before.length).toBeLessThan(KEYS.size);
    // SIGKILL between two write() calls leaves whole lines; a kill inside one can tear the last.
    // Make the torn case happen every time rather than by luck.
    await appendFile(join(runDir, 'results.jsonl'), before[0]?.slice(0, 57) ?? '{"sch');
    const done = new Set(before.map(keyOf));
    const doneHosts = new Set([...done].map((k) => k.split('#')[1]));

    const marks = servers.map((s) => s.hits.length);
    const second = startChild(runDir, 'resume');
    const secondExit = await second.exit;
    expect(secondExit.code, secondExit.stderr).toBe(0);
    expect(secondExit.stderr).toContain(`${done.size} skipped`);

    await expectCompleteRun(runDir);
    const resumedHosts = hostsSince(marks);
    expect(resumedHosts.filter((h) => doneHosts.has(h))).toEqual([]);
    // Everything not finished before the kill was probed in the resume (2 GETs each).
    expect(new Set(resumedHosts).size).toBe(KEYS.size - done.size);
  });

  it('after SIGINT: stops cleanly (no partial line, run marked stopped, says how to resume), then resumes', async () => {
    const runDir = join(root, 'interrupted');
    const first = startChild(runDir, 'fresh');
    await untilLines(runDir, 8);
    first.proc.kill('SIGINT');
    const firstExit = await first.exit;
    expect(firstExit.code).toBe(130);
    expect(firstExit.stderr).toContain(`resume with: owa-audit scan --resume ${runDir}`);

    const text = await readFile(join(runDir, 'results.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const before = text.trimEnd().split('\n');
    const done = new Set(before.map(keyOf));
    expect(done.size).toBe(before.length);
    expect(done.size).toBeLessThan(KEYS.size);
    const stopped = JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8')) as {
      state: string;
      finishedAt: string | null;
    };
    expect(stopped).toMatchObject({ state: 'stopped', finishedAt: null });
    expect(existsSync(join(runDir, 'run.lock'))).toBe(false);

    const doneHosts = new Set([...done].map((k) => k.split('#')[1]));
    const marks = servers.map((s) => s.hits.length);
    const second = startChild(runDir, 'resume');
    const secondExit = await second.exit;
    expect(secondExit.code, secondExit.stderr).toBe(0);
    await expectCompleteRun(runDir);
    expect(hostsSince(marks).filter((h) => doneHosts.has(h))).toEqual([]);
  });
});
