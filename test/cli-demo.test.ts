// The README's first quick-start command: `owa-audit demo` starts the fleet, scans it, writes the
// reports in real Chromium, and prints where the report is — and says how old its data is once.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { dataAgeWarning, loadKnowledgeBase } from '../src/classify/index.js';
import { runDemo } from '../src/demo/run-demo.js';
import type { ResultRecord } from '../src/results/schema.js';
import { runCli } from './helpers/cli.js';

const dataAgeLines = (stderr: string): string[] => stderr.split('\n').filter((l) => /\bdays old\b/.test(l));

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
  expect(r.stderr).toMatch(/^PDFs printed by \S+\/\d+/m);
  expect(dataAgeLines(r.stderr).length).toBeLessThanOrEqual(1); // 0 while the data is fresh

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

  // The knowledge of issue 14 end to end: the Exchange 2010 SP3 RU30 host lacks RU31's and RU32's
  // fixes (CVE-2020-17144, CVE-2021-26857, both known-exploited), shown with Microsoft's score in
  // the record, the PDF, the CSV and the IntelMQ event.
  const ru30 = records.find((x) => x.exchange?.build === '14.3.496.0');
  expect(ru30?.exchange?.cves.slice(0, 2)).toEqual([
    expect.objectContaining({ id: 'CVE-2020-17144', kev: true, score: 8.4, severity: 'high' }),
    expect.objectContaining({ id: 'CVE-2021-26857', kev: true, score: 7.8, severity: 'high' }),
  ]);
  expect(text).toMatch(/CVE-2020-17144\s+Remote code execution\s+8\.4 high/);
  const header = csv[0]?.trim().split(',') ?? [];
  expect(header.slice(-3)).toEqual(['max_score', 'max_severity', 'cve_scores']);
  expect(csv.find((l) => l.includes('14.3.496.0'))).toMatch(
    /,8\.4,high,CVE-2020-17144:8\.4;CVE-2021-26857:7\.8\r?$/,
  );
  const events = (await readFile(join(out, 'intelmq.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(events.find((e) => e['extra.build'] === '14.3.496.0')?.['extra.kev_cves']).toEqual(
    expect.arrayContaining(['CVE-2020-17144', 'CVE-2021-26857']),
  );
}, 150_000);

it('says once how old its data is, though the scan and the reports both judge it stale', async () => {
  dir ??= await mkdtemp(join(tmpdir(), 'owa-demo-'));
  const saved = process.env.OWA_AUDIT_DATA_DIR;
  process.env.OWA_AUDIT_DATA_DIR = join(dir, 'no-user-data'); // the shipped data alone
  try {
    const { asOf } = loadKnowledgeBase();
    const today = new Date(Date.parse(`${asOf}T00:00:00Z`) + 200 * 86_400_000).toISOString().slice(0, 10);
    let stderr = '';
    const result = await runDemo({
      outDir: join(dir, 'stale'),
      stderr: { write: (t: string) => (stderr += t) },
      today,
      now: new Date(`${today}T12:00:00Z`),
    });
    const warning = dataAgeWarning(asOf, today);
    expect(warning).toContain('200 days old');
    expect(dataAgeLines(stderr)).toEqual([`warning: ${warning ?? ''}`]);
    expect(result.scan.reports?.dataAge).toBe(warning);
    const html = await readFile(join(dir, 'stale', 'report.html'), 'utf8');
    expect(html).toContain('200 days old');
  } finally {
    if (saved === undefined) delete process.env.OWA_AUDIT_DATA_DIR;
    else process.env.OWA_AUDIT_DATA_DIR = saved;
  }
}, 150_000);
