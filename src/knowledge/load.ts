// The edge that reads the knowledge base: the shipped data/ directory of the package and the
// user data directory (what `owa-audit data update` writes) found through the environment and the
// home directory. classify/ builds the knowledge base from the texts read here and stays pure.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  buildKnowledgeBase,
  DATA_FILES,
  type DataFileName,
  type DataFileText,
  type KnowledgeBase,
} from '../classify/knowledge-base.js';
import { PACKAGE_ROOT } from '../util/version.js';
import { defaultUserDataDir } from './user-data-dir.js';

export const DEFAULT_DATA_DIR = join(PACKAGE_ROOT, 'data');

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
  const kb = buildKnowledgeBase({
    dataDir,
    data: Object.fromEntries(DATA_FILES.map((name) => [name, readData(join(dataDir, name))])) as Record<
      DataFileName,
      DataFileText
    >,
    userDataDir,
    user: userDataDir === null ? {} : readOverlay(userDataDir),
  });
  cache.set(key, kb);
  return kb;
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
