// Loads the knowledge base: the shipped data/ directory, optionally overlaid by a user data
// directory of the same shape (what `owa-audit data update` writes), validated and indexed once.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { z } from 'zod';
import { InputError } from '../core/errors.js';
import { PACKAGE_ROOT } from '../util/version.js';
import { compareBuilds } from '../core/build-number.js';
import {
  buildsFileSchema,
  cveEntrySchema,
  cvesFileSchema,
  cvesOverlaySchema,
  lifecycleFileSchema,
  lifecycleOverlaySchema,
  metaOverlaySchema,
  metaSchema,
  productInfoSchema,
  type BuildEntry,
  type CveEntry,
  type DataMeta,
  type ProductInfo,
} from './data-schema.js';
import { buildIndex, type KnowledgeIndex } from './knowledge-index.js';

export { lineKey, type KnowledgeIndex } from './knowledge-index.js';

export interface KnowledgeBase {
  /** Snapshot date of the newest source behind the data (YYYY-MM-DD). */
  asOf: string;
  /** asOf plus a short hash of the data files' content, e.g. "2026-08-20+1a2b3c4d"; runs record it. */
  dataVersion: string;
  meta: DataMeta;
  /** Ascending by build; disputed builds included (confidence "disputed"). */
  builds: readonly BuildEntry[];
  cves: readonly CveEntry[];
  products: readonly ProductInfo[];
  /**
   * Where the data came from: the shipped directory, the user overlay directory consulted (null
   * when none was), and the overlay files actually read from it (empty when it holds none).
   */
  dirs: { dataDir: string; userDataDir: string | null; userFiles: string[] };
  index: KnowledgeIndex;
}

export const DEFAULT_DATA_DIR = join(PACKAGE_ROOT, 'data');

/** The file names a data directory (shipped or user overlay) may hold. */
export const DATA_FILES = ['meta.json', 'builds.json', 'cves.json', 'lifecycle.json'] as const;

/**
 * The user data directory that `owa-audit data update` writes and every command reads as an
 * overlay: $OWA_AUDIT_DATA_DIR, else $XDG_DATA_HOME/owa-audit, else ~/.local/share/owa-audit.
 * A relative XDG_DATA_HOME is ignored, as the XDG base-directory specification requires.
 */
export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const own = env.OWA_AUDIT_DATA_DIR;
  if (own !== undefined && own.trim() !== '') return resolve(own);
  const xdg = env.XDG_DATA_HOME;
  if (xdg !== undefined && xdg !== '' && isAbsolute(xdg)) return join(xdg, 'owa-audit');
  return join(homedir(), '.local', 'share', 'owa-audit');
}

const cache = new Map<string, KnowledgeBase>();

/**
 * Loads and indexes the knowledge base, once per pair of directories and content of the overlay.
 * Synchronous. `userDataDir` omitted: the default user data directory (defaultUserDataDir()), so
 * that every command sees what `data update` wrote; null: the shipped data alone.
 */
