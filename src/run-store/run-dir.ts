// The run directory (README "Run directory"): run.json describes the run (run-meta.ts is its one
// model), results.jsonl holds its records. run.json is always replaced atomically and durably
// (util/atomic-file.ts), so a reader — or a resume after kill -9 — sees the old or the new file,
// never half.
//
// createRun() is also the pre-flight check: it creates the directory and writes and fsyncs
// run.json and results.jsonl before any packet is sent, so an unwritable path or a full disk
// fails the scan up front with a RunDirError naming the path.
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ENDPOINT_STATUSES, type EndpointStatus } from '../core/result-schema.js';
import { parseRunMeta, RUN_SCHEMA, type RunMeta, type RunSettings, type ShardSpec } from './run-meta.js';
import type { Authorisation, ProbeSettings } from '../scanfile/types.js';
import { TOOL_NAME, TOOL_VERSION } from '../util/version.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { makeDirs } from '../util/make-dirs.js';
import { RunDirError } from '../core/errors.js';
import { utcStamp } from '../core/time.js';

export const RUN_FILE = 'run.json';
export const RESULTS_FILE = 'results.jsonl';

export interface NewRun {
  name: string;
  scanFile: { path: string; source: string };
  authorisation: Authorisation;
  settings: RunSettings;
  overrides?: Partial<ProbeSettings>;
  data: { version: string | null; asOf: string | null };
  /** Default: now. */
  startedAt?: string;
  /** Default: null (the whole scan). */
  shard?: ShardSpec | null;
}

export function emptyCounts(): Record<EndpointStatus, number> {
  return Object.fromEntries(ENDPOINT_STATUSES.map((s) => [s, 0])) as Record<EndpointStatus, number>;
}

/**
 * `scans/runs/<name>-<UTC timestamp>` with a name safe in a path; a shard run adds
 * `-shard<K>of<N>`, so the shards of one scan started in the same second never collide.
 */
export function defaultRunDir(
  name: string,
  now: Date = new Date(),
  base = join('scans', 'runs'),
  shard: ShardSpec | null = null,
): string {
  const safe =
    name
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/\.{2,}/g, '.')
      .replace(/^[-.]+/, '')
      .slice(0, 80) || 'scan';
  const stamp = utcStamp(now);
  const part = shard === null ? '' : `-shard${shard.index}of${shard.count}`;
  return join(base, `${safe}-${stamp}${part}`);
}

export async function saveRun(dir: string, meta: RunMeta): Promise<void> {
  const file = join(dir, RUN_FILE);
  try {
    await writeFileAtomic(file, `${JSON.stringify(meta, null, 2)}\n`, { durable: true });
  } catch (err) {
    throw new RunDirError(file, `cannot write: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Create the run directory and its files, proving they can be written. Refuses a directory that
 * already holds a run (resume it instead).
 */
export async function createRun(dir: string, init: NewRun): Promise<RunMeta> {
  try {
    await makeDirs(dir);
  } catch (err) {
    throw new RunDirError(dir, `cannot create the run directory: ${(err as Error).message}`, { cause: err });
  }
  const existing = await readFile(join(dir, RUN_FILE), 'utf8').catch(() => null);
  if (existing !== null)
    throw new RunDirError(dir, 'already holds a run; resume it with --resume or choose another --out');
  const stray = await stat(join(dir, RESULTS_FILE)).catch(() => null);
  if (stray !== null && stray.size > 0)
    throw new RunDirError(dir, `holds a ${RESULTS_FILE} without a ${RUN_FILE}; choose another --out`);

  const meta: RunMeta = {
    schema: RUN_SCHEMA,
    name: init.name,
    scanFile: init.scanFile,
    authorisation: init.authorisation,
    settings: init.settings,
    overrides: init.overrides ?? {},
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    data: init.data,
    startedAt: init.startedAt ?? new Date().toISOString(),
    finishedAt: null,
    state: 'running',
    counts: emptyCounts(),
    requests: 0,
    resumedAt: [],
    shard: init.shard ?? null,
  };
  await saveRun(dir, meta);
  const results = join(dir, RESULTS_FILE);
  try {
    const fh = await open(results, 'a');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw new RunDirError(results, `cannot create: ${(err as Error).message}`, { cause: err });
  }
  return meta;
}

/** run.json read and parsed as JSON — or what stopped that; each reader raises its own error. */
export type RunFileRead =
  | { ok: true; file: string; text: string; raw: unknown }
  | { ok: false; file: string; missing: boolean; message: string; cause: unknown };

export async function readRunFile(dir: string): Promise<RunFileRead> {
  const file = join(dir, RUN_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      file,
      missing: code === 'ENOENT',
      message: `cannot read: ${(err as Error).message}`,
      cause: err,
    };
  }
  try {
    return { ok: true, file, text, raw: JSON.parse(text) };
  } catch (err) {
    return {
      ok: false,
      file,
      missing: false,
      message: `not valid JSON: ${(err as Error).message}`,
      cause: err,
    };
  }
}

/** The run as the commands that continue it need it: the whole model, or a RunDirError. */
export async function loadRun(dir: string): Promise<RunMeta> {
  const read = await readRunFile(dir);
  if (!read.ok) {
    throw new RunDirError(
      read.file,
      read.missing ? 'not a run directory (run.json is missing)' : read.message,
      {
        cause: read.cause,
      },
    );
  }
  const parsed = parseRunMeta(read.raw);
  if (!parsed.ok) throw new RunDirError(read.file, `not a run description: ${parsed.problem}`);
  return parsed.meta;
}

/** Record a resume: state back to running, the resume's start time appended. */
export async function markResumed(dir: string, meta: RunMeta, at: Date = new Date()): Promise<RunMeta> {
  const next: RunMeta = {
    ...meta,
    state: 'running',
    finishedAt: null,
    resumedAt: [...meta.resumedAt, at.toISOString()],
  };
  await saveRun(dir, next);
  return next;
}

/** Final state of this session of the run: finished when the target list was exhausted, else stopped. */
export async function markEnded(
  dir: string,
  meta: RunMeta,
  outcome: { state: 'finished' | 'stopped'; counts: Record<EndpointStatus, number>; requests: number },
  at: Date = new Date(),
): Promise<RunMeta> {
  const next: RunMeta = {
    ...meta,
    state: outcome.state,
    finishedAt: outcome.state === 'finished' ? at.toISOString() : null,
    counts: outcome.counts,
    requests: outcome.requests,
  };
  await saveRun(dir, next);
  return next;
}
