// The layer rule of `npm run lint` (.dependency-cruiser.js, docs/ARCHITECTURE.md) through
// dependency-cruiser's own API: the real tree passes, the layer table is a partial order that
// names every folder, and an upward import planted in a copy of the layout fails with the rule
// that forbids it. Also: every runtime dependency in package.json is imported by the product.
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONFIG = join(ROOT, '.dependency-cruiser.js');

interface Violation {
  rule: string;
  from: string;
  to: string;
}

let options: ICruiseOptions;
let layers: Record<string, string[]>;

async function cruiseIn(baseDir: string, targets: string[]): Promise<ICruiseResult> {
  const result = await cruise(
    targets,
    { ...options, validate: true, baseDir },
    {},
    { tsConfig: extractTSConfig(join(baseDir, 'tsconfig.json')) },
  );
  return result.output as ICruiseResult;
}

function violationsOf(result: ICruiseResult): Violation[] {
  return result.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

beforeAll(async () => {
  options = await extractDepcruiseOptions(CONFIG);
  layers = ((await import(pathToFileURL(CONFIG).href)) as { LAYERS: Record<string, string[]> }).LAYERS;
});

describe('the real tree', () => {
  let result: ICruiseResult;
  beforeAll(async () => {
    result = await cruiseIn(ROOT, ['src', 'tools']);
  }, 60_000);

  it('keeps every rule', () => {
    expect(violationsOf(result)).toEqual([]);
    expect(result.summary.totalCruised).toBeGreaterThan(250);
  });

  it('imports every runtime dependency from src/ (nothing carried unused)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const used = new Set<string>();
    for (const m of result.modules) {
      if (!m.source.startsWith('src/')) continue;
      for (const d of m.dependencies) {
        if (!d.dependencyTypes.includes('npm')) continue;
        const name = d.module.startsWith('@')
          ? d.module.split('/').slice(0, 2).join('/')
          : d.module.split('/')[0];
        if (name !== undefined) used.add(name);
      }
    }
    expect(Object.keys(pkg.dependencies).filter((d) => !used.has(d))).toEqual([]);
  });
});

describe('the layer table', () => {
  it('is a partial order: folders can be listed so that each imports only folders before it', () => {
    const placed: string[] = [];
    const left = new Map(Object.entries(layers));
    while (left.size > 0) {
      const ready = [...left].filter(([, below]) => below.every((b) => placed.includes(b)));
      expect(ready, `a cycle among ${[...left.keys()].join(', ')}`).not.toEqual([]);
      for (const [name] of ready) {
        placed.push(name);
        left.delete(name);
      }
    }
    expect(placed[0]).toBe('core');
  });

  it('names every folder of src/, and only those', () => {
    const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(Object.keys(layers).sort()).toEqual(folders);
    for (const [name, below] of Object.entries(layers))
      for (const b of below) expect(Object.keys(layers), `${name} lists ${b}`).toContain(b);
  });

  it('keeps the fleet out of the product: only the demo and the command line stand above it', () => {
    const users = Object.entries(layers)
      .filter(([, below]) => below.includes('fleet'))
      .map(([name]) => name);
    expect(users).toEqual(['demo']);
  });
});

describe('a planted import fails the rule', () => {
  let dir: string;
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'owa-layers-'));
    write(
      'tsconfig.json',
      JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true },
        include: ['src'],
      }),
    );
    write('package.json', JSON.stringify({ name: 'planted', type: 'module' }));
    // One harmless file per folder the plants point at.
    for (const folder of ['cli', 'engine', 'classify', 'outputs', 'fleet', 'run-store', 'core'])
      write(`src/${folder}/target.ts`, 'export const target = 1;\n');
    write('tools/tool.ts', 'export const tool = 1;\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['the pure core importing the command line', 'src/core/planted.ts', '../cli/target.js', 'layer-core'],
    [
      'classification importing the network engine',
      'src/classify/planted.ts',
      '../engine/target.js',
      'layer-classify',
    ],
    [
      'fingerprinting importing classification',
      'src/fingerprint/planted.ts',
      '../classify/target.js',
      'layer-fingerprint',
    ],
    [
      'a report view importing the output pipeline above it',
      'src/report/planted.ts',
      '../outputs/target.js',
      'layer-report',
    ],
    ['the engine importing the run store', 'src/engine/planted.ts', '../run-store/target.js', 'layer-engine'],
    ['the scan importing the simulated fleet', 'src/scan/planted.ts', '../fleet/target.js', 'layer-scan'],
    ['a folder the table does not know', 'src/misc/planted.ts', '../core/target.js', 'layer-unknown'],
    [
      'the product importing a dev tool',
      'src/cli/planted.ts',
      '../../tools/tool.js',
      'no-tools-or-tests-in-product',
    ],
    ['the pure core reading files', 'src/core/planted-fs.ts', 'node:fs', 'pure-core'],
    [
      'a report opening sockets',
      'src/report/planted-net.ts',
      'node:net',
      'no-network-outside-probe-and-engine',
    ],
  ])('%s', async (_what, file, target, rule) => {
    write(file, `import * as planted from '${target}';\nexport const used = planted;\n`);
    try {
      const found = violationsOf(await cruiseIn(dir, ['src']));
      expect(found.filter((v) => v.from === file).map((v) => v.rule)).toContain(rule);
    } finally {
      rmSync(join(dir, file));
    }
  });

  it('a runtime cycle between two files of one folder', async () => {
    write('src/report/a.ts', "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n");
    write(
      'src/report/b.ts',
      "import { a } from './a.js';\nexport const b = (): number => (a === undefined ? 0 : 1);\n",
    );
    try {
      const found = violationsOf(await cruiseIn(dir, ['src']));
      expect(found.map((v) => v.rule)).toContain('no-circular');
    } finally {
      rmSync(join(dir, 'src/report/a.ts'));
      rmSync(join(dir, 'src/report/b.ts'));
    }
  });

  it('and the same files import downwards without a complaint', async () => {
    write(
      'src/report/planted.ts',
      "import { target } from '../run-store/target.js';\nexport const t = target;\n",
    );
    try {
      expect(violationsOf(await cruiseIn(dir, ['src']))).toEqual([]);
    } finally {
      rmSync(join(dir, 'src/report/planted.ts'));
    }
  });
});
