// After a scan, the run is written into the history before the reports, which read it through
// the connection that holds it, and committed only while Chromium prints (outputs/finish-run.ts,
// history/record-run.ts stageRunInHistory). The reports must be the ones written after a plain
// recording; nobody else sees the run before the commit; a report that fails still leaves the
// run recorded; and writeReports starts its `whilePrinting` work only once the main document is
// written, and returns only after it.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResultRecord } from '../src/core/result-schema.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import { recordRunInHistory, stageRunInHistory } from '../src/history/record-run.js';
import { HistoryStore } from '../src/history/store.js';
import { finishRun } from '../src/outputs/finish-run.js';
import { writeReports } from '../src/outputs/write-reports.js';
import { writeRun } from './fixtures/history/runs.js';
import { cert, endpoint } from './fixtures/report/servers.js';

const base = mkdtempSync(join(tmpdir(), 'owa-commit-while-printing-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const kb = loadKnowledgeBase();
const now = new Date('2026-11-27T12:00:00Z');
const FIRST = '2026-11-20T01:00:00.000Z';
const SECOND = '2026-11-27T01:00:00.000Z';

/** The earlier run: .10 vulnerable, .11 current, .12 Exchange that disappears afterwards. */
const before: ResultRecord[] = [
  endpoint({
    ip: '192.0.2.10',
    host: 'mail.acme.example',
    cert: cert('aa'),
    kev: ['CVE-2024-21410'],
    observedAt: FIRST,
  }),
  endpoint({ ip: '192.0.2.11', cert: cert('bb'), observedAt: FIRST }),
  endpoint({ ip: '192.0.2.12', cert: cert('cc'), observedAt: FIRST }),
];
/** The later run: .10 still vulnerable, .11 now vulnerable, .12 gone, .13 new. */
const after: ResultRecord[] = [
  endpoint({
    ip: '192.0.2.10',
    host: 'mail.acme.example',
    cert: cert('aa'),
    kev: ['CVE-2024-21410'],
    observedAt: SECOND,
  }),
  endpoint({ ip: '192.0.2.11', cert: cert('bb'), kev: ['CVE-2023-21529'], observedAt: SECOND }),
  endpoint({ ip: '192.0.2.12', status: 'not-exchange', observedAt: SECOND }),
  endpoint({ ip: '192.0.2.13', cert: cert('dd'), observedAt: SECOND }),
];

const read = (f: string | null | undefined): string => readFileSync(f ?? '', 'utf8');

function runsIn(path: string): string[] {
  const store = HistoryStore.openExisting(path);
  if (store === null) return [];
  try {
    return store.listRuns().map((r) => r.startedAt);
  } finally {
    store.close();
  }
}

/** A history that holds the earlier run, and the later run's directory. */
async function historyWithEarlierRun(name: string): Promise<{ historyPath: string; dir: string }> {
  const historyPath = join(base, `${name}.db`);
  await recordRunInHistory(writeRun(join(base, `${name}-1`), { startedAt: FIRST, records: before }), {
    path: historyPath,
  });
  return { historyPath, dir: writeRun(join(base, `${name}-2`), { startedAt: SECOND, records: after }) };
}

describe('a scan recorded while its PDF prints', () => {
  it('writes the reports a plain recording gives: since the last scan, and per host since when', async () => {
    const formats = ['html', 'csv', 'intelmq'] as const;
    const { historyPath, dir } = await historyWithEarlierRun('same');
    const finished = await finishRun(
      dir,
      { name: 'weekly', startedAt: SECOND, state: 'finished' },
      { historyPath, record: 'finished', reports: { formats, perOwner: false }, knowledge: kb, now },
    );
    expect(finished.recorded).toBe(true);
    expect(finished.warnings).toEqual([]);
    expect(runsIn(historyPath)).toEqual([FIRST, SECOND]);
    const staged = {
      html: read(finished.reports?.html),
      csv: read(finished.reports?.csv),
      intelmq: read(finished.reports?.intelmq),
    };
    // The run is committed now: the writer alone, reading the history by its path, agrees.
    const alone = await writeReports(dir, { formats, perOwner: false, knowledge: kb, now, historyPath });
    expect({ html: read(alone.html), csv: read(alone.csv), intelmq: read(alone.intelmq) }).toEqual(staged);
    // Not vacuous: the history shaped these reports.
    expect(staged.html).toContain('Since the last scan');
    expect(staged.html).toContain('192.0.2.13');
    expect(staged.csv).toContain('2026-11-20');
  });

  it('shows the run to no other connection before the commit, and to every one after it', async () => {
    const { historyPath, dir } = await historyWithEarlierRun('unseen');
    const staged = await stageRunInHistory(dir, { path: historyPath });
    try {
      expect(staged.store.findRun('weekly', SECOND)).not.toBeNull(); // its own connection sees it
      expect(runsIn(historyPath)).toEqual([FIRST]);
      staged.commit();
      expect(runsIn(historyPath)).toEqual([FIRST, SECOND]);
    } finally {
      staged.close();
    }
  });

  it('leaves the history as it was when closed without a commit, and lets the next recording in', async () => {
    const { historyPath, dir } = await historyWithEarlierRun('dropped');
    const staged = await stageRunInHistory(dir, { path: historyPath });
    const next = recordRunInHistory(dir, { path: historyPath });
    staged.close();
    await next;
    expect(runsIn(historyPath)).toEqual([FIRST, SECOND]);
  });

  it('still records the run when a report cannot be written', async () => {
    const { historyPath, dir } = await historyWithEarlierRun('failed');
    mkdirSync(join(dir, 'report.html')); // a directory where the report goes: its rename fails
    await expect(
      finishRun(
        dir,
        { name: 'weekly', startedAt: SECOND, state: 'finished' },
        {
          historyPath,
          record: 'finished',
          reports: { formats: ['html'], perOwner: false },
          knowledge: kb,
          now,
        },
      ),
    ).rejects.toThrow();
    expect(runsIn(historyPath)).toEqual([FIRST, SECOND]);
  });
});

describe('writeReports whilePrinting', () => {
  it('starts once the main document is written and is awaited before writeReports returns', async () => {
    const dir = writeRun(join(base, 'hook'), { startedAt: SECOND, records: after });
    const seen: string[] = [];
    const files = await writeReports(dir, {
      formats: ['html', 'csv'],
      perOwner: false,
      knowledge: kb,
      now,
      whilePrinting: async () => {
        seen.push(existsSync(join(dir, 'report.html')) ? 'html written' : 'no html yet');
        await new Promise((resolve) => setTimeout(resolve, 50));
        seen.push('done');
      },
    });
    expect(seen).toEqual(['html written', 'done']);
    expect(files.csv).not.toBeNull();
  });

  it('is not started when no document is written', async () => {
    const dir = writeRun(join(base, 'lines-only'), { startedAt: SECOND, records: after });
    let started = false;
    await writeReports(dir, {
      formats: ['csv'],
      perOwner: false,
      knowledge: kb,
      now,
      whilePrinting: () => {
        started = true;
        return Promise.resolve();
      },
    });
    expect(started).toBe(false);
  });
});