export function loadKnowledgeBase(
  opts: { dataDir?: string; userDataDir?: string | null } = {},
): KnowledgeBase {
  const dataDir = resolve(opts.dataDir ?? DEFAULT_DATA_DIR);
  const userDataDir =
    opts.userDataDir === undefined
      ? defaultUserDataDir()
      : opts.userDataDir === null
        ? null
        : resolve(opts.userDataDir);
  // The overlay's file identities are part of the key: a `data update` in this process (it
  // replaces the files) must not leave a stale cached knowledge base behind.
  const key = `${dataDir}\0${userDataDir ?? ''}\0${userDataDir === null ? '' : overlaySignature(userDataDir)}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const kb = load(dataDir, userDataDir);
  cache.set(key, kb);
  return kb;
}

function overlaySignature(dir: string): string {
  return DATA_FILES.map((name) => {
    const st = statSync(join(dir, name), { throwIfNoEntry: false });
    return st === undefined ? '-' : `${st.ino}:${st.size}:${st.mtimeMs}`;
  }).join('|');
}

interface FileRead<T> {
  value: T;
  raw: string;
}

function readJson<S extends z.ZodType>(file: string, schema: S, user: boolean): FileRead<z.infer<S>> {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(
      `cannot read knowledge-base file ${file}: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    const message = `not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
    if (user) throw new InputError(message, { file });
    throw new Error(`${file}: ${message}`, { cause: e });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue === undefined ? undefined : issue.path.map(String).join('.');
    const message = issue?.message ?? 'invalid';
    if (user) throw new InputError(message, { file, field });
    throw new Error(`${file}: ${field ?? ''}: ${message}`);
  }
  return { value: parsed.data, raw };
}

function readOptional<S extends z.ZodType>(
  dir: string,
  name: string,
  schema: S,
): FileRead<z.infer<S>> | null {
  const file = join(dir, name);
  return existsSync(file) ? readJson(file, schema, true) : null;
}

function load(dataDir: string, userDataDir: string | null): KnowledgeBase {
  const raws: string[] = [];
  const userFiles: string[] = [];
  const base = <S extends z.ZodType>(name: string, schema: S): z.infer<S> => {
    const r = readJson(join(dataDir, name), schema, false);
    raws.push(r.raw);
    return r.value;
  };
  let meta = base('meta.json', metaSchema);
  const buildMap = new Map(base('builds.json', buildsFileSchema).builds.map((b) => [b.build, b] as const));
  const cveMap = new Map(base('cves.json', cvesFileSchema).cves.map((c) => [c.id, c] as const));
  const productMap = new Map(
    base('lifecycle.json', lifecycleFileSchema).products.map((p) => [p.product, p] as const),
  );

  if (userDataDir !== null) {
    const userMeta = readOptional(userDataDir, 'meta.json', metaOverlaySchema);
    if (userMeta !== null) {
      raws.push(userMeta.raw);
      userFiles.push('meta.json');
      const asOf =
        userMeta.value.asOf !== undefined && userMeta.value.asOf > meta.asOf
          ? userMeta.value.asOf
          : meta.asOf;
      meta = metaSchema.parse({ ...meta, ...stripUndefined(userMeta.value), asOf });
    }
    const userBuilds = readOptional(userDataDir, 'builds.json', buildsFileSchema);
    if (userBuilds !== null) {
      raws.push(userBuilds.raw);
      userFiles.push('builds.json');
      for (const b of userBuilds.value.builds) buildMap.set(b.build, b);
    }
    const userCves = readOptional(userDataDir, 'cves.json', cvesOverlaySchema);
    if (userCves !== null) {
      raws.push(userCves.raw);
      userFiles.push('cves.json');
      userCves.value.cves.forEach((c, i) => {
        const merged = { ...cveMap.get(c.id), ...stripUndefined(c) };
        const full = cveEntrySchema.safeParse(merged);
        if (!full.success) {
          throw new InputError(`a new CVE needs every field: ${full.error.issues[0]?.message ?? 'invalid'}`, {
            file: join(userDataDir, 'cves.json'),
            field: `cves.${i}.${full.error.issues[0]?.path.map(String).join('.') ?? ''}`,
          });
        }
        cveMap.set(c.id, full.data);
      });
    }
    const userLifecycle = readOptional(userDataDir, 'lifecycle.json', lifecycleOverlaySchema);
    if (userLifecycle !== null) {
      raws.push(userLifecycle.raw);
      userFiles.push('lifecycle.json');
      userLifecycle.value.products.forEach((p, i) => {
        const full = productInfoSchema.safeParse({ ...productMap.get(p.product), ...stripUndefined(p) });
        if (!full.success) {
          throw new InputError(
            `a new product needs every field: ${full.error.issues[0]?.message ?? 'invalid'}`,
            {
              file: join(userDataDir, 'lifecycle.json'),
              field: `products.${i}`,
            },
          );
        }
        productMap.set(p.product, full.data);
      });
    }
  }

  const builds = [...buildMap.values()].sort((a, b) => compareBuilds(a.build, b.build));
  const cves = [...cveMap.values()];
  const products = [...productMap.values()];
  const hash = createHash('sha256');
  for (const raw of raws) hash.update(raw).update('\0');
  return {
    asOf: meta.asOf,
    dataVersion: `${meta.asOf}+${hash.digest('hex').slice(0, 8)}`,
    meta,
    builds,
    cves,
    products,
    dirs: { dataDir, userDataDir, userFiles },
    index: buildIndex(meta.asOf, builds, cves, products),
  };
}

/** Zod's partial objects carry explicit undefineds; an overlay must not erase base fields with them. */
function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
