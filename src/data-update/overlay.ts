// The user data directory on disk: what an earlier update left (read), and the new overlay
// (written). Writing stages every file in a fresh directory inside the target, fsyncs them, lets
// the caller verify the staged set by loading it, and only then renames the files into place, the
// record of the update last. A refused or failed update leaves the directory as it was. One update
// at a time: a lock file with the writer's pid (a stale lock of a dead process is taken over).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  buildsFileSchema,
  cvesOverlaySchema,
  metaOverlaySchema,
  type BuildEntry,
  type CveEntry,
  type DataMeta,
} from '../classify/data-schema.js';
import { InputError } from '../core/errors.js';
import { DataUpdateError } from './errors.js';
import { fsyncDir, writeFileSynced } from '../util/atomic-file.js';
import { takePidLock, type PidLock } from '../util/pid-lock.js';
import { PRODUCTS } from '../core/result-schema.js';
import { DATA_FILES } from '../classify/knowledge-base.js';

export const UPDATE_RECORD_FILE = 'update.json';
export const UPDATE_RECORD_FORMAT = 'owa-audit/data-update@1';
const LOCK_FILE = '.update.lock';

const updateRecordSchema = z.object({
  format: z.literal(UPDATE_RECORD_FORMAT),
  updatedAt: z.string(),
  tool: z.object({ name: z.string(), version: z.string() }),
  shippedDataVersion: z.string(),
  dataVersion: z.string(),
  asOf: z.string(),
  snapshots: z.object({ builds: z.string(), kev: z.string() }),
  sources: z.array(
    z.object({
      kind: z.string(),
      id: z.string(),
      label: z.string(),
      remote: z.boolean(),
      bytes: z.number(),
      sha256: z.string(),
      retrievedAt: z.string(),
      snapshotDay: z.string(),
      rows: z.number().optional(),
      /** Rows (KEV entries) skipped as bad. */
      skipped: z.number().optional(),
      catalogVersion: z.string().nullable().optional(),
    }),
  ),
  notMappedToCves: z.array(z.object({ build: z.string(), product: z.enum(PRODUCTS), name: z.string() })),
  kevNotMapped: z.array(z.object({ cve: z.string(), dateAdded: z.string(), name: z.string() })),
  unmappedLines: z.array(z.object({ cve: z.string(), product: z.enum(PRODUCTS), line: z.string() })),
});
/** What `data update` records about itself next to the overlay (the loader does not read it). */
export type UpdateRecord = z.infer<typeof updateRecordSchema>;

export interface OverlayFiles {
  meta: Partial<DataMeta> | null;
  builds: BuildEntry[];
  cves: Partial<CveEntry>[];
  /** lifecycle.json as found: an update never changes it, only carries it over. */
  lifecycleRaw: string | null;
  record: UpdateRecord | null;
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new InputError(`cannot read: ${(e as Error).message}`, { file });
  }
}

function parseWith<S extends z.ZodType>(file: string, text: string, schema: S): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON: ${(e as Error).message}`, { file });
  }
  const r = schema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(issue?.message ?? 'invalid', { file, field: issue?.path.map(String).join('.') });
  }
  return r.data;
}

/** The overlay an earlier update wrote; empty when the directory or its files do not exist. */
export async function readOverlay(dir: string): Promise<OverlayFiles> {
  const metaText = await readText(join(dir, 'meta.json'));
  const buildsText = await readText(join(dir, 'builds.json'));
  const cvesText = await readText(join(dir, 'cves.json'));
  const recordText = await readText(join(dir, UPDATE_RECORD_FILE));
  let record: UpdateRecord | null = null;
  if (recordText !== null) {
    // Only informative (sources, what was left unmapped): a damaged record is ignored, not fatal.
    try {
      const r = updateRecordSchema.safeParse(JSON.parse(recordText));
      record = r.success ? r.data : null;
    } catch {
      record = null;
    }
  }
  return {
    meta:
      metaText === null
        ? null
        : (parseWith(join(dir, 'meta.json'), metaText, metaOverlaySchema) as Partial<DataMeta>),
    builds:
      buildsText === null ? [] : parseWith(join(dir, 'builds.json'), buildsText, buildsFileSchema).builds,
    cves:
      cvesText === null
        ? []
        : (parseWith(join(dir, 'cves.json'), cvesText, cvesOverlaySchema).cves as Partial<CveEntry>[]),
    lifecycleRaw: await readText(join(dir, 'lifecycle.json')),
    record,
  };
}

export interface NewOverlay {
  meta: DataMeta;
  builds: BuildEntry[];
  cves: Partial<CveEntry>[];
  lifecycleRaw: string | null;
}

/** Same layout as data/ (stable key order, one space indent), so diffs between updates stay small. */
function json(value: unknown): string {
  return `${JSON.stringify(value, null, 1)}\n`;
}

/** A staged overlay: its files are complete and synced; nothing in the target changed yet. */
export interface Staged {
  dir: string;
  files: string[];
  /** Moves the staged files into the target (meta.json last), then the update record. */
  commit(record: UpdateRecord): Promise<void>;
  /** Removes the staging directory (after commit, or instead of it). */
  discard(): Promise<void>;
}

/** Stages inside `target` (created if missing), or in the system temp directory for a dry run. */
export async function stageOverlay(
  target: string,
  overlay: NewOverlay,
  opts: { dryRun: boolean },
): Promise<Staged> {
  let dir: string;
  if (opts.dryRun) dir = await mkdtemp(join(tmpdir(), 'owa-audit-data-'));
  else {
    await mkdir(target, { recursive: true });
    dir = await mkdtemp(join(target, '.staging-'));
  }
  const files: [string, string][] = [
    ['builds.json', json({ builds: overlay.builds })],
    ['cves.json', json({ cves: overlay.cves })],
  ];
  if (overlay.lifecycleRaw !== null) files.push(['lifecycle.json', overlay.lifecycleRaw]);
  files.push(['meta.json', json(overlay.meta)]);
  try {
    for (const [name, text] of files) await writeFileSynced(join(dir, name), text);
    await fsyncDir(dir);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    dir,
    files: files.map(([n]) => n),
    async commit(record) {
      await writeFileSynced(join(dir, UPDATE_RECORD_FILE), json(record));
      for (const [name] of files) await rename(join(dir, name), join(target, name));
      await rename(join(dir, UPDATE_RECORD_FILE), join(target, UPDATE_RECORD_FILE));
      await fsyncDir(target);
    },
    async discard() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type UpdateLock = PidLock;

/** One `data update` per user data directory at a time. */
export async function lockUserData(dir: string): Promise<UpdateLock> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, LOCK_FILE);
  const taken = await takePidLock(file).catch((e: unknown) => {
    throw new DataUpdateError([{ source: null, message: `cannot lock ${dir}: ${(e as Error).message}` }]);
  });
  if ('lock' in taken) return taken.lock;
  throw new DataUpdateError([
    {
      source: null,
      message: `another data update (process ${taken.heldBy}) is writing ${dir}; remove ${file} if that is wrong`,
    },
  ]);
}

/** True when `dir` holds any overlay file. */
export function hasOverlay(dir: string): boolean {
  return DATA_FILES.some((n) => existsSync(join(dir, n)));
}

/** Staging directories a killed update left behind (called under the lock). */
export async function removeStaleStaging(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const n of names)
    if (n.startsWith('.staging-')) await rm(join(dir, n), { recursive: true, force: true });
}
