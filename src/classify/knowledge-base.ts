// The knowledge base from the texts of its files: the shipped data/ directory, optionally overlaid
// by a user data directory of the same shape (what `owa-audit data update` writes), merged and
// indexed. Pure: the files are read by the edge loader (src/knowledge/), which passes their texts
// in; the paths only name them in messages. This module needs no schema: the package's own data
// is checked against the schemas by the test suite (test/knowledge-shipped.test.ts), so a command
// that reads nothing else — `classify` — indexes it as it is; everything else (a user overlay,
// another data directory) goes through knowledge-build.ts, which validates it with zod.
import { createHash } from 'node:crypto';
import { compareBuilds } from '../core/build-number.js';
import type { BuildEntry, CveEntry, DataMeta, ProductInfo } from './data-schema.js';
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

/** The content of the data files once parsed (and merged), before it is indexed. */
export interface KnowledgeData {
  meta: DataMeta;
  builds: Iterable<BuildEntry>;
  cves: Iterable<CveEntry>;
  products: Iterable<ProductInfo>;
  /** The texts of every file read, shipped first, for the data version's hash. */
  raws: string[];
  /** The overlay files read (names). */
  userFiles: string[];
}

/** Sorts and indexes parsed data; the data version is the as-of date and a hash of the texts. */
export function indexKnowledgeBase(data: KnowledgeData, src: KnowledgeSources): KnowledgeBase {
  const builds = [...data.builds].sort((a, b) => compareBuilds(a.build, b.build));
  const cves = [...data.cves];
  const products = [...data.products];
  const hash = createHash('sha256');
  for (const raw of data.raws) hash.update(raw).update('\0');
  const meta = data.meta;
  return {
    asOf: meta.asOf,
    dataVersion: `${meta.asOf}+${hash.digest('hex').slice(0, 8)}`,
    meta,
    builds,
    cves,
    products,
    dirs: { dataDir: src.dataDir, userDataDir: src.userDataDir, userFiles: data.userFiles },
    index: buildIndex(meta.asOf, builds, cves, products),
  };
}

/** A shipped data file as it is: not valid JSON is a broken package, not bad input. */
export function parseShippedJson(f: DataFileText): unknown {
  try {
    return JSON.parse(f.text);
  } catch (e) {
    throw new Error(`${f.file}: not valid JSON: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/**
 * The package's own data alone (no overlay), taken as it is: the test suite checks that it passes
 * the schemas unchanged. Anything else goes through buildKnowledgeBase() (knowledge-build.ts).
 */
export function buildShippedKnowledgeBase(src: KnowledgeSources): KnowledgeBase {
  if (Object.keys(src.user).length > 0) throw new Error('a user overlay needs buildKnowledgeBase()');
  const file = (name: DataFileName): unknown => parseShippedJson(src.data[name]);
  return indexKnowledgeBase(
    {
      meta: file('meta.json') as DataMeta,
      builds: (file('builds.json') as { builds: BuildEntry[] }).builds,
      cves: (file('cves.json') as { cves: CveEntry[] }).cves,
      products: (file('lifecycle.json') as { products: ProductInfo[] }).products,
      raws: DATA_FILES.map((name) => src.data[name].text),
      userFiles: [],
    },
    src,
  );
}
