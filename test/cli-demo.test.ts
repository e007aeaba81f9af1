// The README's first quick-start command: `owa-audit demo` starts the fleet, scans it, writes the
// reports in real Chromium, and prints where the report is. 127.100.0.1 answers on 443 and 80, by
// address and by two names: six endpoints, one server — one value in results.csv, one finding in
// its owner's PDF and e-mail draft.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import type { ResultRecord } from '../src/results/schema.js';
import { ipPattern, parseCsv } from './fixtures/report/helpers.js';
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
}, 150_000);
