// The package's own knowledge base (data/*.json) is read at run time without the zod schemas
// (classify/knowledge-base.ts): this suite is where it is validated. Each file must pass its schema
// *unchanged* — nothing stripped, nothing defaulted — so that taking it as it is gives exactly what
// validating it would. Everything else (a user overlay, another data directory) is still validated
// when it is read.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildsFileSchema,
  cvesFileSchema,
  lifecycleFileSchema,
  metaSchema,
} from '../src/classify/data-schema.js';
import {
  buildShippedKnowledgeBase,
  DATA_FILES,
  type KnowledgeSources,
} from '../src/classify/knowledge-base.js';
import { buildKnowledgeBase } from '../src/classify/knowledge-build.js';
import { InputError } from '../src/core/errors.js';
import { DEFAULT_DATA_DIR, loadKnowledgeBase, loadKnowledgeBaseAsync } from '../src/knowledge/index.js';

const SCHEMAS = {
  'meta.json': metaSchema,
  'builds.json': buildsFileSchema,
  'cves.json': cvesFileSchema,
  'lifecycle.json': lifecycleFileSchema,
} as const;

const shippedText = (name: (typeof DATA_FILES)[number]): string =>
  readFileSync(join(DEFAULT_DATA_DIR, name), 'utf8');

function shippedSources(): KnowledgeSources {
  const data = Object.fromEntries(
    DATA_FILES.map((name) => [name, { file: join(DEFAULT_DATA_DIR, name), text: shippedText(name) }]),
  ) as KnowledgeSources['data'];
  return { dataDir: DEFAULT_DATA_DIR, data, userDataDir: null, user: {} };
}

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'owa-kb-shipped-'));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

describe('the shipped data', () => {
  it.each(DATA_FILES)('%s passes its schema unchanged', (name) => {
    const json: unknown = JSON.parse(shippedText(name));
    const parsed = SCHEMAS[name].safeParse(json);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data).toStrictEqual(json);
  });

  it('builds the same knowledge base taken as it is as through the schemas', () => {
    const src = shippedSources();
    const asIs = buildShippedKnowledgeBase(src);
    const validated = buildKnowledgeBase(src);
    expect(asIs.dataVersion).toBe(validated.dataVersion);
    expect(asIs).toStrictEqual(validated);
    expect(asIs.builds.length).toBeGreaterThan(300);
    expect(asIs.cves.length).toBeGreaterThan(100);
  });
});

describe('loading without the schemas', () => {
  it('gives the synchronous loader the same (cached) knowledge base', async () => {
    const lean = await loadKnowledgeBaseAsync({ userDataDir: null });
    expect(loadKnowledgeBase({ userDataDir: null })).toBe(lean);
    expect(lean.dirs).toEqual({ dataDir: DEFAULT_DATA_DIR, userDataDir: null, userFiles: [] });
  });

  it('still validates a user overlay, naming file and field', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ asOf: 'yesterday' }));
    const error = await loadKnowledgeBaseAsync({ userDataDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).format()).toContain(join(dir, 'meta.json'));
    expect((error as InputError).format()).toContain('asOf');
  });

  it('merges a valid overlay as the synchronous loader does', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ asOf: '2099-01-01' }));
    const kb = await loadKnowledgeBaseAsync({ userDataDir: dir });
    expect(kb.asOf).toBe('2099-01-01');
    expect(kb.dirs.userFiles).toEqual(['meta.json']);
    expect(loadKnowledgeBase({ userDataDir: dir })).toBe(kb);
  });

  it('validates a data directory other than the package own', async () => {
    const dir = tempDir();
    cpSync(DEFAULT_DATA_DIR, dir, { recursive: true });
    const builds = JSON.parse(readFileSync(join(dir, 'builds.json'), 'utf8')) as {
      builds: { kind: string }[];
    };
    const first = builds.builds[0];
    if (first === undefined) throw new Error('no builds');
    first.kind = 'nonsense';
    writeFileSync(join(dir, 'builds.json'), JSON.stringify(builds));
    expect(() => loadKnowledgeBase({ dataDir: dir, userDataDir: null })).toThrow(
      /builds\.json: builds\.0\.kind/,
    );
    await expect(loadKnowledgeBaseAsync({ dataDir: dir, userDataDir: null })).rejects.toThrow(
      /builds\.json: builds\.0\.kind/,
    );
  });
});
