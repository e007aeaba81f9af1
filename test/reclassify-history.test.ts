// reclassify and the scan history: a run already recorded is recorded again with its new
// verdicts, so `diff` and per-host history follow the new data; a run the user never recorded is
// not added behind their back.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { classify } from '../src/classify/classify.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import { type KnowledgeBase } from '../src/classify/knowledge-base.js';
import { reclassifyRun } from '../src/reclassify/reclassify-run.js';
import { runDataUpdate } from '../src/data-update/update.js';
import { createRun, emptyCounts, markEnded } from '../src/run-store/run-dir.js';
import { HistoryStore, recordRunInHistory } from '../src/history/index.js';
import { endpointKey, RESULT_SCHEMA, type ResultRecord } from '../src/core/result-schema.js';
import { fixture, KEV_JSON, SEP26_CSV } from './fixtures/data-update/feeds.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const root = mkdtempSync(join(tmpdir(), 'owa-audit-reclassify-history-'));
const shipped = loadKnowledgeBase({ userDataDir: null });
let updated: KnowledgeBase;

const record: ResultRecord = {
  schema: RESULT_SCHEMA,
  target: 'mail.example.org',
  host: 'mail.example.org',
  ip: '192.0.2.10',
  port: 443,
  scheme: 'https',
  status: 'exchange',
  observedAt: '2026-11-20T10:00:00.000Z',
  requests: 3,
  // SE RTM Aug26SU: current with the shipped data, outdated once a newer SU is known.
  exchange: classify(shipped, '15.2.2562.46', 'exact', { today: '2026-11-27' }),
  evidence: [
    {
      signal: 'x-owa-version',
      url: 'https://192.0.2.10/autodiscover/autodiscover.xml',
      value: '15.2.2562.46',
    },
  ],
  tls: null,
  owner: null,
  error: null,
};

async function finishedRun(dir: string): Promise<void> {
  const meta = await createRun(dir, {
    name: 'history-reclassify',
    scanFile: { path: '/dev/null', source: '' },
    authorisation: { by: 't', reference: 'r', contact: 'c@example.org', validUntil: '2099-12-31' },
    settings: {
      rate: 10,
      concurrency: 4,
      hostGapMs: 500,
      timeoutMs: 8000,
      mode: 'standard',
      resolvers: [],
      ports: [{ port: 443, scheme: 'https' }],
      maxRequestsPerEndpoint: 5,
    },
    data: { version: shipped.dataVersion, asOf: shipped.asOf },
    startedAt: '2026-11-20T09:59:00.000Z',
  });
  writeFileSync(join(dir, 'results.jsonl'), `${JSON.stringify(record)}\n`);
  await markEnded(
    dir,
    meta,
    { state: 'finished', counts: { ...emptyCounts(), exchange: 1 }, requests: 3 },
    NOW,
  );
}

function storedPatchLevel(history: string): string | null {
  const store = HistoryStore.openExisting(history);
  if (store === null) return null;
  try {
    const run = store.findRun('history-reclassify', '2026-11-20T09:59:00.000Z');
    return run === null ? null : (store.endpointIn(run.id, endpointKey(record))?.verdict?.patchLevel ?? null);
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  writeFileSync(join(root, 'sep26.csv'), SEP26_CSV);
  writeFileSync(join(root, 'kev.json'), KEV_JSON);
  updated = (
    await runDataUpdate({
      from: [join(root, 'sep26.csv'), fixture('build-numbers-learn.sep26.html'), join(root, 'kev.json')],
      userDataDir: join(root, 'user'),
      now: NOW,
    })
  ).kb;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('records a recorded run again with its new verdicts', async () => {
  const dir = join(root, 'recorded');
  const history = join(root, 'recorded.db');
  await finishedRun(dir);
  await recordRunInHistory(dir, { path: history });
  expect(storedPatchLevel(history)).toBe('current');

  const r = await reclassifyRun(dir, { kb: updated, now: NOW, historyPath: history });
  expect(r.changes).toHaveLength(1);
  expect(r.written).toContain(history);
  expect(storedPatchLevel(history)).toBe('outdated');
});

it('does not add a run the history never held', async () => {
  const dir = join(root, 'unrecorded');
  const history = join(root, 'unrecorded.db');
  await finishedRun(dir);
  await reclassifyRun(dir, { kb: updated, now: NOW, historyPath: history });
  expect(HistoryStore.openExisting(history)).toBeNull();
});
