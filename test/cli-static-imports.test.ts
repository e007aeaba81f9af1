// What `owa-audit --version`, `--help` or any command loads before it does anything: the static
// import graph of the CLI's entry (issue 17: a bare Node start plus commander, not the scanner, the
// browser and the report stack). Each command imports its implementation with `import()` when it
// runs; this test walks the graph statically, as Node's loader does (test/helpers/static-imports.ts).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chain, importsOf, ROOT, staticGraph } from './helpers/static-imports.js';
import { HEAVY_PACKAGES, heavyFolders } from './helpers/startup-rules.js';

/**
 * The program bin/owa-audit.js runs, as its source under src/: the launcher imports the bundle
 * built from dist/cli/run.js, or dist/cli/run.js itself (cli-bundle.integration.test.ts checks the
 * bundle loads no more than this graph).
 */
function launcherEntries(): string[] {
  const bin = readFileSync(join(ROOT, 'bin', 'owa-audit.js'), 'utf8');
  expect(bin).toContain("'../dist/bundle/owa-audit.js'");
  expect(bin).toContain("'../dist/cli/run.js'");
  expect(importsOf(join(ROOT, 'bin', 'owa-audit.js')).static).toEqual(['node:fs']);
  return [join(ROOT, 'src', 'cli', 'run.ts')];
}

describe('the CLI start-up', () => {
  const entries = launcherEntries();
  const graph = staticGraph(entries);

  it('starts from the CLI entry and every module it names exists', () => {
    expect([...graph.modules.keys()].map((e) => relative(ROOT, e))).toContain(join('src', 'cli', 'main.ts'));
    for (const file of graph.modules.keys()) expect(existsSync(file), chain(graph, file)).toBe(true);
  });

  it('loads no package but commander before a command runs', () => {
    const reached = [...graph.packages.keys()].sort();
    const heavy = reached.filter((p) => HEAVY_PACKAGES.includes(p));
    expect(
      heavy.map((p) => `${p} via ${chain(graph, graph.packages.get(p) ?? '')}`),
      'load these inside the command action with import()',
    ).toEqual([]);
    expect(reached).toEqual(['commander']);
  });

  it('loads a handful of small project modules: no pipeline, engine, report or schema', () => {
    const heavy = heavyFolders('src');
    const loaded = [...graph.modules.keys()].map((f) => relative(ROOT, f));
    expect(loaded.filter((f) => heavy.test(f)).map((f) => chain(graph, join(ROOT, f)))).toEqual([]);
    expect(loaded).not.toContain(join('src', 'classify', 'data-schema.ts'));
    expect(loaded).not.toContain(join('src', 'knowledge', 'load.ts'));
    expect(graph.modules.size).toBeLessThan(40);
  });

  it('points every command import() at a module that exists (a typo would fail only when it runs)', () => {
    const commandImports = graph.dynamic.filter((d) => relative(ROOT, d.from).startsWith(join('src', 'cli')));
    // scan, dry run, report, classify, demo, diff, merge, data update/status, history, reclassify
    expect(commandImports.length).toBeGreaterThanOrEqual(12);
    for (const d of commandImports)
      expect(existsSync(d.file), `${relative(ROOT, d.from)} → import('${relative(ROOT, d.file)}')`).toBe(
        true,
      );
  });
});

describe('classify', () => {
  it('loads no schema when it runs: zod only through the overlay branch of the loader', () => {
    const command = join(ROOT, 'src', 'cli', 'commands', 'classify.ts');
    const targets = importsOf(command).dynamic.map((spec) =>
      resolve(dirname(command), spec).replace(/\.js$/, '.ts'),
    );
    expect(targets.map((t) => relative(ROOT, t))).toContain(join('src', 'knowledge', 'load-async.ts'));
    const graph = staticGraph(targets);
    expect([...graph.packages.keys()]).toEqual(['picocolors']);
    // The one way to zod from there: import() when a user overlay or another data directory is read.
    expect(graph.dynamic.map((d) => relative(ROOT, d.file))).toEqual([
      join('src', 'classify', 'knowledge-build.ts'),
    ]);
    expect(staticGraph([join(ROOT, 'src', 'classify', 'knowledge-build.ts')]).packages.has('zod')).toBe(true);
  });
});

describe('the walk itself', () => {
  it('finds a heavy package a command file imports statically, with the chain', () => {
    // The report command's implementation, walked as if main.ts imported it statically.
    const graph = staticGraph([join(ROOT, 'src', 'outputs', 'write-reports.ts')]);
    expect([...graph.packages.keys()]).toEqual(expect.arrayContaining(['handlebars', 'puppeteer-core']));
    const via = graph.packages.get('handlebars') ?? '';
    expect(chain(graph, via)).toMatch(/^src\/outputs\/write-reports\.ts → .*src\/report\//);
  });

  it('ignores type-only imports and follows side-effect and re-export declarations', () => {
    const imports = importsOf(join(ROOT, 'src', 'cli', 'commands', 'report.ts'));
    expect(imports.static).not.toContain('../../outputs/write-reports.js');
    expect(imports.dynamic).toContain('../../outputs/write-reports.js');
    expect(importsOf(join(ROOT, 'src', 'knowledge', 'index.ts')).static).toEqual(
      expect.arrayContaining(['./load.js', './user-data-dir.js']),
    );
  });
});
