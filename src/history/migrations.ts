// The history database's schema, migrated by the tool itself: PRAGMA user_version holds the
// number of migrations applied; each pending one runs in its own transaction, in order. A
// migration, once released, is never edited — a change is a new migration appended to the list.
import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  what: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    what: 'runs and their results',
    sql: `
      CREATE TABLE runs (
        id             INTEGER PRIMARY KEY,
        name           TEXT NOT NULL,
        started_at     TEXT NOT NULL,
        finished_at    TEXT,
        state          TEXT NOT NULL,
        run_dir        TEXT,
        auth_by        TEXT,
        auth_reference TEXT,
        auth_contact   TEXT,
        data_version   TEXT,
        data_as_of     TEXT,
        tool_version   TEXT,
        endpoints      INTEGER NOT NULL DEFAULT 0,
        exchange       INTEGER NOT NULL DEFAULT 0,
        vulnerable     INTEGER NOT NULL DEFAULT 0,
        recorded_at    TEXT NOT NULL,
        meta_json      TEXT NOT NULL,
        UNIQUE (name, started_at)
      );
      -- A rowid table, not WITHOUT ROWID: every row carries the record's JSON (1–3 kB), and
      -- WITHOUT ROWID only pays off for small rows (measured: a third smaller and faster).
      CREATE TABLE results (
        run_id        INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        endpoint_key  TEXT NOT NULL,
        target        TEXT NOT NULL,
        host          TEXT,
        ip            TEXT,
        port          INTEGER NOT NULL,
        scheme        TEXT NOT NULL,
        status        TEXT NOT NULL,
        error_code    TEXT,
        observed_at   TEXT NOT NULL,
        owner_name    TEXT,
        owner_contact TEXT,
        product       TEXT,
        build         TEXT,
        precision     TEXT,
        release_name  TEXT,
        patch_level   TEXT,
        certainty     TEXT,
        supported     INTEGER,
        kev_cves      TEXT,
        cve_count     INTEGER NOT NULL DEFAULT 0,
        record_json   TEXT NOT NULL,
        PRIMARY KEY (run_id, endpoint_key)
      );
      CREATE INDEX results_by_endpoint ON results (endpoint_key, observed_at);
      CREATE INDEX runs_by_name ON runs (name, started_at);
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export class HistorySchemaError extends Error {
  constructor(path: string, found: number) {
    super(
      `${path}: the history database has schema version ${found}, newer than this owa-audit understands (${SCHEMA_VERSION}); ` +
        'use a newer owa-audit or another --history file',
    );
    this.name = 'HistorySchemaError';
  }
}

/** Brings the database to SCHEMA_VERSION; returns the migrations applied. */
export function migrate(db: Database, path: string): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw new HistorySchemaError(path, current);
  let applied = 0;
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    applied++;
  }
  return applied;
}
