// The README's first quick-start command: `owa-audit demo` starts the fleet, scans it, writes the
// reports in real Chromium, and prints where the report is.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { ResultRecord } from '../src/results/schema.js';
import { runCli } from './helpers/cli.js';

let dir: string | null = null;
afterAll(async () => {
  if (dir !== null) await rm(dir, { recursive: true, force: true });
});

it('scans the simulated fleet and writes HTML, PDF, CSV and per-owner reports', async () => {
  dir = await mkdtemp(join(tmpdir(), 'owa-demo-'));
  const out = join(dir, 'run');
  const r = await runCli(['demo', '--out', out], { timeoutMs: 120_000 });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout.trim()).toBe(join(out, 'report.html'));
  expect(r.stderr).toMatch(/at most [1-5] per endpoint, 0 connections to the out-of-scope sentinel/);

  const records = (await readFile(join(out, 'results.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ResultRecord);
  const exchange = records.filter((x) => x.status === 'exchange').length;
  const vulnerable = records.filter((x) => x.exchange?.patchLevel === 'vulnerable').length;
  expect(exchange).toBeGreaterThan(20);
  expect(vulnerable).toBeGreaterThan(5);

  expect(existsSync(join(out, 'report.pdf'))).toBe(true);
  const text = execFileSync('pdftotext', ['-layout', join(out, 'report.pdf'), '-'], { encoding: 'utf8' });
  expect(text).toContain('Exchange Server exposure report');
  expect(text).toMatch(new RegExp(`${exchange}\\s+Exchange servers found among ${records.length} endpoints`));
  expect(text).toContain('DEMO-1');
  const csv = (await readFile(join(out, 'results.csv'), 'utf8')).trim().split('\n');
  expect(csv).toHaveLength(records.length + 1);
  const owners = await readdir(join(out, 'owners'));
  expect(owners.filter((f) => f.endsWith('.pdf')).length).toBe(3);
}, 150_000);
