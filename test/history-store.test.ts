// The history database: migrated by the tool (user_version, ordered migrations, WAL), runs
// recorded in one transaction, idempotent re-recording, refusal of unfinished runs, turn-taking
// of recordings in one process, and the location rule (--history / --no-history / env / default).
import { existsSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from '../src/history/migrations.js';
import { HistoryError, HistoryStore } from '../src/history/store.js';
import { recordRunInHistory } from '../src/history/record-run.js';
import { DEFAULT_HISTORY_PATH, resolveHistoryPath } from '../src/history/config.js';
import { InputError } from '../src/core/errors.js';
import { tempDirs } from './helpers/temp-dirs.js';
import { daysFrom, record, writeRun } from './fixtures/history/runs.js';

const { fresh } = tempDirs('owa-history-store-');

const T0 = '2026-11-13T09:00:00.000Z';
const owner = { name: 'Alpha Ltd', contact: 'soc@alpha.example' };

function sampleRun(dir: string, startedAt = T0, state: 'finished' | 'stopped' = 'finished'): string {
  return writeRun(dir, {
    startedAt,
    state,
    ...(state === 'stopped' ? { finishedAt: null } : {}),
    records: [
      record({
        ip: '192.0.2.1',
        host: 'mail.alpha.example',
        kev: ['CVE-2023-21529'],
        owner,
        observedAt: startedAt,
      }),
      record({ ip: '192.0.2.2', patchLevel: 'outdated', owner, observedAt: startedAt }),
      record({ ip: '192.0.2.3', status: 'not-exchange', observedAt: startedAt }),
      record({ ip: '192.0.2.4', error: 'connection-refused', observedAt: startedAt }),
    ],
  });
}

describe('schema migrations', () => {
  it('are numbered 1, 2, … in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('bring a new database to the current version in WAL mode, and are not applied twice', () => {
    const path = join(fresh('db'), 'nested', 'history.db');
    const store = HistoryStore.open(path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    store.db
      .prepare(
        "INSERT INTO runs (name, started_at, state, recorded_at, meta_json) VALUES ('x', 'y', 'finished', 'z', '{}')",
      )
      .run();
    store.close();
    // Reopening finds the schema in place (a second CREATE TABLE would throw) and keeps the data.
    const again = HistoryStore.open(path);
    expect(again.listRuns()).toHaveLength(1);
    again.close();
  });

  it('refuse a database written by a newer owa-audit', () => {
    const path = join(fresh('db'), 'newer.db');
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => HistoryStore.open(path)).toThrow(HistoryError);
    expect(() => HistoryStore.open(path)).toThrow(/newer than this owa-audit/);
  });

  it('refuse a file that is not a database, naming it', () => {
    const path = join(fresh('db'), 'junk.db');
    rmSync(path, { force: true });
    writeFileSync(path, 'this is not sqlite'.repeat(100));
    expect(() => HistoryStore.open(path)).toThrow(path);
  });

  it('readers never create a database', () => {
    const path = join(fresh('db'), 'missing.db');
    expect(HistoryStore.openExisting(path)).toBeNull();
    expect(existsSync(path)).toBe(false);
    expect(HistoryStore.openExisting(join(path, 'no-such-dir', 'h.db'))).toBeNull();
  });
});

