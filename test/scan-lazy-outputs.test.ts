// A scan loads the report stack only once its targets are exhausted: runScan's static import graph
// (what is loaded before the first packet) holds none of the report, PDF, history or e-mail
// packages; outputs/prepare.ts brings them in with import() while the last endpoints are in flight
// (src/scan/run-scan.ts), nodemailer only when there are owners' drafts to write, and tar-fs only
// when the bundled Chromium is unpacked. Walked as Node's loader walks it
// (test/helpers/static-imports.ts).
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { chain, ROOT, staticGraph } from './helpers/static-imports.js';

const REPORT_STACK = [
  'handlebars',
  'puppeteer-core',
  '@puppeteer/browsers',
  'tar-fs',
  'better-sqlite3',
  'nodemailer',
];

const src = (...parts: string[]): string => join(ROOT, 'src', ...parts);

it('loads no report, PDF, history or e-mail package before the probe phase', () => {
  const graph = staticGraph([src('scan', 'run-scan.ts')]);
  expect(graph.modules.size).toBeGreaterThan(50);
  expect(graph.packages.has('undici')).toBe(true); // the walk reaches the engine's packages at all
  for (const heavy of REPORT_STACK)
    expect(graph.packages.has(heavy), `${heavy} via ${chain(graph, graph.packages.get(heavy) ?? '')}`).toBe(
      false,
    );
  const loaded = [...graph.modules.keys()].map((f) => relative(ROOT, f));
  expect(loaded.filter((m) => m.startsWith('src/report/') || m.startsWith('src/history/'))).toEqual([]);
});

it('imports the report stack on demand, from outputs/prepare.ts', () => {
  const graph = staticGraph([src('outputs', 'prepare.ts')]);
  expect([...graph.packages.keys()]).toEqual([]);
  const dynamic = graph.dynamic
    .filter((d) => d.from === src('outputs', 'prepare.ts'))
    .map((d) => relative(ROOT, d.file))
    .sort();
  expect(dynamic).toEqual(['src/outputs/finish-run.ts', 'src/report/pdf.ts']);
  const later = staticGraph(dynamic.map((d) => join(ROOT, d)));
  for (const heavy of REPORT_STACK.filter((p) => p !== 'nodemailer' && p !== 'tar-fs'))
    expect(later.packages.has(heavy), heavy).toBe(true);
  // The tar stack only to unpack the bundled Chromium (once per version), by an import() there.
  expect(later.packages.has('tar-fs')).toBe(false);
  expect(later.dynamicPackages.filter((d) => d.pkg === 'tar-fs').map((d) => relative(ROOT, d.from))).toEqual([
    'src/report/bundled-chromium.ts',
  ]);
  // The e-mail composer only when a run has owners' drafts to write, one import() further on.
  expect(later.packages.has('nodemailer')).toBe(false);
  const drafts = later.dynamic
    .filter((d) => d.from === src('outputs', 'owner-drafts.ts'))
    .map((d) => relative(ROOT, d.file));
  expect(drafts).toEqual(['src/notify/eml.ts']);
  expect(staticGraph([src('notify', 'eml.ts')]).packages.has('nodemailer')).toBe(true);
});
