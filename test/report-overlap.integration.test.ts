// writeReports prints the PDFs while it writes results.csv and intelmq.jsonl (issue 17). These
// tests hold it to the promises of the sequential version: when one output fails, the others are
// complete or absent (never half-written, no temporary file left), the failure is what the command
// reports with the same exit status, and a failure of the line files is named before one of the
// PDFs. Real Chromium, one browser for the file; the `report` command launches its own.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFirstBrowser, type PdfRenderer } from '../src/report/index.js';
import { writeReports } from '../src/outputs/write-reports.js';
import { startPdfs } from '../src/report/pdf-jobs.js';
import { runningText } from '../src/report/running-text.js';
import { runCli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp-dirs.js';
import { pdfText } from './fixtures/report/helpers.js';
import { MIXED_RUN, mixedRecords } from './fixtures/report/synthetic-run.js';

const NOW = new Date('2026-11-27T09:00:00Z');
const temp = tempDirs('owa-audit-report-overlap-');
const ENDPOINTS = mixedRecords().length;
let renderer: PdfRenderer;

beforeAll(async () => {
  const launched = await launchFirstBrowser();
  if ('problem' in launched) throw new Error(`these tests need a browser: ${launched.problem}`);
  renderer = launched.renderer;
}, 120_000);

afterAll(async () => {
  await renderer.close();
});

function runCopy(name: string): string {
  const dir = temp.fresh(name);
  cpSync(MIXED_RUN, dir, { recursive: true });
  return dir;
}

/** Leftovers of an interrupted replace: `.report.pdf.tmp-…`, `.results.csv.tmp-…`. */
function tempFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.includes('.tmp-'));
}

function expectCompleteLineFiles(dir: string): void {
  const csv = readFileSync(join(dir, 'results.csv'), 'utf8');
  expect(csv.endsWith('\n')).toBe(true);
  expect(csv.trimEnd().split('\n')).toHaveLength(ENDPOINTS + 1); // header + one row per endpoint
  const events = readFileSync(join(dir, 'intelmq.jsonl'), 'utf8').trimEnd().split('\n');
  expect(events.length).toBeGreaterThan(0);
  for (const line of events) expect(() => JSON.parse(line) as unknown).not.toThrow();
}

function expectCompletePdf(dir: string): void {
  const text = pdfText(join(dir, 'report.pdf'));
  expect(text).toContain('Exchange Server exposure report');
  expect(text).toContain('203.0.113.66'); // the hostile record's host, near the end of the document
}

const ALL = ['html', 'pdf', 'csv', 'intelmq'] as const;