describe('recording a run', () => {
  it('stores the run and every record with the columns diff needs', async () => {
    const path = join(fresh('db'), 'h.db');
    const done = await recordRunInHistory(sampleRun(fresh('run')), {
      path,
      now: new Date('2026-11-13T10:00:00Z'),
    });
    expect(done.replaced).toBe(false);
    expect(done.run).toMatchObject({
      name: 'weekly',
      startedAt: T0,
      state: 'finished',
      endpoints: 4,
      exchange: 2,
      vulnerable: 1,
    });
    expect(done.run.recordedAt).toBe('2026-11-13T10:00:00.000Z');
    const store = HistoryStore.open(path);
    const s = store.endpointIn(done.run.id, 'https://192.0.2.1:443#mail.alpha.example');
    expect(s?.verdict).toMatchObject({
      product: 'Exchange Server 2019',
      build: '15.2.1748.36',
      patchLevel: 'vulnerable',
      kevCves: ['CVE-2023-21529'],
    });
    expect(s?.owner).toEqual(owner);
    expect(store.endpointIn(done.run.id, 'https://192.0.2.4:443')).toMatchObject({
      status: 'unreachable',
      errorCode: 'connection-refused',
      verdict: null,
    });
    const json = store.db
      .prepare('SELECT record_json FROM results WHERE run_id = ? AND endpoint_key = ?')
      .get(done.run.id, 'https://192.0.2.2:443') as { record_json: string };
    expect(JSON.parse(json.record_json)).toMatchObject({
      ip: '192.0.2.2',
      exchange: { patchLevel: 'outdated' },
    });
    store.close();
  });

  it('is idempotent: recording the same run again replaces it, never duplicates', async () => {
    const path = join(fresh('db'), 'h.db');
    const dir = sampleRun(fresh('run'));
    const first = await recordRunInHistory(dir, { path });
    // The run gets one more endpoint (as after a resume) and is recorded again.
    writeFileSync(join(dir, 'results.jsonl'), `${JSON.stringify(record({ ip: '192.0.2.9' }))}\n`, {
      flag: 'a',
    });
    const second = await recordRunInHistory(dir, { path });
    expect(second.replaced).toBe(true);
    expect(second.run.id).toBe(first.run.id);
    expect(second.run.endpoints).toBe(5);
    const store = HistoryStore.open(path);
    expect(store.listRuns()).toHaveLength(1);
    expect((store.db.prepare('SELECT count(*) AS n FROM results').get() as { n: number }).n).toBe(5);
    store.close();
  });

  it('refuses an unfinished run unless asked to record it as partial', async () => {
    const path = join(fresh('db'), 'h.db');
    const dir = sampleRun(fresh('run'), T0, 'stopped');
    await expect(recordRunInHistory(dir, { path })).rejects.toThrow(InputError);
    await expect(recordRunInHistory(dir, { path })).rejects.toThrow(/did not finish \(state: stopped\)/);
    const partial = await recordRunInHistory(dir, { path, partial: true });
    expect(partial.run.state).toBe('stopped');
  });

  it('leaves nothing behind when the results cannot be read (one transaction)', async () => {
    const path = join(fresh('db'), 'h.db');
    const dir = sampleRun(fresh('run'));
    unlinkSync(join(dir, 'results.jsonl'));
    await expect(recordRunInHistory(dir, { path })).rejects.toThrow(/results\.jsonl is missing/);
    const store = HistoryStore.open(path);
    expect(store.listRuns()).toEqual([]);
    store.close();
  });

  it('skips lines that are not records and says how many', async () => {
    const path = join(fresh('db'), 'h.db');
    const dir = sampleRun(fresh('run'));
    writeFileSync(join(dir, 'results.jsonl'), '{"torn": \n', { flag: 'a' });
    const done = await recordRunInHistory(dir, { path });
    expect(done.skippedLines).toBe(1);
    expect(done.run.endpoints).toBe(4);
  });

  it('lets recordings of one database in one process take turns instead of blocking each other', async () => {
    const path = join(fresh('db'), 'h.db');
    const dirs = [0, 1, 2].map((i) => sampleRun(fresh('run'), daysFrom(T0, i * 7)));
    const started = Date.now();
    const done = await Promise.all(dirs.map((d) => recordRunInHistory(d, { path })));
    // Without turn-taking the second connection would sit in SQLite's busy handler (60 s).
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(new Set(done.map((d) => d.run.id)).size).toBe(3);
    const store = HistoryStore.open(path);
    const runs = store.listRuns('weekly');
    expect(runs.map((r) => r.startedAt)).toEqual([T0, daysFrom(T0, 7), daysFrom(T0, 14)]);
    const last = runs[2];
    if (last === undefined) throw new Error('three runs expected');
    expect(store.previousRun(last)?.startedAt).toBe(daysFrom(T0, 7));
    store.close();
  });

  it('previousRun skips unfinished runs and other scans', async () => {
    const path = join(fresh('db'), 'h.db');
    await recordRunInHistory(sampleRun(fresh('run'), T0), { path });
    await recordRunInHistory(sampleRun(fresh('run'), daysFrom(T0, 3), 'stopped'), { path, partial: true });
    await recordRunInHistory(
      writeRun(fresh('run'), { name: 'other', startedAt: daysFrom(T0, 5), records: [] }),
      { path },
    );
    const now = await recordRunInHistory(sampleRun(fresh('run'), daysFrom(T0, 7)), { path });
    const store = HistoryStore.open(path);
    expect(store.previousRun(now.run)?.startedAt).toBe(T0);
    store.close();
  });
});

describe('where the history lives', () => {
  it('follows --no-history, --history, OWA_AUDIT_HISTORY, then the default', () => {
    expect(resolveHistoryPath(false, { OWA_AUDIT_HISTORY: '/x/h.db' })).toBeNull();
    expect(resolveHistoryPath('/given.db', { OWA_AUDIT_HISTORY: '/x/h.db' })).toBe('/given.db');
    expect(resolveHistoryPath('none', {})).toBeNull();
    expect(resolveHistoryPath(undefined, { OWA_AUDIT_HISTORY: '/x/h.db' })).toBe('/x/h.db');
    expect(resolveHistoryPath(undefined, { OWA_AUDIT_HISTORY: 'off' })).toBeNull();
    expect(resolveHistoryPath(undefined, { OWA_AUDIT_HISTORY: '' })).toBe(DEFAULT_HISTORY_PATH);
    expect(resolveHistoryPath(undefined, {})).toBe(join('scans', 'history.db'));
  });
});
