// A scan has its report templates made ready during the probe phase (outputs/prepare.ts →
// prepareDocuments): every template and partial must be compiled then, so that none is left for
// the first render, which comes after the last request.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { afterAll, expect, it, vi } from 'vitest';
import { prepareDocuments } from '../src/outputs/finish-run.js';
import { writeReports } from '../src/outputs/write-reports.js';
import { record, writeRun } from './fixtures/history/runs.js';

const base = mkdtempSync(join(tmpdir(), 'owa-templates-ready-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Handlebars' last compile stage (not in its typings): every template compiled goes through it. */
const stage = (Handlebars as unknown as { JavaScriptCompiler: { prototype: { compile(): unknown } } })
  .JavaScriptCompiler.prototype;

it('compiles every template and partial in prepareDocuments, none when the report is written', async () => {
  const compiles = vi.spyOn(stage, 'compile');
  prepareDocuments();
  // report.hbs, the stylesheet and each partial: all of them, not only the main template.
  expect(compiles.mock.calls.length).toBeGreaterThan(2);
  compiles.mockClear();

  const dir = writeRun(join(base, 'run'), {
    startedAt: '2026-11-27T01:00:00.000Z',
    records: [
      record({ ip: '192.0.2.10', host: 'mail.example.org', kev: ['CVE-2024-21410'] }),
      record({ ip: '192.0.2.11', status: 'not-exchange' }),
    ],
  });
  const files = await writeReports(dir, {
    formats: ['html'],
    perOwner: false,
    now: new Date('2026-11-27T12:00:00Z'),
  });
  expect(readFileSync(files.html ?? '', 'utf8')).toContain('mail.example.org');
  expect(compiles).not.toHaveBeenCalled();
  compiles.mockRestore();
});
