// A scan loads the report stack only once its targets are exhausted: runScan's static import graph
// (what is loaded before the first packet) holds none of the report, PDF, history or e-mail
// packages; outputs/prepare.ts brings them in with import() while the last endpoints are in flight
// (src/scan/run-scan.ts), and nodemailer only when there are owners' drafts to write. Walked as
// Node's loader walks it (test/helpers/static-imports.ts).
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
  for (const heavy of REPORT_STACK.filter((p) => p !== 'nodemailer'))
    expect(later.packages.has(heavy), heavy).toBe(true);
  // The e-mail composer only when a run has owners' drafts to write, one import() further on.
  expect(later.packages.has('nodemailer')).toBe(false);
  const drafts = later.dynamic
    .filter((d) => d.from === src('outputs', 'owner-drafts.ts'))
    .map((d) => relative(ROOT, d.file));
  expect(drafts).toEqual(['src/notify/eml.ts']);
  expect(staticGraph([src('notify', 'eml.ts')]).packages.has('nodemailer')).toBe(true);
});
