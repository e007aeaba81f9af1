// A scan loads the report stack only after its probe phase: runScan's static import graph (what
// is loaded before the first packet) holds none of the report, PDF, history or e-mail packages;
// outputs/prepare.ts brings them in with import() once the probe phase starts. Read with
// dependency-cruiser's own resolution (as `npm run lint`), type-only imports left out (tsc erases
// them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IModule } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { beforeAll, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPORT_STACK = [
  'handlebars',
  'puppeteer-core',
  '@puppeteer/browsers',
  'tar-fs',
  'better-sqlite3',
  'nodemailer',
];

let modules: Map<string, IModule>;

beforeAll(async () => {
  const result = await cruise(
    ['src/scan/run-scan.ts'],
    { baseDir: ROOT, doNotFollow: { path: 'node_modules' }, tsPreCompilationDeps: true },
    {},
    { tsConfig: extractTSConfig(join(ROOT, 'tsconfig.json')) },
  );
  modules = new Map((result.output as ICruiseResult).modules.map((m) => [m.source, m]));
}, 60_000);

/**
 * Whether `from` imports `specifier` for its types only. dependency-cruiser also calls a mixed
 * `import x, { type Y } from 'm'` type-only, so its word is checked against the source: only an
 * `import type … from 'm'` with no other import of 'm' counts.
 */
function typeOnly(from: string, specifier: string, flagged: boolean): boolean {
  if (!flagged) return false;
  const text = readFileSync(join(ROOT, from), 'utf8');
  const quoted = `['"]${specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}['"]`;
  const all = text.match(new RegExp(`^(?:import|export)\\b[^;]*?from\\s+${quoted}`, 'gm')) ?? [];
  return all.length > 0 && all.every((s) => /^(?:import|export) type\b/.test(s));
}

/** Modules reached from `entry` through imports that run when it is loaded. */
function loadedWith(entry: string): Set<string> {
  const seen = new Set([entry]);
  const queue = [entry];
  for (let m = queue.shift(); m !== undefined; m = queue.shift()) {
    for (const d of modules.get(m)?.dependencies ?? []) {
      if (d.dynamic || typeOnly(m, d.module, d.dependencyTypes.includes('type-only'))) continue;
      if (!seen.has(d.resolved)) {
        seen.add(d.resolved);
        queue.push(d.resolved);
      }
    }
  }
  return seen;
}

/** The package of a resolved module: a path under node_modules, or a bare name (`nodemailer/lib/x`). */
const packageOf = (path: string): string | null => {
  if (path.startsWith('src/')) return null;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path) ?? /^((?:@[^/]+\/)?[^/]+)/.exec(path);
  // A package typed by DefinitelyTyped resolves to its @types twin: the same package at run time.
  return m?.[1]?.replace(/^@types\//, '') ?? null;
};

it('loads no report, PDF, history or e-mail package before the probe phase', () => {
  const loaded = loadedWith('src/scan/run-scan.ts');
  expect(loaded.size).toBeGreaterThan(50);
  const packages = new Set([...loaded].map(packageOf).filter((p) => p !== null));
  expect(packages).toContain('undici'); // the graph is followed into packages at all
  for (const heavy of REPORT_STACK) expect(packages).not.toContain(heavy);
  expect([...loaded].filter((m) => m.startsWith('src/report/') || m.startsWith('src/history/'))).toEqual([]);
});

it('imports the report stack on demand, from outputs/prepare.ts', () => {
  const dynamic = (modules.get('src/outputs/prepare.ts')?.dependencies ?? [])
    .filter((d) => d.dynamic)
    .map((d) => d.resolved)
    .sort();
  expect(dynamic).toEqual(['src/outputs/finish-run.ts', 'src/report/pdf.ts']);
  const later = new Set([...loadedWith('src/outputs/finish-run.ts'), ...loadedWith('src/report/pdf.ts')]);
  const packages = new Set([...later].map(packageOf));
  for (const heavy of REPORT_STACK) expect(packages).toContain(heavy);
});