describe('a failure in one output while the PDF prints', () => {
  it('results.csv cannot be put in place: the error is thrown, the PDF and HTML are complete, nothing half-written', async () => {
    const dir = runCopy('csv-fails');
    mkdirSync(join(dir, 'results.csv')); // rename(temp, results.csv) fails: a directory is in the way
    await expect(
      writeReports(dir, { formats: ALL, perOwner: false, browser: renderer, now: NOW }),
    ).rejects.toThrow(/EISDIR|directory/i);
    expectCompletePdf(dir);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('</html>');
    expect(readdirSync(join(dir, 'results.csv'))).toEqual([]);
    expect(tempFiles(dir)).toEqual([]);
  }, 120_000);

  it('report.pdf cannot be put in place: the error is thrown, results.csv and intelmq.jsonl are complete', async () => {
    const dir = runCopy('pdf-fails');
    mkdirSync(join(dir, 'report.pdf'));
    await expect(
      writeReports(dir, { formats: ALL, perOwner: false, browser: renderer, now: NOW }),
    ).rejects.toThrow(/EISDIR|directory/i);
    expectCompleteLineFiles(dir);
    expect(tempFiles(dir)).toEqual([]);
  }, 120_000);

  it('both fail: the line file is named (it came first before printing overlapped), and the browser is still usable', async () => {
    const dir = runCopy('both-fail');
    mkdirSync(join(dir, 'report.pdf'));
    mkdirSync(join(dir, 'intelmq.jsonl'));
    await expect(
      writeReports(dir, { formats: ALL, perOwner: false, browser: renderer, now: NOW }),
    ).rejects.toThrow(/intelmq\.jsonl/);
    expect(tempFiles(dir)).toEqual([]);
    // The caller's browser was not closed by the failure: the next report prints with it.
    const again = runCopy('after-failure');
    const files = await writeReports(again, { formats: ALL, perOwner: true, browser: renderer, now: NOW });
    expect(files.pdf).toBe(join(again, 'report.pdf'));
    expectCompletePdf(again);
    expectCompleteLineFiles(again);
    expect(files.owners.length).toBeGreaterThan(1);
    for (const o of files.owners) {
      expect(o.pdf).not.toBeNull();
      expect(o.eml).not.toBeNull();
      expect(pdfText(o.pdf ?? '')).toContain('Security notification');
    }
  }, 180_000);

  it('the report command exits 1 with the failing file named, the other files complete', async () => {
    const dir = runCopy('cli');
    mkdirSync(join(dir, 'results.csv'));
    const r = await runCli(['report', dir, '--format', 'html,pdf,csv,intelmq', '--no-history'], {
      timeoutMs: 120_000,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/results\.csv/);
    expectCompletePdf(dir);
    // intelmq.jsonl is written in the same pass as results.csv and is put in place after it: absent.
    expect(readdirSync(dir)).not.toContain('intelmq.jsonl');
    expect(tempFiles(dir)).toEqual([]);
  }, 150_000);
});

describe('work overlapped with the print (whilePrinting)', () => {
  it('starts once Chromium has the main document, before its PDF is in place, and ends before writeReports returns', async () => {
    const dir = runCopy('while-printing');
    const seen: string[] = [];
    const files = await writeReports(dir, {
      formats: ALL,
      perOwner: false,
      browser: renderer,
      now: NOW,
      whilePrinting: async () => {
        seen.push(`html ${String(readdirSync(dir).includes('report.html'))}`);
        seen.push(`pdf ${String(readdirSync(dir).includes('report.pdf'))}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        seen.push('done');
      },
    });
    expect(seen).toEqual(['html true', 'pdf false', 'done']);
    expect(files.pdf).toBe(join(dir, 'report.pdf'));
    expectCompletePdf(dir);
    expectCompleteLineFiles(dir);
  }, 120_000);
});

describe('the print queue', () => {
  it('prints documents added after the first has started, and each exactly once', async () => {
    const dir = runCopy('queue');
    // The HTML of the main report and of one owner, written by an HTML-only pass.
    const files = await writeReports(dir, { formats: ['html'], perOwner: true, now: NOW });
    const owner = files.owners[0];
    if (files.html === null || owner?.html == null) throw new Error('no HTML written');
    const done: string[] = [];
    const warnings: string[] = [];
    const queue = startPdfs(renderer, warnings);
    const out = join(dir, 'printed');
    mkdirSync(out);
    const first = new Promise<void>((resolve) =>
      queue.add({
        html: files.html ?? '',
        pdf: join(out, 'main.pdf'),
        opts: runningText(false),
        done: (p) => {
          done.push(p);
          resolve();
        },
        // Once the page is loaded and printing: before the PDF is there.
        handedOver: () => done.push('main handed over'),
      }),
    );
    await first; // the queue is idle now, not ended: a later document still prints
    queue.add({
      html: owner.html,
      pdf: join(out, 'owner.pdf'),
      opts: runningText(false),
      done: (p) => done.push(p),
    });
    const outcome = await queue.end();
    expect(outcome.problem).toBeNull();
    expect(done).toEqual(['main handed over', join(out, 'main.pdf'), join(out, 'owner.pdf')]);
    expect(pdfText(join(out, 'owner.pdf'))).toContain(owner.owner);
    expect(warnings).toEqual([]);
    rmSync(out, { recursive: true });
  }, 120_000);
});
