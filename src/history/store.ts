// The history database (SQLite through better-sqlite3): opened, configured and migrated here;
// every query the rest of the tool needs is a method, so SQL lives in this file and record-run.ts.
// WAL lets a report read while a scan records; busy_timeout makes a second writer wait its turn
// instead of failing.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';
import { RESULT_COLUMNS, stateFromRow, type EndpointState, type ResultRow } from './endpoint-state.js';

/** How long a writer waits for another one (a scan recording a large run) before giving up. */
const BUSY_TIMEOUT_MS = 60_000;

export class HistoryError extends Error {
  readonly exitCode = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HistoryError';
  }
}

export interface StoredRun {
  id: number;
  name: string;
  startedAt: string;
  finishedAt: string | null;
  state: string;
  runDir: string | null;
  authReference: string | null;
  dataVersion: string | null;
  dataAsOf: string | null;
  endpoints: number;
  exchange: number;
  vulnerable: number;
  recordedAt: string;
}

interface RunRow {
  id: number;
  name: string;
  started_at: string;
  finished_at: string | null;
  state: string;
  run_dir: string | null;
  auth_reference: string | null;
  data_version: string | null;
  data_as_of: string | null;
  endpoints: number;
  exchange: number;
  vulnerable: number;
  recorded_at: string;
}

function runOf(r: RunRow): StoredRun {
  return {
    id: r.id,
    name: r.name,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    state: r.state,
    runDir: r.run_dir,
    authReference: r.auth_reference,
    dataVersion: r.data_version,
    dataAsOf: r.data_as_of,
    endpoints: r.endpoints,
    exchange: r.exchange,
    vulnerable: r.vulnerable,
    recordedAt: r.recorded_at,
  };
}

const RUN_FIELDS =
  'id, name, started_at, finished_at, state, run_dir, auth_reference, data_version, data_as_of, endpoints, exchange, vulnerable, recorded_at';
const STATE_FIELDS = RESULT_COLUMNS.join(', ');

/** One observation of an endpoint, for its per-host history. */
export interface Observation {
  runId: number;
  observedAt: string;
  status: string;
  patchLevel: string | null;
}

interface ObservationRow {
  run_id: number;
  observed_at: string;
  status: string;
  patch_level: string | null;
}

export class HistoryStore {
  private observationsQuery: Database.Statement<[string, string, number], ObservationRow> | null = null;

  private constructor(
    readonly path: string,
    readonly db: Database.Database,
  ) {}

  /** Opens (and migrates) the database at `path`, creating it and its directory when missing. */
  static open(path: string): HistoryStore {
    const store = HistoryStore.openAt(path, { create: true });
    if (store === null) throw new HistoryError(`${path}: cannot create the history database`);
    return store;
  }

  /** As open(), but a missing file is not created (null): readers never leave an empty database behind. */
  static openExisting(path: string): HistoryStore | null {
    return HistoryStore.openAt(path, { create: false });
  }

  private static openAt(path: string, options: { create: boolean }): HistoryStore | null {
    let db: Database.Database;
    try {
      if (options.create && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      db = new Database(path, { fileMustExist: !options.create });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (!options.create && (code === 'SQLITE_CANTOPEN' || /does not exist/i.test((e as Error).message)))
        return null;
      throw new HistoryError(`${path}: cannot open the history database: ${(e as Error).message}`, {
        cause: e,
      });
    }
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      if (path !== ':memory:') db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db, path);
    } catch (e) {
      db.close();
      if (e instanceof Error && e.name === 'HistorySchemaError')
        throw new HistoryError(e.message, { cause: e });
      throw new HistoryError(`${path}: not a usable history database: ${(e as Error).message}`, { cause: e });
    }
    return new HistoryStore(path, db);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  findRun(name: string, startedAt: string): StoredRun | null {
    const row = this.db
      .prepare<[string, string], RunRow>(`SELECT ${RUN_FIELDS} FROM runs WHERE name = ? AND started_at = ?`)
      .get(name, startedAt);
    return row === undefined ? null : runOf(row);
  }

  getRun(id: number): StoredRun | null {
    const row = this.db.prepare<[number], RunRow>(`SELECT ${RUN_FIELDS} FROM runs WHERE id = ?`).get(id);
    return row === undefined ? null : runOf(row);
  }

