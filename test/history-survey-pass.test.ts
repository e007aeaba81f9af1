// After a scan, the reports' server survey rides on the history's pass over results.jsonl
// (outputs/finish-run.ts): it must come out as the survey's own pass makes it, and the reports
// written from it must be the ones written without it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { ResultRecord } from '../src/core/result-schema.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import { recordRunInHistory } from '../src/history/record-run.js';
import { finishRun } from '../src/outputs/finish-run.js';
import { writeReports } from '../src/outputs/write-reports.js';
import { surveyServers, SurveyTap, type ServerSurvey } from '../src/report/server-survey.js';
import { readResults } from '../src/run-store/read-results.js';
import { writeRun } from './fixtures/history/runs.js';
import { cert, endpoint } from './fixtures/report/servers.js';

const base = mkdtempSync(join(tmpdir(), 'owa-survey-pass-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const acme = { name: 'ACME', contact: 'soc@acme.example' };
const records: ResultRecord[] = [
  endpoint({ ip: '192.0.2.10', host: 'mail.acme.example', cert: cert('aa'), fe: 'EX01', owner: acme }),
  endpoint({ ip: '192.0.2.11', cert: cert('aa'), fe: 'EX01', owner: acme, kev: ['CVE-2024-21410'] }),
  endpoint({ ip: '192.0.2.12', status: 'not-exchange', fe: 'EX02' }),
  endpoint({ ip: '192.0.2.13', status: 'not-exchange' }),
  endpoint({ ip: '192.0.2.14', error: 'connection-refused' }),
  endpoint({
    ip: '192.0.2.15',
    build: '15.1.2507.39',
    product: 'Exchange Server 2016',
    patchLevel: 'outdated',
  }),
];

/** What the reports take from a survey, comparable with toEqual. */
async function shape(s: ServerSurvey, file: string): Promise<unknown> {
  const keys: string[] = [];
  for await (const r of readResults(file)) keys.push(s.index.keyOf(r));
  return { keys, main: [...s.servers.main], byOwner: [...s.servers.byOwner].map(([k, m]) => [k, [...m]]) };
}

it('surveys in the history pass what the survey pass of its own finds', async () => {
  const dir = writeRun(join(base, 'tap'), { startedAt: '2026-11-27T01:00:00.000Z', records });
  const file = join(dir, 'results.jsonl');
  const tap = new SurveyTap();
  await recordRunInHistory(dir, { path: join(base, 'tap.db'), read: { tap: tap.add } });
  const own = await surveyServers(file);
  expect(await shape(tap.finish(own.bytes), file)).toEqual(await shape(own, file));
});

it('writes the same reports after recording as the writer alone does', async () => {
  const kb = loadKnowledgeBase();
  const now = new Date('2026-11-27T12:00:00Z');
  const formats = ['html', 'csv', 'intelmq'] as const;
  const dir = writeRun(join(base, 'run'), { startedAt: '2026-11-27T01:00:00.000Z', records });
  const historyPath = join(base, 'history.db');
  const finished = await finishRun(
    dir,
    { name: 'weekly', startedAt: '2026-11-27T01:00:00.000Z', state: 'finished' },
    { historyPath, record: 'finished', reports: { formats, perOwner: false }, knowledge: kb, now },
  );
  expect(finished.recorded).toBe(true);
  const read = (f: string | null | undefined): string => readFileSync(f ?? '', 'utf8');
  const first = finished.reports;
  const viaPass = { html: read(first?.html), csv: read(first?.csv), intelmq: read(first?.intelmq) };
  const alone = await writeReports(dir, { formats, perOwner: false, knowledge: kb, now, historyPath });
  expect({ html: read(alone.html), csv: read(alone.csv), intelmq: read(alone.intelmq) }).toEqual(viaPass);
  expect(viaPass.html).toContain('mail.acme.example');
});
