// `owa-audit report` in-process: formats, per-owner files, bad input (exit 2), and a machine
// without Chromium (HTML and CSV written, status 0, a warning that says how to get PDFs).
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dataAgeWarning } from '../src/classify/freshness.js';
import { main } from '../src/cli/main.js';
import { MIXED_RUN } from './fixtures/report/synthetic-run.js';

const base = mkdtempSync(join(tmpdir(), 'owa-audit-report-cli-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

let n = 0;
function freshRun(): string {
  const dir = join(base, `run-${++n}`);
  cpSync(MIXED_RUN, dir, { recursive: true });
  return dir;
}

async function run(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const status = await main(['node', 'owa-audit', 'report', ...args]);
    return { status, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('owa-audit report', () => {
  const saved = process.env.PUPPETEER_EXECUTABLE_PATH;
  beforeEach(() => {
    process.exitCode = undefined;
    // The data-age warning counts days from the fixture's data date (2026-08-20) to "today": the
    // command's "now" is pinned the way it is documented (src/cli/clock.ts), so the expected
    // "99 days old" holds whatever the wall clock says.
    vi.stubEnv('OWA_AUDIT_NOW', '2026-11-27T12:00:00Z');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    if (saved === undefined) delete process.env.PUPPETEER_EXECUTABLE_PATH;
    else process.env.PUPPETEER_EXECUTABLE_PATH = saved;
  });

  it('without Chromium still writes HTML and CSV, exits 0 and says how to install it', async () => {
    const dir = freshRun();
    process.env.PUPPETEER_EXECUTABLE_PATH = join(base, 'no-such-chromium');
    const r = await run(dir);
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
    expect(existsSync(join(dir, 'results.csv'))).toBe(true);
    expect(existsSync(join(dir, 'report.pdf'))).toBe(false);
    expect(r.stdout.trim().split('\n')).toEqual([join(dir, 'report.html'), join(dir, 'results.csv')]);
    expect(r.stderr).toContain('owa-audit: warning: PDF not written: no browser could print it.');
    expect(r.stderr).toContain(join(base, 'no-such-chromium'));
    expect(r.stderr).toContain('apt-get install chromium');
    expect(r.stderr).toContain('PUPPETEER_EXECUTABLE_PATH');
    expect(r.stderr.split('\n').filter((l) => l.includes('days old'))).toEqual([
      `owa-audit: warning: ${dataAgeWarning('2026-08-20', '2026-11-27') ?? ''}`,
    ]);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('writes only the formats asked for, and per-owner files under owners/', async () => {
    const dir = freshRun();
    const r = await run(dir, '--format', 'html', '--per-owner');
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
    expect(existsSync(join(dir, 'results.csv'))).toBe(false);
    expect(existsSync(join(dir, 'report.pdf'))).toBe(false);
    const owners = readdirSync(join(dir, 'owners')).sort();
    expect(owners).toHaveLength(4);
    for (const f of owners) expect(f).toMatch(/^[a-z0-9-]+-[0-9a-f]{8}\.html$/);
    expect(r.stdout.trim().split('\n')).toHaveLength(5);

    const csvOnly = freshRun();
    expect((await run(csvOnly, '--format', 'CSV')).status).toBe(0);
    expect(readdirSync(csvOnly).sort()).toEqual(['results.csv', 'results.jsonl', 'run.json']);
  });

  it('says so when --per-owner finds no owner, and reports a stopped run as partial', async () => {
    const dir = freshRun();
    const lines = readFileSync(join(dir, 'results.jsonl'), 'utf8').trim().split('\n');
    writeFileSync(
      join(dir, 'results.jsonl'),
      lines.map((l) => JSON.stringify({ ...(JSON.parse(l) as object), owner: null })).join('\n') + '\n',
    );
    const meta = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...meta, state: 'stopped', finishedAt: null }));
    const r = await run(dir, '--format', 'html', '--per-owner');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('--per-owner: no endpoint has an owner');
    expect(existsSync(join(dir, 'owners'))).toBe(false);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('The scan did not finish (state: stopped)');
    expect(html).toContain('26 endpoints matched no owner of the scan file and appear only in this report');
  });

  it('refuses an unknown format and a directory that is not a run, with exit status 2', async () => {
    const dir = freshRun();
    const bad = await run(dir, '--format', 'html,xml');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--format: unknown format "xml"');
    expect(existsSync(join(dir, 'report.html'))).toBe(false);

    const empty = join(base, 'not-a-run');
    const missing = await run(empty);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(join(empty, 'run.json'));
    expect(missing.stderr).toContain('not a run directory');
  });
});
