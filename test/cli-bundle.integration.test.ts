// The program bin/owa-audit.js runs: the bundle of dist/cli/run.js (tools/bundle-cli.mjs, built by
// `npm run build` before the suite), loaded as the user's command loads it. Which chunks a command
// loads is recorded by a module-resolution hook in the child process (Node's module.register), and
// the bundle's manifest says which modules each chunk holds: so this checks, on the artefact that
// runs, what cli-static-imports.test.ts checks on the sources — `--version` loads commander and a
// handful of small modules, `classify` and `scan --dry-run` no engine, browser or database.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  readdirSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from './helpers/cli.js';
import { heavyFolders } from './helpers/startup-rules.js';

interface Manifest {
  entry: string;
  chunks: Record<string, { imports: string[]; dynamicImports: string[]; modules: string[] }>;
}

const BUNDLE = join(ROOT, 'dist', 'bundle');
const manifest = JSON.parse(readFileSync(join(BUNDLE, 'manifest.json'), 'utf8')) as Manifest;
const work = mkdtempSync(join(tmpdir(), 'owa-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Runs in the loader's thread of the child: appends every module URL it resolves to $LOG.
const HOOKS = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.OWA_TEST_RESOLVE_LOG, r.url + '\\n');
  return r;
}`;
writeFileSync(join(work, 'hooks.mjs'), HOOKS);
writeFileSync(
  join(work, 'register.mjs'),
  `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(work, 'hooks.mjs')).href)});\n`,
);

let runs = 0;
/** The files of the package a command resolves (modules and chunks), relative to the package. */
async function loadedBy(args: string[]): Promise<{ files: string[]; code: number | null }> {
  const log = join(work, `resolve-${++runs}.log`);
  writeFileSync(log, '');
  const r = await runCli(args, {
    env: { OWA_TEST_RESOLVE_LOG: log, NODE_OPTIONS: `--import ${join(work, 'register.mjs')}` },
    timeoutMs: 30_000,
  });
  const root = pathToFileURL(ROOT).href;
  const files = readFileSync(log, 'utf8')
    .split('\n')
    .filter((u) => u.startsWith(root))
    .map((u) => u.slice(root.length));
  return { files: [...new Set(files)], code: r.code };
}

/** The source modules inside the bundle chunks among `files`. */
function modulesIn(files: string[]): string[] {
  const chunks = files.filter((f) => f.startsWith('dist/bundle/')).map((f) => f.slice('dist/bundle/'.length));
  return chunks.flatMap((c) => {
    const chunk = manifest.chunks[c];
    expect(chunk, `${c} is in the manifest`).toBeDefined();
    return chunk?.modules ?? [];
  });
}

const packageOf = (m: string): string | null => {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(m);
  return match?.[1] ?? null;
};

const HEAVY_FOLDERS = heavyFolders('dist');

describe('the bundle bin/owa-audit.js runs', () => {
  it('is current: built after the program it bundles, and its entry is the program', () => {
    expect(statSync(join(BUNDLE, 'owa-audit.js')).mtimeMs).toBeGreaterThanOrEqual(
      statSync(join(ROOT, 'dist', 'cli', 'run.js')).mtimeMs,
    );
    const entry = manifest.chunks[manifest.entry];
    expect(entry?.modules).toContain('dist/cli/run.js');
    expect(entry?.modules).toContain('dist/cli/main.js');
  });

  it('--version: the bundle, not the compiled modules; commander and no heavy package or module', async () => {
    const { files, code } = await loadedBy(['--version']);
    expect(code).toBe(0);
    expect(files).toContain('dist/bundle/owa-audit.js');
    expect(files.filter((f) => f.startsWith('dist/cli/'))).toEqual([]);
    const modules = modulesIn(files);
    expect(modules).toContain('dist/cli/main.js');
    const packages = new Set(modules.map(packageOf).filter((p) => p !== null));
    expect([...packages]).toEqual(['commander']);
    expect(modules.filter((m) => HEAVY_FOLDERS.test(m))).toEqual([]);
    // Nothing from node_modules outside the bundle either.
    expect(files.filter((f) => f.startsWith('node_modules/'))).toEqual([]);
  });

  it('classify: no schema library, engine, browser, templates or database', async () => {
    const { files, code } = await loadedBy(['classify', '15.1.2507.6']);
    expect(code).toBe(0);
    const packages = new Set(modulesIn(files).map(packageOf));
    for (const heavy of ['zod', 'undici', 'puppeteer-core', 'handlebars', 'better-sqlite3', 'yaml'])
      expect(packages.has(heavy), heavy).toBe(false);
    expect(files.filter((f) => f.startsWith('node_modules/'))).toEqual([]);
  });

  it('scan --dry-run: the scan file and scope, but no engine, browser, templates or database', async () => {
    const scan = join(work, 'dry.yaml');
    writeFileSync(
      scan,
      [
        'name: bundle-dry-run',
        'authorisation: { by: test, reference: T-1, contact: t@example.invalid, valid_until: 2099-12-31 }',
        'scope: { include: [127.44.0.0/30] }',
        'ports: [443]',
        '',
      ].join('\n'),
    );
    const { files, code } = await loadedBy(['scan', '--dry-run', scan]);
    expect(code).toBe(0);
    const modules = modulesIn(files);
    expect(modules.some((m) => m.startsWith('dist/scope/'))).toBe(true);
    const packages = new Set(modules.map(packageOf));
    for (const heavy of ['undici', 'puppeteer-core', '@puppeteer/browsers', 'handlebars', 'better-sqlite3'])
      expect(packages.has(heavy), heavy).toBe(false);
  });
});

describe('the report templates in the bundle', () => {
  it("report: Handlebars' runtime and the compiled templates, not its compiler", async () => {
    const run = join(work, 'report-run');
    cpSync(join(ROOT, 'test', 'fixtures', 'report', 'mixed-run'), run, { recursive: true });
    const { files, code } = await loadedBy(['report', run, '--format', 'html']);
    expect(code).toBe(0);
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toContain('<!DOCTYPE html>');
    const modules = modulesIn(files);
    expect(modules).toContain('dist/report/templates.generated.js');
    expect(modules).toContain('node_modules/handlebars/dist/cjs/handlebars.runtime.js');
    expect(modules.filter((m) => m.includes('/handlebars/compiler/'))).toEqual([]);
  });
});

describe('the notification drafts in the bundle', () => {
  it("report: nodemailer's composer only for a run with owners, whose drafts it writes", async () => {
    const withOwners = join(work, 'drafts-owners');
    cpSync(join(ROOT, 'test', 'fixtures', 'report', 'mixed-run'), withOwners, { recursive: true });
    const noOwners = join(work, 'drafts-none');
    cpSync(withOwners, noOwners, { recursive: true });
    const results = join(noOwners, 'results.jsonl');
    writeFileSync(results, readFileSync(results, 'utf8').replace(/"owner":\{[^}]*\}/g, '"owner":null'));

    const args = ['--per-owner', '--format', 'html,pdf', '--no-history'];
    const none = await loadedBy(['report', noOwners, ...args]);
    expect(none.code).toBe(0);
    expect(modulesIn(none.files).filter((m) => m.includes('node_modules/nodemailer/'))).toEqual([]);

    const some = await loadedBy(['report', withOwners, ...args]);
    expect(some.code).toBe(0);
    const drafts = readdirSync(join(withOwners, 'owners')).filter((f) => f.endsWith('.eml'));
    expect(drafts).toHaveLength(4);
    expect(readFileSync(join(withOwners, 'owners', drafts[0] ?? ''), 'utf8')).toContain('MIME-Version');
    expect(existsSync(join(noOwners, 'owners'))).toBe(false);
    expect(modulesIn(some.files).some((m) => m.includes('node_modules/nodemailer/'))).toBe(true);
  });
});

describe('the PDF path in the bundle', () => {
  // What proxy-agent pulls in for @puppeteer/browsers' downloads (tools/bundle-cli.mjs).
  const DOWNLOAD_STACK =
    /node_modules\/(proxy-agent|pac-proxy-agent|pac-resolver|http-proxy-agent|https-proxy-agent|socks-proxy-agent|@tootallnate\/quickjs-emscripten|degenerator|esprima|escodegen|ast-types|get-uri|basic-ftp|socks)\//;

  // The tar stack unpacks the bundled Chromium once per version (src/report/bundled-chromium.ts).
  const TAR_STACK = /node_modules\/(tar-fs|tar-stream|streamx)\//;

  it('no chunk holds the download stack of @puppeteer/browsers, or a WebSocket client (ws)', () => {
    const held = Object.values(manifest.chunks).flatMap((c) =>
      c.modules.filter((m) => DOWNLOAD_STACK.test(m) || m.includes('node_modules/ws/')),
    );
    expect(held).toEqual([]);
  });

  it('the tar stack is a chunk of its own, reached only by an import() from the bundled Chromium’s unpacker', () => {
    const holding = Object.entries(manifest.chunks).filter(([, c]) =>
      c.modules.some((m) => TAR_STACK.test(m)),
    );
    expect(holding).toHaveLength(1);
    const [tarChunk] = holding[0] ?? [''];
    const importers = Object.entries(manifest.chunks).filter(
      ([, c]) => c.imports.includes(tarChunk) || c.dynamicImports.includes(tarChunk),
    );
    expect(importers.map(([, c]) => c.imports.includes(tarChunk))).toEqual([false]);
    expect(importers[0]?.[1].modules).toContain('dist/report/bundled-chromium.js');
  });

  it('report --format pdf: puppeteer and @puppeteer/browsers print it, without those stacks', async () => {
    const run = join(work, 'report-pdf-run');
    cpSync(join(ROOT, 'test', 'fixtures', 'report', 'mixed-run'), run, { recursive: true });
    const { files, code } = await loadedBy(['report', run, '--format', 'pdf']);
    expect(code).toBe(0);
    expect(readFileSync(join(run, 'report.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const packages = new Set(modulesIn(files).map(packageOf));
    expect(packages).toContain('puppeteer-core');
    expect(packages).toContain('@puppeteer/browsers');
    expect(modulesIn(files).filter((m) => DOWNLOAD_STACK.test(m))).toEqual([]);
    // Printed through a pipe, with a browser already unpacked or installed: no WebSocket client,
    // no tar stack.
    expect(packages).not.toContain('ws');
    expect(modulesIn(files).filter((m) => TAR_STACK.test(m))).toEqual([]);
  });
});

describe('the launcher (bin/owa-audit.js)', () => {
  /** A package with the real launcher and a stand-in bundle and program that say which ran. */
  function fakePackage(name: string, bundle: 'none' | 'older' | 'newer'): string {
    const dir = join(work, name);
    mkdirSync(join(dir, 'bin'), { recursive: true });
    mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
    writeFileSync(join(dir, 'bin', 'owa-audit.js'), readFileSync(BIN));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    const program = join(dir, 'dist', 'cli', 'run.js');
    writeFileSync(program, "process.stdout.write('compiled');\n");
    const t = Date.now() / 1000;
    utimesSync(program, t - 100, t - 100);
    if (bundle !== 'none') {
      mkdirSync(join(dir, 'dist', 'bundle'));
      const file = join(dir, 'dist', 'bundle', 'owa-audit.js');
      writeFileSync(file, "process.stdout.write('bundle');\n");
      const at = bundle === 'newer' ? t - 50 : t - 200;
      utimesSync(file, at, at);
    }
    return join(dir, 'bin', 'owa-audit.js');
  }

  function ran(bin: string): string {
    return execFileSync(process.execPath, [bin], { timeout: 10_000, encoding: 'utf8' });
  }

  it('runs the bundle when it was built after the program', () => {
    expect(ran(fakePackage('newer', 'newer'))).toBe('bundle');
  });

  it('runs the compiled program when the bundle is older (a tsc run alone) or missing', () => {
    expect(ran(fakePackage('older', 'older'))).toBe('compiled');
    expect(ran(fakePackage('none', 'none'))).toBe('compiled');
  });
});
