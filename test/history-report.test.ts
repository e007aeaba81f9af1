// The report's history parts from fixture runs: "Since the last scan" (cut to the owner in
// per-owner reports), the per-host line, escaping of hostile values in them, and the fallbacks
// when the run is not recorded or the history cannot be read.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from './fixtures/report/helpers.js';
import { afterAll, describe, expect, it } from 'vitest';
import { recordRunInHistory } from '../src/history/record-run.js';
import { writeReports } from '../src/outputs/write-reports.js';
import { hostHistoryView } from '../src/report/history-view.js';
import { daysFrom, record, writeRun } from './fixtures/history/runs.js';

const base = mkdtempSync(join(tmpdir(), 'owa-history-report-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => {
  const dir = join(base, `r-${++n}`);
  mkdirSync(dir);
  return dir;
};

const T1 = '2026-11-06T09:00:00.000Z';
const T2 = daysFrom(T1, 21);
const alpha = { name: 'Alpha Ltd', contact: 'soc@alpha.example' };
const beta = { name: 'Beta GmbH', contact: 'it@beta.example' };
const HOSTILE = 'x<script>alert(1)</script>.example';

function twoRuns(): { first: string; second: string } {
  const first = writeRun(fresh(), {
    startedAt: T1,
    records: [
      record({ ip: '192.0.2.1', kev: ['CVE-2023-21529'], owner: alpha, observedAt: T1 }),
      record({ ip: '192.0.2.2', patchLevel: 'outdated', owner: beta, observedAt: T1 }),
    ],
  });
  const second = writeRun(fresh(), {
    startedAt: T2,
    records: [
      record({ ip: '192.0.2.1', kev: ['CVE-2023-21529'], owner: alpha, observedAt: T2 }),
      record({ ip: '192.0.2.2', patchLevel: 'current', build: '15.2.1748.49', owner: beta, observedAt: T2 }),
      record({ ip: '192.0.2.3', host: HOSTILE, patchLevel: 'outdated', owner: beta, observedAt: T2 }),
    ],
  });
  return { first, second };
}

describe('reports with a history', () => {
  it('show what changed since the last scan, per owner only their own endpoints, and how long each host is exposed', async () => {
    const { first, second } = twoRuns();
    const history = join(fresh(), 'h.db');
    await recordRunInHistory(first, { path: history });
    await recordRunInHistory(second, { path: history });
    const files = await writeReports(second, {
      formats: ['html'],
      perOwner: true,
      historyPath: history,
      now: new Date(T2),
    });
    expect(files.warnings.filter((w) => w.includes('history'))).toEqual([]);
    const html = readFileSync(join(second, 'report.html'), 'utf8');
    expect(html).toContain('<h2 id="since">Since the last scan</h2>');
    expect(html).toContain('Exchange endpoints since the last scan: 1 new, 1 fixed, 1 still vulnerable.');
    expect(html).toContain('exposed for at least 21 days (vulnerable in every check since 2026-11-06)');
    expect(html).not.toContain('<script>');
    expect(html).toContain('x&lt;script&gt;alert(1)&lt;/script&gt;.example');

    const alphaHtml = readFileSync(files.owners.find((o) => o.owner === 'Alpha Ltd')?.html ?? '', 'utf8');
    expect(alphaHtml).toContain('Exchange endpoints since the last scan: 1 still vulnerable.');
    expect(alphaHtml).not.toContain('192.0.2.2');
    expect(alphaHtml).not.toContain('192.0.2.3');
    const betaHtml = readFileSync(files.owners.find((o) => o.owner === 'Beta GmbH')?.html ?? '', 'utf8');
    expect(betaHtml).toContain('Exchange endpoints since the last scan: 1 new, 1 fixed.');
    expect(betaHtml).not.toContain('192.0.2.1');
  });

  it('carry the per-host history into grouped sections of large runs and into results.csv', async () => {
    const { first, second } = twoRuns();
    const history = join(fresh(), 'h.db');
    await recordRunInHistory(first, { path: history });
    await recordRunInHistory(second, { path: history });
    // groupAbove 0: even two findings are shown grouped by verdict, as in a large run.
    await writeReports(second, {
      formats: ['html', 'csv'],
      perOwner: false,
      historyPath: history,
      groupAbove: 0,
      now: new Date(T2),
    });
    const html = readFileSync(join(second, 'report.html'), 'utf8');
    expect(html).not.toContain('<section class="host"');
    expect(html).toContain('<span class="small history exposed">exposed ≥ 21 days (since 2026-11-06)</span>');
    // The new host has nothing in the history beyond this run: no line, as in the host sections.
    expect(html.match(/<span class="small history/g)).toHaveLength(1);

    const [names = [], ...rows] = parseCsv(readFileSync(join(second, 'results.csv'), 'utf8'));
    const cell = (ip: string, name: string): string | undefined =>
      rows.find((row) => row[names.indexOf('ip')] === ip)?.[names.indexOf(name)];
    expect(rows).toHaveLength(3);
    expect(cell('192.0.2.1', 'first_seen')).toBe(T1);
    expect(cell('192.0.2.1', 'first_seen_vulnerable')).toBe(T1);
    expect(cell('192.0.2.1', 'vulnerable_since')).toBe(T1);
    expect(cell('192.0.2.1', 'days_exposed')).toBe('21');
    expect(cell('192.0.2.1', 'history_checks')).toBe('2');
    // Fixed since: seen before, no longer exposed.
    expect(cell('192.0.2.2', 'first_seen')).toBe(T1);
    expect(cell('192.0.2.2', 'days_exposed')).toBe('');
    // New in this run.
    expect(cell('192.0.2.3', 'first_seen')).toBe(T2);
    expect(cell('192.0.2.3', 'history_checks')).toBe('1');
  });

  it('leave the history columns of results.csv empty without a history', async () => {
    const { second } = twoRuns();
    await writeReports(second, { formats: ['csv'], perOwner: false, historyPath: null, now: new Date(T2) });
    const [names = [], ...rows] = parseCsv(readFileSync(join(second, 'results.csv'), 'utf8'));
    const first = names.indexOf('first_seen');
    expect(names.slice(first, first + 5)).toEqual([
      'first_seen',
      'first_seen_vulnerable',
      'vulnerable_since',
      'days_exposed',
      'history_checks',
    ]);
    for (const row of rows) expect(row.slice(first, first + 5)).toEqual(['', '', '', '', '']);
  });

  it('leave the history parts out, with a hint, when the run is not recorded', async () => {
    const { first, second } = twoRuns();
    const history = join(fresh(), 'h.db');
    await recordRunInHistory(first, { path: history });
    const files = await writeReports(second, {
      formats: ['html'],
      perOwner: false,
      historyPath: history,
      now: new Date(T2),
    });
    expect(files.warnings.join('\n')).toContain(`owa-audit history import ${second}`);
    const html = readFileSync(join(second, 'report.html'), 'utf8');
    expect(html).not.toContain('id="since"');
    // Per-host history still comes from the earlier runs.
    expect(html).toContain('exposed for at least 21 days');
  });

  it('are still written when the history cannot be read', async () => {
    const { second } = twoRuns();
    const broken = join(fresh(), 'broken.db');
    writeFileSync(broken, 'not a database at all '.repeat(200));
    const files = await writeReports(second, {
      formats: ['html'],
      perOwner: false,
      historyPath: broken,
      now: new Date(T2),
    });
    expect(files.html).not.toBeNull();
    expect(files.warnings.join('\n')).toMatch(/scan history could not be read/);
  });

  it('say nothing about history when there is none to tell', () => {
    expect(
      hostHistoryView({
        observations: 1,
        firstSeen: T1,
        firstSeenVulnerable: T1,
        vulnerableSince: T1,
        daysExposed: 0,
        vulnerableChecks: 1,
      }),
    ).toBeNull();
    expect(
      hostHistoryView({
        observations: 2,
        firstSeen: T1,
        firstSeenVulnerable: T2,
        vulnerableSince: T2,
        daysExposed: 0,
        vulnerableChecks: 1,
      })?.text,
    ).toBe('first seen 2026-11-06 · vulnerable since this check · 2 checks in the history.');
    // Two vulnerable checks on one day: not "since this check".
    expect(
      hostHistoryView({
        observations: 2,
        firstSeen: T1,
        firstSeenVulnerable: T1,
        vulnerableSince: T1,
        daysExposed: 0,
        vulnerableChecks: 2,
      })?.text,
    ).toBe(
      `first seen 2026-11-06 · vulnerable in every check since 2026-11-06 (2 checks, less than a day) · 2 checks in the history.`,
    );
    expect(
      hostHistoryView({
        observations: 3,
        firstSeen: T1,
        firstSeenVulnerable: T1,
        vulnerableSince: null,
        daysExposed: null,
        vulnerableChecks: 0,
      })?.text,
    ).toBe(
      'first seen 2026-11-06 · vulnerable in earlier checks (first on 2026-11-06) · 3 checks in the history.',
    );
  });
});
