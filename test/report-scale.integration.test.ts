// A 10,000-endpoint run renders to HTML, CSV and PDF with bounded output: servers with findings
// are grouped by verdict, compact tables are capped, the counts still cover every record and every
// server (endpoints of one address counted once). Times and memory are printed for the record,
// never asserted.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchFirstBrowser, type PdfRenderer } from '../src/report/index.js';
import { writeReports, type ReportFiles } from '../src/outputs/write-reports.js';
import type { ResultRecord } from '../src/core/result-schema.js';
import { oneLine, parseCsv, pdfText } from './fixtures/report/helpers.js';
import { writeSyntheticRun } from './fixtures/report/synthetic-run.js';

const COUNT = 10_000;
let dir: string;
let renderer: PdfRenderer;
let files: ReportFiles;
const measured: Record<string, number> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'owa-audit-report-scale-'));
  await writeSyntheticRun(dir, COUNT);
  const launched = await launchFirstBrowser();
  if ('problem' in launched) throw new Error(`these tests need a browser: ${launched.problem}`);
  renderer = launched.renderer;
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  const t0 = performance.now();
  await writeReports(dir, {
    formats: ['html', 'csv'],
    perOwner: false,
    now: new Date('2026-11-27T09:00:00Z'),
  });
  measured.htmlCsvMs = Math.round(performance.now() - t0);
  const t1 = performance.now();
  files = await writeReports(dir, {
    formats: ['html', 'pdf', 'csv'],
    perOwner: false,
    browser: renderer,
    now: new Date('2026-11-27T09:00:00Z'),
  });
  measured.allFormatsMs = Math.round(performance.now() - t1);
  clearInterval(sampler);
  measured.nodePeakRssMb = Math.round(peak / 1e6);
}, 300_000);

afterAll(async () => {
  await renderer.close();
  rmSync(dir, { recursive: true, force: true });
});

it('renders 10,000 endpoints with every record counted and the output bounded', () => {
  const records = readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as ResultRecord);
  // Every host has a certificate of its own, so a server is one address (or an unresolved name).
  const serverOf = (r: ResultRecord): string => r.ip ?? r.host ?? r.target;
  const servers = (keep: (r: ResultRecord) => boolean) => new Set(records.filter(keep).map(serverOf)).size;
  const exchange = records.filter((r) => r.status === 'exchange').length;
  const exchangeServers = servers((r) => r.status === 'exchange');
  const vulnerableServers = servers((r) => r.exchange?.patchLevel === 'vulnerable');
  expect(exchangeServers).toBeLessThan(exchange); // the fixture has servers with two endpoints
  const n = (x: number) => x.toLocaleString('en-GB');

  expect(files.endpoints).toBe(COUNT);
  const [header = [], ...rows] = parseCsv(readFileSync(join(dir, 'results.csv'), 'utf8'));
  expect(rows).toHaveLength(COUNT);
  const server = header.indexOf('server');
  const ip = header.indexOf('ip');
  for (const row of rows) if (row[ip] !== '') expect(row[server]).toBe(row[ip]);
  expect(new Set(rows.map((row) => row[server])).size).toBe(servers(() => true));

  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  expect(html).toContain('servers with the same version and verdict are grouped');
  expect(html).toContain('more servers are listed in results.csv');
  expect(html).toContain('more endpoints are listed in results.csv');

  const text = pdfText(join(dir, 'report.pdf'));
  const t = oneLine(text);
  expect(t).toContain(
    `${n(exchangeServers)} Exchange servers (${n(exchange)} endpoints) found among 10,000 endpoints on ${n(servers(() => true))} servers. ${n(vulnerableServers)} miss fixes`,
  );
  const pages = (text.match(/Page \d+ of (\d+)/) ?? [])[1];
  expect(Number(pages)).toBeGreaterThan(10);
  expect(Number(pages)).toBeLessThan(400);

  measured.pdfPages = Number(pages);
  measured.htmlBytes = html.length;
  console.log(`report scale (${COUNT} endpoints): ${JSON.stringify(measured)}`);
});
