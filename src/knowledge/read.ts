// Reading the knowledge base's files: the shipped data/ directory of the package and the user data
// directory (what `owa-audit data update` writes), and the one cache of what was built from them.
// No schema here: load.ts validates, load-async.ts validates only when there is something to.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  DATA_FILES,
  type DataFileName,
  type DataFileText,
  type KnowledgeBase,
  type KnowledgeSources,
} from '../classify/knowledge-base.js';
import { PACKAGE_ROOT } from '../util/version.js';
import { defaultUserDataDir } from './user-data-dir.js';

export const DEFAULT_DATA_DIR = join(PACKAGE_ROOT, 'data');

export interface KnowledgeOptions {
  dataDir?: string;
  userDataDir?: string | null;
}

/** Which files a load reads, and the key of what it builds. */
export interface KnowledgeRequest {
  key: string;
  dataDir: string;
  userDataDir: string | null;
  /** The package's own data directory: checked against the schemas by the test suite. */
  shipped: boolean;
}

const cache = new Map<string, KnowledgeBase>();

/**
 * `userDataDir` omitted: the default user data directory (defaultUserDataDir()), so that every
 * command sees what `data update` wrote; null: the shipped data alone.
 */
export function knowledgeRequest(opts: KnowledgeOptions): KnowledgeRequest {
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
  return { key, dataDir, userDataDir, shipped: dataDir === resolve(DEFAULT_DATA_DIR) };
}

export function cachedKnowledgeBase(req: KnowledgeRequest): KnowledgeBase | undefined {
  return cache.get(req.key);
}

export function rememberKnowledgeBase(req: KnowledgeRequest, kb: KnowledgeBase): KnowledgeBase {
  cache.set(req.key, kb);
  return kb;
}

export function readKnowledgeSources(req: KnowledgeRequest): KnowledgeSources {
  return {
    dataDir: req.dataDir,
    data: Object.fromEntries(DATA_FILES.map((name) => [name, readData(join(req.dataDir, name))])) as Record<
      DataFileName,
      DataFileText
    >,
    userDataDir: req.userDataDir,
    user: req.userDataDir === null ? {} : readOverlay(req.userDataDir),
  };
}

function overlaySignature(dir: string): string {
  return DATA_FILES.map((name) => {
    const st = statSync(join(dir, name), { throwIfNoEntry: false });
    return st === undefined ? '-' : `${st.ino}:${st.size}:${st.mtimeMs}`;
  }).join('|');
}

function readData(file: string): DataFileText {
  try {
    return { file, text: readFileSync(file, 'utf8') };
  } catch (e) {
    throw new Error(
      `cannot read knowledge-base file ${file}: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
}

/** The overlay files the user data directory holds; an absent one is no error. */
function readOverlay(dir: string): Partial<Record<DataFileName, DataFileText>> {
  const files: Partial<Record<DataFileName, DataFileText>> = {};
  for (const name of DATA_FILES) {
    const file = join(dir, name);
    if (existsSync(file)) files[name] = readData(file);
  }
  return files;
}
