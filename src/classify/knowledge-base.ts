// The knowledge base from the texts of its files: the shipped data/ directory, optionally overlaid
// by a user data directory of the same shape (what `owa-audit data update` writes), validated,
// merged and indexed. Pure: the files are read by the edge loader (src/knowledge/), which passes
// their texts in; the paths only name them in messages.
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { InputError } from '../core/errors.js';
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

/** The file names a data directory (shipped or user overlay) may hold. */
export const DATA_FILES = ['meta.json', 'builds.json', 'cves.json', 'lifecycle.json'] as const;
export type DataFileName = (typeof DATA_FILES)[number];

/** One data file as read: its path (for messages) and its text. */
export interface DataFileText {
  file: string;
  text: string;
}

export interface KnowledgeSources {
  /** The shipped data directory and every one of its files. */
  dataDir: string;
  data: Record<DataFileName, DataFileText>;
  /** The user overlay directory consulted (null: none) and the files it holds. */
  userDataDir: string | null;
  user: Partial<Record<DataFileName, DataFileText>>;
}

function parseJson<S extends z.ZodType>(f: DataFileText, schema: S, user: boolean): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(f.text);
  } catch (e) {
    const message = `not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
    if (user) throw new InputError(message, { file: f.file });
    throw new Error(`${f.file}: ${message}`, { cause: e });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue === undefined ? undefined : issue.path.map(String).join('.');
    const message = issue?.message ?? 'invalid';
    if (user) throw new InputError(message, { file: f.file, field });
    throw new Error(`${f.file}: ${field ?? ''}: ${message}`);
  }
  return parsed.data;
}

/** Validates, merges (the overlay over the shipped data) and indexes the knowledge base. */
export function buildKnowledgeBase(src: KnowledgeSources): KnowledgeBase {
  const raws: string[] = [];
  const userFiles: string[] = [];
  const base = <S extends z.ZodType>(name: DataFileName, schema: S): z.infer<S> => {
    const f = src.data[name];
    raws.push(f.text);
    return parseJson(f, schema, false);
  };
  const overlay = <S extends z.ZodType>(name: DataFileName, schema: S): z.infer<S> | null => {
    const f = src.user[name];
    if (f === undefined) return null;
    raws.push(f.text);
    userFiles.push(name);
    return parseJson(f, schema, true);
  };
  let meta = base('meta.json', metaSchema);
  const buildMap = new Map(base('builds.json', buildsFileSchema).builds.map((b) => [b.build, b] as const));
  const cveMap = new Map(base('cves.json', cvesFileSchema).cves.map((c) => [c.id, c] as const));
  const productMap = new Map(
    base('lifecycle.json', lifecycleFileSchema).products.map((p) => [p.product, p] as const),
  );

  const userMeta = overlay('meta.json', metaOverlaySchema);
  if (userMeta !== null) {
    const asOf = userMeta.asOf !== undefined && userMeta.asOf > meta.asOf ? userMeta.asOf : meta.asOf;
    meta = metaSchema.parse({ ...meta, ...stripUndefined(userMeta), asOf });
  }
  const userBuilds = overlay('builds.json', buildsFileSchema);
  if (userBuilds !== null) for (const b of userBuilds.builds) buildMap.set(b.build, b);
  const userCves = overlay('cves.json', cvesOverlaySchema);
  userCves?.cves.forEach((c, i) => {
    const merged = { ...cveMap.get(c.id), ...stripUndefined(c) };
    const full = cveEntrySchema.safeParse(merged);
    if (!full.success) {
      throw new InputError(`a new CVE needs every field: ${full.error.issues[0]?.message ?? 'invalid'}`, {
        file: src.user['cves.json']?.file ?? 'cves.json',
        field: `cves.${i}.${full.error.issues[0]?.path.map(String).join('.') ?? ''}`,
      });
    }
    cveMap.set(c.id, full.data);
  });
  const userLifecycle = overlay('lifecycle.json', lifecycleOverlaySchema);
  userLifecycle?.products.forEach((p, i) => {
    const full = productInfoSchema.safeParse({ ...productMap.get(p.product), ...stripUndefined(p) });
    if (!full.success) {
      throw new InputError(`a new product needs every field: ${full.error.issues[0]?.message ?? 'invalid'}`, {
        file: src.user['lifecycle.json']?.file ?? 'lifecycle.json',
        field: `products.${i}`,
      });
    }
    productMap.set(p.product, full.data);
  });

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
    dirs: { dataDir: src.dataDir, userDataDir: src.userDataDir, userFiles },
    index: buildIndex(meta.asOf, builds, cves, products),
  };
}

/** Zod's partial objects carry explicit undefineds; an overlay must not erase base fields with them. */
function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
