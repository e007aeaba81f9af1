// The browser of a scan's PDF starts while the scan's last endpoints are in flight (once its targets
// are exhausted: earlier, its launch took the CPU the probes needed; how much of it stays off the
// critical path is measured by `npm run bench`, not timed here) and is closed on every way out: reports written, no Exchange found, an error, a stop, Ctrl-C
// of the CLI. A browser that cannot start ends in the one message, with HTML and CSV written.
// Every scan here targets 127.37.0.x where nothing listens (each connection refused at once).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, expect, it, vi } from 'vitest';
import { defaultCandidates, type BrowserCandidate } from '../src/report/index.js';
import { explicitCandidate } from '../src/report/chromium.js';
import { runScan, type RunScanOptions } from '../src/scan/run-scan.js';
import { startCli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp-dirs.js';

const TARGETS = 12;
const temp = tempDirs('owa-scan-browser-');
const quiet = { write: () => true };
let located: BrowserCandidate[];

function scanFile(rate: number, concurrency = 2): string {
  return [
    'name: scan-browser',
    'authorisation: {by: test, reference: T-37, contact: test@example.org, valid_until: 2099-12-31}',
    'scope: {include: [127.37.0.0/24]}',
    `targets: [${Array.from({ length: TARGETS }, (_, i) => `"127.37.0.${i + 1}"`).join(', ')}]`,
    'ports: [18443]',
    `probe: {rate: ${rate}, concurrency: ${concurrency}, host_gap_ms: 0, timeout_ms: 2000}`,
  ].join('\n');
}

/** Processes of a browser whose profile is under `dir` (puppeteer's user data dir is in TMPDIR). */
function browsersUnder(dir: string): number[] {
  const pids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(`--user-data-dir=${dir}`)) pids.push(Number(d));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

async function expectNoBrowserUnder(dir: string): Promise<void> {
  // Closing waits for the browser process; its helpers may take a moment longer to be reaped.
  for (let i = 0; i < 50 && browsersUnder(dir).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
  expect(browsersUnder(dir)).toEqual([]);
  expect(readdirSync(dir).filter((f) => f.startsWith('owa-audit-chromium-'))).toEqual([]);
}

/** A scan in a private TMPDIR (where the browser's profile goes), with the machine's browsers. */
async function scan(
  name: string,
  rate: number,
  extra: Partial<RunScanOptions> = {},
): Promise<{ tmp: string; out: string; run: Promise<Awaited<ReturnType<typeof runScan>>> }> {
  const dir = temp.fresh(name);
  const tmp = join(dir, 'tmp');
  await mkdir(tmp);
  vi.stubEnv('TMPDIR', tmp);
  const file = join(dir, 'scan.yaml');
  await writeFile(file, scanFile(rate));
  const out = join(dir, 'run');
  const run = runScan({
    scanPath: file,
    outDir: out,
    reports: { formats: ['html', 'pdf', 'csv'], perOwner: false },
    stderr: quiet,
    browsers: located,
    now: new Date('2026-11-27T09:00:00Z'),
    ...extra,
  });
  return { tmp, out, run };
}

beforeAll(() => {
  located = defaultCandidates();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

it('launches the browser once the targets are exhausted, prints the PDF of a scan that found no Exchange, then closes it', async () => {
  let recordsAtLaunch: number | null = null;
  let records = 0;
  const watched = located.map((c) => ({
    ...c,
    locate: () => {
      recordsAtLaunch ??= records;
      return c.locate();
    },
  }));
  // 6 connection attempts a second: the scan takes about two seconds.
  const { tmp, out, run } = await scan('found-none', 6, {
    browsers: watched,
    json: true,
    stdout: { write: () => (records += 1) },
  });
  const result = await run;
  expect(result.summary.aborted).toBe(false);
  expect(records).toBe(TARGETS);
  // Not before the last targets were taken (concurrency 2), and not after the scan.
  expect(recordsAtLaunch).not.toBeNull();
  expect(recordsAtLaunch).toBeGreaterThanOrEqual(TARGETS - 3);
  expect(recordsAtLaunch).toBeLessThanOrEqual(TARGETS);
  expect(result.reports?.pdf).toBe(join(out, 'report.pdf'));
  expect(readFileSync(join(out, 'report.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  expect(result.reports?.pdfBrowser).toMatch(/Chrom/);
  await expectNoBrowserUnder(tmp);
}, 60_000);

it('closes the browser when the scan is stopped', async () => {
  const controller = new AbortController();
  let records = 0;
  const { tmp, run } = await scan('stopped', 4, {
    signal: controller.signal,
    json: true,
    stdout: {
      write: () => {
        // The browser is being launched by now (the targets are exhausted); it must be closed.
        if (++records === TARGETS - 1) controller.abort(new Error('stopped by the test'));
      },
    },
  });
  const result = await run;
  expect(result.summary.aborted).toBe(true);
  expect(result.reports).toBeNull();
  await expectNoBrowserUnder(tmp);
}, 60_000);

it('closes the browser when the scan fails', async () => {
  let records = 0;
  const { tmp, run } = await scan('failed', 50, {
    json: true,
    stdout: {
      write: () => {
        if (++records === TARGETS - 1) throw new Error('stdout is gone');
        return true;
      },
    },
  });
  await expect(run).rejects.toThrow(/stdout is gone/);
  await expectNoBrowserUnder(tmp);
}, 60_000);

it('without a browser that starts: the one message, and HTML and CSV written', async () => {
  const said: string[] = [];
  const { out, run } = await scan('no-browser', 50, {
    browsers: [explicitCandidate('/nonexistent/chrome')],
    stderr: { write: (s: string) => said.push(s) },
  });
  const result = await run;
  expect(result.reports?.pdf).toBeNull();
  expect(existsSync(join(out, 'report.html'))).toBe(true);
  expect(existsSync(join(out, 'results.csv'))).toBe(true);
  expect(existsSync(join(out, 'report.pdf'))).toBe(false);
  const messages = said.join('').match(/PDF not written: no browser could print it/g) ?? [];
  expect(messages).toHaveLength(1);
  expect(said.join('')).toContain('/nonexistent/chrome');
}, 60_000);

it('Ctrl-C of the CLI stops the scan cleanly and leaves no browser behind', async () => {
  const dir = temp.fresh('cli');
  const tmp = join(dir, 'tmp');
  await mkdir(tmp);
  const file = join(dir, 'scan.yaml');
  // Six seconds of scanning; the targets are exhausted after ~2.5 s, with 7 endpoints (~3.5 s) left.
  await writeFile(file, scanFile(2, 8));
  const out = join(dir, 'run');
  const cli = startCli(['scan', file, '--out', out, '--no-history'], { env: { TMPDIR: tmp } });
  await cli.waitForStderr(/run directory/);
  // Until the browser has started: its own Ctrl-C handler (puppeteer's default) would quit at once.
  for (let i = 0; i < 120 && browsersUnder(tmp).length === 0; i++)
    await new Promise((r) => setTimeout(r, 50));
  expect(browsersUnder(tmp).length).toBeGreaterThan(0);
  cli.child.kill('SIGINT');
  const done = await cli.done;
  expect(done.code).toBe(130);
  expect(done.stderr).toContain(`owa-audit scan --resume ${out}`);
  const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { state: string };
  expect(run.state).toBe('stopped');
  await expectNoBrowserUnder(tmp);
}, 60_000);
