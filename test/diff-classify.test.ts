// Diff categories, table-tested on pure endpoint states, then over real run directories (through
// the temporary database diff uses) and against the previous run in a history.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyChange, diffForOwner, diffFromPairs, type ChangeKind } from '../src/history/diff.js';
import { diffAgainstPrevious, diffRunDirs } from '../src/history/diff-runs.js';
import { diffJson, diffText } from '../src/history/diff-text.js';
import { stateOf, type EndpointState } from '../src/history/endpoint-state.js';
import { recordRunInHistory } from '../src/history/record-run.js';
import { InputError } from '../src/core/errors.js';
import { daysFrom, record, writeRun, type RecordSpec } from './fixtures/history/runs.js';

const base = mkdtempSync(join(tmpdir(), 'owa-diff-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => {
  const dir = join(base, `d-${++n}`);
  mkdirSync(dir);
  return dir;
};

const s = (spec: Partial<RecordSpec>): EndpointState => stateOf(record({ ip: '192.0.2.1', ...spec }));
const vulnerable = { kev: ['CVE-2023-21529'], build: '15.2.986.14' };
const outdated = { patchLevel: 'outdated' as const, build: '15.2.1544.11' };
const current = { patchLevel: 'current' as const, build: '15.2.1748.49' };
const unknown = { patchLevel: 'unknown' as const, build: '15.2.1748.99' };

describe('classifyChange', () => {
  const table: [string, EndpointState | null, EndpointState | null, ChangeKind | null][] = [
    ['absent → Exchange', null, s(outdated), 'new'],
    ['unreachable → Exchange', s({ error: 'connection-refused' }), s(outdated), 'new'],
    ['not Exchange → Exchange', s({ status: 'not-exchange' }), s(vulnerable), 'new'],
    ['Exchange → absent', s(outdated), null, 'gone'],
    ['Exchange → unreachable', s(vulnerable), s({ error: 'connect-timeout', status: 'unreachable' }), 'gone'],
    ['Exchange → Exchange Online', s(current), s({ status: 'exchange-online' }), 'gone'],
    ['outdated → vulnerable', s(outdated), s(vulnerable), 'newlyVulnerable'],
    [
      'current → vulnerable, same build (new KEV data)',
      s(current),
      s({ ...current, kev: ['CVE-2026-1'], patchLevel: 'vulnerable' }),
      'newlyVulnerable',
    ],
    ['unknown → vulnerable', s(unknown), s(vulnerable), 'newlyVulnerable'],
    ['vulnerable → current', s(vulnerable), s(current), 'fixed'],
    ['vulnerable → outdated', s(vulnerable), s(outdated), 'fixed'],
    ['outdated → current', s(outdated), s(current), 'fixed'],
    ['vulnerable → unknown is no proof of a fix', s(vulnerable), s(unknown), 'changedBuild'],
    [
      'vulnerable → vulnerable on another build',
      s(vulnerable),
      s({ ...vulnerable, build: '15.2.986.30' }),
      'stillVulnerable',
    ],
    ['vulnerable → vulnerable', s(vulnerable), s(vulnerable), 'stillVulnerable'],
    [
      'outdated → outdated on a newer build',
      s(outdated),
      s({ ...outdated, build: '15.2.1748.36' }),
      'changedBuild',
    ],
    [
      'current → outdated on another product',
      s(current),
      s({ ...outdated, product: 'Exchange Server SE', build: '15.2.2562.17' }),
      'changedBuild',
    ],
    [
      'current → outdated, same build (newer data)',
      s(current),
      s({ ...current, patchLevel: 'outdated' }),
      'changedVerdict',
    ],
    [
      'outdated confirmed → possible, same build',
      s(outdated),
      s({ ...outdated, certainty: 'possible' }),
      'changedVerdict',
    ],
    ['outdated → outdated', s(outdated), s(outdated), 'unchanged'],
    ['not Exchange in either', s({ status: 'not-exchange' }), s({ error: 'reset' }), null],
    ['absent in both', null, null, null],
  ];
  it.each(table)('%s', (_what, before, after, kind) => {
    expect(classifyChange(before, after)).toBe(kind);
  });
});

describe('diffFromPairs', () => {
  const run = (startedAt: string) => ({ name: 'weekly', startedAt, finishedAt: null, runDir: null });
  const alpha = { name: 'Alpha', contact: 'a@alpha.example' };
  const beta = { name: 'Beta', contact: null };
  const pairs: [EndpointState | null, EndpointState | null][] = [
    [null, s({ ip: '192.0.2.5', ...outdated, owner: beta })],
    [s({ ip: '192.0.2.1', ...vulnerable, owner: alpha }), s({ ip: '192.0.2.1', ...current, owner: alpha })],
    [s({ ip: '192.0.2.2', ...outdated, owner: alpha }), s({ ip: '192.0.2.2', ...outdated, owner: alpha })],
    [s({ ip: '192.0.2.3', ...outdated, owner: beta }), s({ ip: '192.0.2.3', ...outdated, owner: beta })],
    [s({ ip: '192.0.2.4', status: 'not-exchange' }), s({ ip: '192.0.2.4', status: 'not-exchange' })],
  ];
  const diff = diffFromPairs(run('2026-11-13T09:00:00.000Z'), run('2026-11-20T09:00:00.000Z'), pairs);

  it('counts every category and lists all but unchanged', () => {
    expect(diff.counts).toMatchObject({ new: 1, fixed: 1, unchanged: 2, gone: 0, newlyVulnerable: 0 });
    expect(diff.entries.new.map((e) => e.key)).toEqual(['https://192.0.2.5:443']);
    expect(diff.entries.fixed[0]?.before?.verdict?.patchLevel).toBe('vulnerable');
  });

  it('cuts to one owner, unchanged counts included', () => {
    const a = diffForOwner(diff, 'Alpha');
    expect(a.counts).toMatchObject({ new: 0, fixed: 1, unchanged: 1 });
    const b = diffForOwner(diff, 'Beta');
    expect(b.counts).toMatchObject({ new: 1, fixed: 0, unchanged: 1 });
    expect(diffForOwner(diff, 'Gamma').counts.unchanged).toBe(0);
  });

  it('prints a readable terminal text with control characters revealed', () => {
    const hostile = diffFromPairs(run('2026-11-13T09:00:00.000Z'), run('2026-11-20T09:00:00.000Z'), [
      [null, s({ ip: '192.0.2.7', host: 'evil\u001b[31m.example', ...outdated })],
    ]);
    const text = diffText(hostile);
    expect(text).toContain('New Exchange endpoints (1)');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('evil\\x1b[31m.example');
    expect(text).toContain('Exchange endpoints: 1 new.');
  });
});

describe('diff of run directories', () => {
  const T1 = '2026-11-13T09:00:00.000Z';
  const T2 = '2026-11-20T09:00:00.000Z';
  const runOne = (dir: string): string =>
    writeRun(dir, {
      startedAt: T1,
      records: [
        record({ ip: '192.0.2.1', ...vulnerable, observedAt: T1 }), // → fixed
        record({ ip: '192.0.2.2', ...outdated, observedAt: T1 }), // → newly vulnerable
        record({ ip: '192.0.2.3', ...outdated, observedAt: T1 }), // → gone
        record({ ip: '192.0.2.4', error: 'connection-refused', observedAt: T1 }), // → new
        record({ ip: '192.0.2.5', ...outdated, observedAt: T1 }), // → changed build
        record({ ip: '192.0.2.6', ...vulnerable, observedAt: T1 }), // → still vulnerable
      ],
    });
  const runTwo = (dir: string): string =>
    writeRun(dir, {
      startedAt: T2,
      records: [
        record({ ip: '192.0.2.1', ...current, observedAt: T2 }),
        record({ ip: '192.0.2.2', ...vulnerable, observedAt: T2 }),
        record({ ip: '192.0.2.3', error: 'connection-refused', observedAt: T2 }),
        record({ ip: '192.0.2.4', ...outdated, observedAt: T2 }),
        record({ ip: '192.0.2.5', ...outdated, build: '15.2.1748.36', observedAt: T2 }),
        record({ ip: '192.0.2.6', ...vulnerable, observedAt: T2 }),
      ],
    });

  it('finds every category, in a temporary database that is removed afterwards', async () => {
    const diff = await diffRunDirs(runOne(fresh()), runTwo(fresh()));
    const keys = (k: keyof typeof diff.entries): string[] =>
      diff.entries[k].map((e) => e.after?.ip ?? e.before?.ip ?? '');
    expect(keys('fixed')).toEqual(['192.0.2.1']);
    expect(keys('newlyVulnerable')).toEqual(['192.0.2.2']);
    expect(keys('gone')).toEqual(['192.0.2.3']);
    expect(diff.entries.gone[0]?.after?.status).toBe('unreachable');
    expect(keys('new')).toEqual(['192.0.2.4']);
    expect(diff.entries.new[0]?.before?.errorCode).toBe('connection-refused');
    expect(keys('changedBuild')).toEqual(['192.0.2.5']);
    expect(keys('stillVulnerable')).toEqual(['192.0.2.6']);
    const json = diffJson(diff) as Record<string, unknown>;
    expect(json.schema).toBe('owa-audit/diff@1');
    expect(json.counts).toMatchObject({
      new: 1,
      gone: 1,
      newlyVulnerable: 1,
      fixed: 1,
      changedBuild: 1,
      stillVulnerable: 1,
      unchanged: 0,
    });
  });

  it('refuses the same run twice', async () => {
    const dir = runOne(fresh());
    await expect(diffRunDirs(dir, dir)).rejects.toThrow(InputError);
  });

  it('compares a run with the previous finished run of its scan in the history, recording it first', async () => {
    const history = join(fresh(), 'h.db');
    await recordRunInHistory(runOne(fresh()), { path: history });
    const later = runTwo(fresh());
    const first = await diffAgainstPrevious(later, history);
    expect(first.recorded).toBe(true);
    expect(first.diff.before.startedAt).toBe(T1);
    expect(first.diff.counts.fixed).toBe(1);
    const again = await diffAgainstPrevious(later, history);
    expect(again.recorded).toBe(false);
    // A run of the scan with no earlier run: nothing to compare with, and the message says why.
    const lonely = writeRun(fresh(), { name: 'monthly', startedAt: daysFrom(T2, 1), records: [] });
    await expect(diffAgainstPrevious(lonely, history)).rejects.toThrow(
      /no earlier finished run of scan "monthly"/,
    );
    // An unfinished run is not recorded behind the user's back.
    const stopped = writeRun(fresh(), {
      startedAt: daysFrom(T2, 2),
      state: 'stopped',
      finishedAt: null,
      records: [],
    });
    await expect(diffAgainstPrevious(stopped, history)).rejects.toThrow(/did not finish \(state: stopped\)/);
  });
});
