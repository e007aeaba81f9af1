// Records a run directory in the history: run.json's metadata and every record of results.jsonl,
// streamed into one transaction. A run is identified by its scan name and start time, so
// recording it again (a re-import, or a resumed run recorded once more after it finished)
// replaces the earlier copy instead of duplicating it.
import { join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { readResults, type ReadOptions, type ReadStats } from '../run-store/read-results.js';
import { readRunJson, type RunInfo } from '../run-store/run-info.js';
import { RESULTS_FILE, RUN_FILE } from '../run-store/run-dir.js';
import { TOOL_VERSION } from '../util/version.js';
import { rowOf, stateOf, RESULT_COLUMNS } from './endpoint-state.js';
import { HistoryError, HistoryStore, type StoredRun } from './store.js';

export interface RecordRunOptions {
  /** History database; created (with its directory) when missing. */
  path: string;
  /** Also record a run that did not finish (stopped, or still running). Default false: refused. */
  partial?: boolean;
  /** Time written as recorded_at (tests). Default now. */
  now?: Date;
  /** How results.jsonl is read (e.g. only its first `bytes`, with a `tap` sharing the pass). */
  read?: Pick<ReadOptions, 'bytes' | 'tap'>;
}

export interface RecordedRun {
  run: StoredRun;
  /** True when an earlier copy of this run was replaced. */
  replaced: boolean;
  /** Lines of results.jsonl that were not result records (skipped). */
  skippedLines: number;
}

/** run.json as the history needs it: a run without a start time cannot be placed. */
export async function readRunForHistory(runDir: string): Promise<{ info: RunInfo; raw: string }> {
  const { info, text } = await readRunJson(runDir);
  if (info.startedAt === null)
    throw new InputError('run.json has no startedAt: the run cannot be placed in the history', {
      file: join(runDir, RUN_FILE),
      field: 'startedAt',
    });
  return { info, raw: text };
}

/**
 * Record the run in `runDir` in the history database at `options.path`. Call it when a scan has
 * finished (after endRun) and before writing the reports, so they can show what changed.
 */
export async function recordRunInHistory(runDir: string, options: RecordRunOptions): Promise<RecordedRun> {
  const { info, raw } = await recordableRun(runDir, options);
  return inTurn(options.path, async () => {
    const store = HistoryStore.open(options.path);
    try {
      return await recordInto(store, runDir, info, raw, options.now ?? new Date(), options.read);
    } finally {
      store.close();
    }
  });
}

/** A recording written but not committed: only `store` sees the run until `commit`. */
export interface StagedRecording {
  /** The connection that holds the run (for the reports, which read it); closed by `close`. */
  store: HistoryStore;
  recorded: RecordedRun;
  /** Makes the run part of the history for everyone; throws a HistoryError when SQLite cannot. */
  commit(): void;
  /** Rolls back what was not committed, closes the connection, and lets the next recording in. */
  close(): void;
}

/**
 * As recordRunInHistory, but the transaction stays open: the reports read the run on `store`
 * while the commit, which writes the whole run out (~0.1 s for 600 records), waits until Chromium
 * prints (src/outputs/finish-run.ts). Other recordings of the database in this process wait for
 * `close`; other processes wait for SQLite's lock (busy_timeout), as during any recording.
 */
export async function stageRunInHistory(runDir: string, options: RecordRunOptions): Promise<StagedRecording> {
  const { info, raw } = await recordableRun(runDir, options);
  let release = (): void => undefined;
  const turnOver = new Promise<void>((resolve) => (release = resolve));
  return new Promise<StagedRecording>((resolve, reject) => {
    void inTurn(options.path, async () => {
      const store = HistoryStore.open(options.path);
      let recorded: RecordedRun;
      try {
        recorded = await recordInto(store, runDir, info, raw, options.now ?? new Date(), options.read, false);
      } catch (e) {
        store.close();
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed on as it came
        reject(e);
        return;
      }
      let closed = false;
      resolve({
        store,
        recorded,
        commit: () => commitRecording(store, runDir),
        close: () => {
          if (closed) return;
          closed = true;
          try {
            if (store.db.inTransaction) store.db.exec('ROLLBACK');
          } finally {
            store.close();
            release();
          }
        },
      });
      await turnOver;
    });
  });
}

/** run.json of a run that may be recorded: finished, or `partial` allowed. */
async function recordableRun(
  runDir: string,
  options: RecordRunOptions,
): Promise<{ info: RunInfo; raw: string }> {
  const read = await readRunForHistory(runDir);
  const { info } = read;
  if (info.state !== 'finished' && options.partial !== true) {
    throw new InputError(
      `the run did not finish (state: ${info.state ?? 'unknown'}); finish it with \`owa-audit scan --resume ${runDir}\` ` +
        'or record it as it is with `owa-audit history import --partial`',
      { file: join(runDir, RUN_FILE), field: 'state' },
    );
  }
  return read;
}

function commitRecording(store: HistoryStore, runDir: string): void {
  try {
    store.db.exec('COMMIT');
  } catch (e) {
    if (store.db.inTransaction) store.db.exec('ROLLBACK');
    throw new HistoryError(`${store.path}: recording ${runDir} failed: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

// A recording holds SQLite's write lock across awaits (the file is read asynchronously). A second
// connection in the same process would then wait in SQLite's busy handler, which blocks the event
// loop the first one needs to finish: recordings of one database in one process take turns here.
// (Other processes simply wait for the lock: busy_timeout.)
const queues = new Map<string, Promise<unknown>>();

/** Runs `body` when no other recording of the database at `path` is in progress in this process. */
export async function inTurn<T>(path: string, body: () => Promise<T>): Promise<T> {
  const key = resolve(path);
  const before = queues.get(key) ?? Promise.resolve();
  const mine = before.then(body, body);
  const tail = mine.catch(() => undefined);
  queues.set(key, tail);
  try {
    return await mine;
  } finally {
    if (queues.get(key) === tail) queues.delete(key);
  }
}

/**
 * As recordRunInHistory, into an open store (diff uses a temporary one). With `commit` false the
 * transaction is left open for the caller to commit (stageRunInHistory).
 */
export async function recordInto(
  store: HistoryStore,
  runDir: string,
  info: RunInfo,
  rawMeta: string,
  now: Date,
  read: ReadOptions = {},
  commit = true,
): Promise<RecordedRun> {
  const db = store.db;
  const startedAt = info.startedAt ?? '';
  const insert = db.prepare(
    `INSERT OR REPLACE INTO results (run_id, ${RESULT_COLUMNS.join(', ')}, record_json)
     VALUES (@run_id, ${RESULT_COLUMNS.map((c) => `@${c}`).join(', ')}, @record_json)`,
  );
  const stats: ReadStats = { records: 0, skippedLines: 0 };
  // One transaction across the whole file: readers see the old copy or the new one, never half.
  // The file is read asynchronously between inserts, so BEGIN/COMMIT are issued by hand (better-
  // sqlite3's transaction() wrapper is synchronous); nothing else uses this connection meanwhile.
  db.exec('BEGIN IMMEDIATE');
  let replaced = false;
  let runId: number;
  try {
    const existing = store.findRun(info.name, startedAt);
    const fields = {
      name: info.name,
      started_at: startedAt,
      finished_at: info.finishedAt,
      state: info.state ?? 'unknown',
      run_dir: resolve(runDir),
      auth_by: info.authorisation.by,
      auth_reference: info.authorisation.reference,
      auth_contact: info.authorisation.contact,
      data_version: info.data.version,
      data_as_of: info.data.asOf,
      tool_version: info.tool.version ?? TOOL_VERSION,
      recorded_at: now.toISOString(),
      meta_json: rawMeta,
    };
    if (existing === null) {
      const res = db
        .prepare(
          `INSERT INTO runs (name, started_at, finished_at, state, run_dir, auth_by, auth_reference, auth_contact, data_version,
             data_as_of, tool_version, recorded_at, meta_json)
           VALUES (@name, @started_at, @finished_at, @state, @run_dir, @auth_by, @auth_reference, @auth_contact, @data_version,
             @data_as_of, @tool_version, @recorded_at, @meta_json)`,
        )
        .run(fields);
      runId = Number(res.lastInsertRowid);
    } else {
      replaced = true;
      runId = existing.id;
      db.prepare('DELETE FROM results WHERE run_id = ?').run(runId);
      db.prepare(
        `UPDATE runs SET finished_at = @finished_at, state = @state, run_dir = @run_dir, auth_by = @auth_by,
           auth_reference = @auth_reference, auth_contact = @auth_contact, data_version = @data_version,
           data_as_of = @data_as_of, tool_version = @tool_version, recorded_at = @recorded_at, meta_json = @meta_json
         WHERE id = @id`,
      ).run({ ...fields, id: runId });
    }
    for await (const record of readResults(join(runDir, RESULTS_FILE), stats, read)) {
      insert.run({ run_id: runId, ...rowOf(stateOf(record)), record_json: JSON.stringify(record) });
    }
    // Counted from the table, not while reading: a key repeated in the file is stored once.
    db.prepare(
      `UPDATE runs SET
         endpoints = (SELECT count(*) FROM results WHERE run_id = @id),
         exchange = (SELECT count(*) FROM results WHERE run_id = @id AND status = 'exchange'),
         vulnerable = (SELECT count(*) FROM results WHERE run_id = @id AND status = 'exchange' AND patch_level = 'vulnerable')
       WHERE id = @id`,
    ).run({ id: runId });
    if (commit) db.exec('COMMIT');
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError('not a run directory: results.jsonl is missing', {
        file: join(runDir, RESULTS_FILE),
      });
    }
    if (e instanceof InputError || e instanceof HistoryError) throw e;
    throw new HistoryError(`${store.path}: recording ${runDir} failed: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const run = store.getRun(runId);
  if (run === null) throw new HistoryError(`${store.path}: the run just recorded is missing`);
  return { run, replaced, skippedLines: stats.skippedLines };
}
