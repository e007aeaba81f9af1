// The README's first quick-start command: `owa-audit demo` starts the fleet, scans it, writes the
// reports in real Chromium, and prints where the report is — and says how old its data is once.
// 127.100.0.1 answers on 443 and 80, by address and by two names: six endpoints, one server — one
// value in results.csv, one finding in its owner's PDF and e-mail draft.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { dataAgeWarning } from '../src/classify/index.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import { runDemo } from '../src/demo/run-demo.js';
import type { ResultRecord } from '../src/core/result-schema.js';
import { ipPattern, parseCsv } from './fixtures/report/helpers.js';
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
  const exchange = records.filter((x) => x.status === 'exchange');
  const vulnerable = records.filter((x) => x.exchange?.patchLevel === 'vulnerable').length;
  expect(exchange.length).toBeGreaterThan(20);
  expect(vulnerable).toBeGreaterThan(5);
  // The fleet shares one certificate and reuses X-FEServer names across machines of other builds,
  // so no two of its addresses are proven one machine: a server is an address.
  const addresses = (list: ResultRecord[]) => new Set(list.map((x) => x.ip)).size;
  const one = records.filter((x) => x.ip === '127.100.0.1');
  expect(one.map((x) => `${x.scheme}:${x.host ?? '-'}`).sort()).toEqual([
    'http:-',
    'http:mail.fleet.test',
    'http:mixed.fleet.test',
    'https:-',
    'https:mail.fleet.test',
    'https:mixed.fleet.test',
  ]);

  expect(existsSync(join(out, 'report.pdf'))).toBe(true);
  const text = execFileSync('pdftotext', ['-layout', join(out, 'report.pdf'), '-'], { encoding: 'utf8' });
  const flat = text.replace(/\s+/g, ' ');
  expect(text).toContain('Exchange Server exposure report');
  expect(flat).toContain(
    `${addresses(exchange)} Exchange servers (${exchange.length} endpoints) found among ${records.length} endpoints on ${addresses(records)} servers.`,
  );
  expect(text).toContain('DEMO-1');

  const [header = [], ...rows] = parseCsv(await readFile(join(out, 'results.csv'), 'utf8'));
  expect(rows).toHaveLength(records.length);
  const col = (name: string) => header.indexOf(name);
  const servers = new Map<string, Set<string>>();
  for (const row of rows) {
    const ip = row[col('ip')] ?? '';
    servers.set(ip, (servers.get(ip) ?? new Set()).add(row[col('server')] ?? ''));
  }
  expect(servers.get('127.100.0.1')).toEqual(new Set(['127.100.0.1']));
  for (const [ip, keys] of servers) expect(keys, ip).toEqual(new Set([ip]));

  const owners = await readdir(join(out, 'owners'));
  expect(owners.filter((f) => f.endsWith('.pdf')).length).toBe(3);
  const northwind = (ext: string) =>
    join(out, 'owners', owners.find((f) => f.startsWith('northwind') && f.endsWith(ext)) ?? '');
  // The owner's PDF: one line in the action list and one section for the machine, none per endpoint.
  const ownerPdf = execFileSync('pdftotext', ['-raw', northwind('.pdf'), '-'], { encoding: 'utf8' }).replace(
    /\s+/g,
    ' ',
  );
  expect(ownerPdf.split('server 127.100.0.1 · 6 endpoints')).toHaveLength(2);
  expect(
    ownerPdf.split('Server 127.100.0.1 · 6 endpoints · names mail.fleet.test, mixed.fleet.test'),
  ).toHaveLength(2);
  expect(ownerPdf).not.toMatch(/127\.100\.0\.1:(443|80) · owner/);
  // The e-mail draft: one finding block names the machine, with its six endpoints.
  const mail = await simpleParser(await readFile(northwind('.eml')));
  const blocks = (mail.text ?? '').split(/\n(?=\d+\. )/).filter((b) => /^\d+\. /.test(b));
  const mentioning = blocks.filter((b) => ipPattern('127.100.0.1').test(b));
  expect(mentioning).toHaveLength(1);
  expect(mentioning[0]).toMatch(/^\d+\. mail\.fleet\.test {2}\(server 127\.100\.0\.1, 6 endpoints\)/);

  // The knowledge of issue 14 end to end: the Exchange 2010 SP3 RU30 host lacks RU31's and RU32's
  // fixes (CVE-2020-17144, CVE-2021-26857, both known-exploited), shown with Microsoft's score in
  // the record, the PDF, the CSV and the IntelMQ event.
  const ru30 = records.find((x) => x.exchange?.build === '14.3.496.0');
  expect(ru30?.exchange?.cves.slice(0, 2)).toEqual([
    expect.objectContaining({ id: 'CVE-2020-17144', kev: true, score: 8.4, severity: 'high' }),
    expect.objectContaining({ id: 'CVE-2021-26857', kev: true, score: 7.8, severity: 'high' }),
  ]);
  expect(text).toMatch(/CVE-2020-17144\s+Remote code execution\s+8\.4 high/);
  const ru30Row = rows.find((row) => row[col('build')] === '14.3.496.0');
  expect([col('max_score'), col('max_severity'), col('cve_scores')].map((i) => ru30Row?.[i])).toEqual([
    '8.4',
    'high',
    'CVE-2020-17144:8.4;CVE-2021-26857:7.8',
  ]);
  const events = (await readFile(join(out, 'intelmq.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  // One machine's events carry its server key, as results.csv does.
  const oneServer = events.filter((e) => e['source.ip'] === '127.100.0.1');
  expect(oneServer.length).toBeGreaterThan(1);
  expect(new Set(oneServer.map((e) => e['extra.server']))).toEqual(new Set(['127.100.0.1']));
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