  /** Runs, oldest first; only those of scan `name` when given. */
  listRuns(name?: string): StoredRun[] {
    const rows =
      name === undefined
        ? this.db.prepare<[], RunRow>(`SELECT ${RUN_FIELDS} FROM runs ORDER BY started_at, id`).all()
        : this.db
            .prepare<[string], RunRow>(
              `SELECT ${RUN_FIELDS} FROM runs WHERE name = ? ORDER BY started_at, id`,
            )
            .all(name);
    return rows.map(runOf);
  }

  /** The latest finished run of the same scan that started before `run`: what "since the last scan" compares with. */
  previousRun(run: Pick<StoredRun, 'id' | 'name' | 'startedAt'>): StoredRun | null {
    const row = this.db
      .prepare<[string, string, number], RunRow>(
        `SELECT ${RUN_FIELDS} FROM runs WHERE name = ? AND started_at < ? AND id <> ? AND state = 'finished'
         ORDER BY started_at DESC, id DESC LIMIT 1`,
      )
      .get(run.name, run.startedAt, run.id);
    return row === undefined ? null : runOf(row);
  }

  /**
   * Both sides of every endpoint that is Exchange in at least one of the two runs, streamed:
   * endpoints that are Exchange in neither run cannot be in any diff category, so they never
   * leave the database.
   */
  *exchangePairs(before: number, after: number): Generator<[EndpointState | null, EndpointState | null]> {
    const cols = (t: string): string => RESULT_COLUMNS.map((c) => `${t}.${c} AS ${t}_${c}`).join(', ');
    const split = (row: Record<string, unknown>, t: string): EndpointState | null => {
      if (row[`${t}_endpoint_key`] === null || row[`${t}_endpoint_key`] === undefined) return null;
      const r: Record<string, unknown> = {};
      for (const c of RESULT_COLUMNS) r[c] = row[`${t}_${c}`];
      return stateFromRow(r as unknown as ResultRow);
    };
    // Exchange before (with whatever the endpoint was after), then Exchange only after.
    const fromBefore = this.db.prepare<[number, number], Record<string, unknown>>(
      `SELECT ${cols('a')}, ${cols('b')} FROM results a LEFT JOIN results b ON b.run_id = ? AND b.endpoint_key = a.endpoint_key
       WHERE a.run_id = ? AND a.status = 'exchange' ORDER BY a.endpoint_key`,
    );
    for (const row of fromBefore.iterate(after, before)) yield [split(row, 'a'), split(row, 'b')];
    const fromAfter = this.db.prepare<[number, number], Record<string, unknown>>(
      `SELECT ${cols('a')}, ${cols('b')} FROM results b LEFT JOIN results a ON a.run_id = ? AND a.endpoint_key = b.endpoint_key
       WHERE b.run_id = ? AND b.status = 'exchange' AND (a.status IS NULL OR a.status <> 'exchange') ORDER BY b.endpoint_key`,
    );
    for (const row of fromAfter.iterate(before, after)) yield [split(row, 'a'), split(row, 'b')];
  }

  /** Earlier observations of an endpoint (any scan), up to `until`, oldest first; `exceptRun` left out. */
  observations(key: string, until: string, exceptRun: number | null): Observation[] {
    // Asked once per endpoint by each report pass: the statement is compiled once per connection.
    this.observationsQuery ??= this.db.prepare<[string, string, number], ObservationRow>(
      `SELECT run_id, observed_at, status, patch_level FROM results
       WHERE endpoint_key = ? AND observed_at <= ? AND run_id <> ? ORDER BY observed_at, run_id`,
    );
    return this.observationsQuery.all(key, until, exceptRun ?? -1).map((r) => ({
      runId: r.run_id,
      observedAt: r.observed_at,
      status: r.status,
      patchLevel: r.patch_level,
    }));
  }

  /** The stored state of one endpoint in one run. */
  endpointIn(runId: number, key: string): EndpointState | null {
    const row = this.db
      .prepare<[number, string], ResultRow>(
        `SELECT ${STATE_FIELDS} FROM results WHERE run_id = ? AND endpoint_key = ?`,
      )
      .get(runId, key);
    return row === undefined ? null : stateFromRow(row);
  }
}
