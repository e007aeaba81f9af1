// `reclassify` in-process: the classifier input rebuilt from a record, the verdict changes it
// reports, and how it rewrites a run directory made by the engine's own writer (results.jsonl,
// results.scan.jsonl, run.json, reports). The "new" data is a user overlay made by a data update
// from the fixture feeds (a September 2026 SU on current CUs, CVE-2026-21527 added to KEV).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dataAgeWarning } from '../src/classify/freshness.js';
import { main } from '../src/cli/main.js';
import { classify } from '../src/classify/classify.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import { type KnowledgeBase } from '../src/classify/knowledge-base.js';
import { classifierInput } from '../src/reclassify/reclassify.js';
import { formatReclassify } from '../src/reclassify/reclassify-format.js';
import { reclassifyRun, SCAN_RESULTS_FILE } from '../src/reclassify/reclassify-run.js';
import { runDataUpdate } from '../src/data-update/update.js';
import { createRun } from '../src/run-store/index.js';
import { writeReports } from '../src/outputs/write-reports.js';
import {
  RESULT_SCHEMA,
  type Evidence,
  type Precision,
  type ResultRecord,
} from '../src/core/result-schema.js';
import { fixture, KEV_JSON, SEP26_CSV } from './fixtures/data-update/feeds.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const TODAY = '2026-11-27';
const root = mkdtempSync(join(tmpdir(), 'owa-audit-reclassify-'));
const shipped = loadKnowledgeBase({ userDataDir: null });
let updated: KnowledgeBase;

beforeAll(async () => {
  writeFileSync(join(root, 'sep26.csv'), SEP26_CSV);
  writeFileSync(join(root, 'kev.json'), KEV_JSON);
  const r = await runDataUpdate({
    from: [join(root, 'sep26.csv'), fixture('build-numbers-learn.sep26.html'), join(root, 'kev.json')],
    userDataDir: join(root, 'user'),
    now: NOW,
  });
  updated = r.kb;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let ip = 0;
function record(
  build: string | null,
  precision: Precision,
  opts: { evidence?: Evidence[]; status?: ResultRecord['status']; hint?: string } = {},
): ResultRecord {
  ip++;
  const status = opts.status ?? 'exchange';
  return {
    schema: RESULT_SCHEMA,
    target: `mail${ip}.example.org`,
    host: `mail${ip}.example.org`,
    ip: `192.0.2.${ip}`,
    port: 443,
    scheme: 'https',
    status,
    observedAt: '2026-11-20T10:00:00.000Z',
    requests: 3,
    // As the scanner writes them: the verdict names the source of its build.
    exchange:
      status === 'exchange'
        ? classify(shipped, opts.hint ?? build ?? '', precision, {
            today: TODAY,
            ...(opts.evidence === undefined && build !== null ? { source: 'x-owa-version' as const } : {}),
          })
        : null,
    evidence: opts.evidence ?? [
      {
        signal: 'x-owa-version',
        url: `https://192.0.2.${ip}/autodiscover/autodiscover.xml`,
        value: build ?? '',
      },
    ],
    tls: null,
    owner: null,
    error: null,
  };
}

const CROSS_CU: Evidence = {
  signal: 'conflict',
  url: 'https://192.0.2.99/owa/auth/logon.aspx',
  value:
    'OWA asset path says 15.2.1544 but X-OWA-Version says 15.2.1748.49 (a different CU); kept 15.2.1748.49: a 4-part number is more precise; precision lowered to approximate',
};

describe('the classifier input of a record', () => {
  it('is exact for 4 parts, cu for 3, a product hint without a build', () => {
    const basis = { source: 'x-owa-version', contradicted: false };
    expect(classifierInput(record('15.2.2562.46', 'exact'))).toEqual({
      build: '15.2.2562.46',
      precision: 'exact',
      ...basis,
    });
    // Unpublished at scan time: exact again, so that a build published since becomes exact.
    expect(classifierInput(record('15.2.2562.50', 'exact'))).toEqual({
      build: '15.2.2562.50',
      precision: 'exact',
      ...basis,
    });
    expect(classifierInput(record('15.2.2562', 'cu'))).toEqual({
      build: '15.2.2562',
      precision: 'cu',
      ...basis,
    });
    expect(classifierInput(record(null, 'product', { hint: '14' }))).toEqual({
      build: '14',
      precision: 'product',
    });
  });

  it('keeps approximate when the fingerprint lowered it because signals disagreed about the CU', () => {
    const r = record('15.2.1748.49', 'approximate', { evidence: [CROSS_CU] });
    expect(classifierInput(r)).toEqual({
      build: '15.2.1748.49',
      precision: 'approximate',
      source: null,
      contradicted: true,
    });
  });

  it('carries the source and the contradiction the verdict records (issue 13 fields)', () => {
    const r = record('15.1.2242.5', 'exact', {
      evidence: [{ signal: 'exporttool-manifest', url: 'https://192.0.2.98/ecp/x', value: '15.1.2242.5' }],
    });
    // A record written before `buildSource` existed: the source is read from its evidence.
    expect(classifierInput(r)).toMatchObject({ source: 'exporttool-manifest', contradicted: false });
    const after = classify(shipped, '15.1.2242.5', 'exact', { today: TODAY, source: 'exporttool-manifest' });
    expect(after).toMatchObject({ lowerBound: true, buildSource: 'exporttool-manifest', release: 'CU20' });
    const contested = { ...r, exchange: { ...after, contradicted: true } };
    expect(classifierInput(contested)).toMatchObject({ precision: 'approximate', contradicted: true });
  });
});

describe('reclassifying a run directory', () => {
  const dir = join(root, 'run');
  const records = [
    record('15.2.2562.46', 'exact'), // SE Aug26SU: current → outdated
    record('15.2.2562.35', 'exact'), // SE Dec25SU: vulnerable (CVE-2026-42897); CVE-2026-21527 now KEV too
    record('15.2.1748.49', 'exact'), // 2019 CU15 Aug26SU: current → outdated
    record('15.2.2562.50', 'exact'), // seen before it was published: unknown → current, exact
    record('14.3.513.0', 'exact'), // 2010 SP3 RU32: nothing new for it
    record(null, 'exchange-online' as Precision, { status: 'not-exchange' }),
  ];
  let original: string;

  beforeAll(async () => {
    await createRun(dir, {
      name: 'reclassify-test',
      scanFile: { path: 'scans/test.yaml', source: 'name: reclassify-test\n' },
      authorisation: { by: 'Test', reference: 'T-1', contact: 'soc@example.org', validUntil: '2026-12-31' },
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
    // A line that is not a record (someone's note) must survive untouched.
    original = `${records.map((r) => JSON.stringify(r)).join('\n')}\n# kept as is\n`;
    writeFileSync(join(dir, 'results.jsonl'), original);
    await writeReports(dir, {
      formats: ['html', 'csv', 'intelmq'],
      perOwner: false,
      knowledge: shipped,
      now: NOW,
    });
  });

  it('a dry run reports the changes and writes nothing', async () => {
    const hash = (): string =>
      readdirSync(dir)
        .sort()
        .map(
          (f) =>
            `${f}:${createHash('sha256')
              .update(readFileSync(join(dir, f)))
              .digest('hex')}`,
        )
        .join(',');
    const before = hash();
    const r = await reclassifyRun(dir, { kb: updated, dryRun: true, now: NOW });
    expect(r.changes).toHaveLength(4);
    expect(hash()).toBe(before);
  });

  it('rewrites the verdicts with the current data and says what changed', async () => {
    const r = await reclassifyRun(dir, { kb: updated, now: NOW });
    expect(r).toMatchObject({
      rejudged: 5,
      untouched: 2,
      failures: [],
      previousDataVersion: shipped.dataVersion,
      dataVersion: updated.dataVersion,
    });
    const byTarget = new Map(r.changes.map((c) => [c.build, c]));
    expect(byTarget.get('15.2.2562.46')).toMatchObject({
      patchLevelChanged: true,
      before: { patchLevel: 'current' },
      after: { patchLevel: 'outdated' },
    });
    expect(byTarget.get('15.2.2562.35')).toMatchObject({
      before: { patchLevel: 'vulnerable' },
      after: { patchLevel: 'vulnerable' },
      kevNow: ['CVE-2026-21527'],
    });
    expect(byTarget.get('15.2.1748.49')).toMatchObject({ after: { patchLevel: 'outdated' } });
    expect(byTarget.get('15.2.2562.50')).toMatchObject({
      releaseChanged: true,
      before: { patchLevel: 'unknown', precision: 'approximate', release: null },
      after: { patchLevel: 'current', precision: 'exact', release: 'RTM Sep26SU' },
    });
    expect(byTarget.has('14.3.513.0')).toBe(false);

    const text = formatReclassify(r, false);
    expect(text).toMatch(
      /mail2\.example\.org {2}https:\/\/192\.0\.2\.2:443#mail2\.example\.org {2}15\.2\.2562\.35\n {4}now known exploited \(KEV\): CVE-2026-21527/,
    );
    expect(text).toMatch(
      /5 Exchange endpoint\(s\) re-judged: 4 changed \(3 patch level, 1 release, 1 CVE\/KEV\), 1 unchanged; 2 record\(s\) without a verdict/,
    );

    // results.jsonl: same lines in the same order, new verdicts; the scan's own kept once.
    const lines = readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n');
    expect(lines).toHaveLength(original.split('\n').length);
    expect(lines[6]).toBe('# kept as is');
    const now = lines.slice(0, 6).map((l) => JSON.parse(l) as ResultRecord);
    expect(now.map((x) => x.exchange?.patchLevel ?? null)).toEqual([
      'outdated',
      'vulnerable',
      'outdated',
      'current',
      'outdated',
      null,
    ]);
    expect(now[1]?.exchange?.cves.find((c) => c.id === 'CVE-2026-21527')).toMatchObject({ kev: true });
    expect(now.map((x) => ({ ...x, exchange: null }))).toEqual(
      records.map((x) => ({ ...x, exchange: null })),
    );
    expect(readFileSync(join(dir, SCAN_RESULTS_FILE), 'utf8')).toBe(original);

    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
    expect(run).toMatchObject({
      data: { version: updated.dataVersion, asOf: updated.asOf },
      reclassifiedAt: NOW.toISOString(),
      scanData: { version: shipped.dataVersion, asOf: shipped.asOf },
      name: 'reclassify-test',
    });

    // The reports the run had are written again, from the new verdicts and data version.
    expect(r.reports?.html).toBe(join(dir, 'report.html'));
    expect(r.reports?.pdf).toBeNull();
    expect(readdirSync(dir)).not.toContain('report.pdf');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain(updated.dataVersion);
    const csv = readFileSync(join(dir, 'results.csv'), 'utf8');
    expect(csv).toMatch(/15\.2\.2562\.35,exact,RTM Dec25SU,2025-12-09,vulnerable/);
    // The IntelMQ export follows the new verdicts too (a CERT's pipeline must not get stale events).
    const events = readFileSync(join(dir, 'intelmq.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.every((e) => e['extra.data_version'] === updated.dataVersion)).toBe(true);
    expect(events.find((e) => e['extra.build'] === '15.2.2562.35')).toMatchObject({
      'classification.identifier': 'exchange-kev-vulnerable',
    });
  });

  it('a second reclassify keeps the scan’s own results and data version; verdicts follow the data', async () => {
    const r = await reclassifyRun(dir, { kb: shipped, now: NOW });
    expect(r.changes).toHaveLength(4);
    expect(readFileSync(join(dir, SCAN_RESULTS_FILE), 'utf8')).toBe(original);
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
    expect(run).toMatchObject({
      data: { version: shipped.dataVersion },
      scanData: { version: shipped.dataVersion },
    });
    // Back on the data of the scan, every verdict is the scan's again.
    expect(readFileSync(join(dir, 'results.jsonl'), 'utf8')).toBe(original);
  });

  it('the command says once how old its data is, though the rewritten reports judge it stale too', async () => {
    // Time pinned 200 days after the data's date, whatever the wall clock says.
    const today = new Date(Date.parse(`${updated.asOf}T00:00:00Z`) + 200 * 86_400_000);
    vi.stubEnv('OWA_AUDIT_DATA_DIR', join(root, 'user'));
    vi.stubEnv('OWA_AUDIT_NOW', today.toISOString());
    let stderr = '';
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((stderr += String(c)), true));
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['node', 'owa-audit', 'reclassify', dir, '--no-history'])).toBe(0);
    } finally {
      err.mockRestore();
      out.mockRestore();
      vi.unstubAllEnvs();
    }
    const warning = dataAgeWarning(updated.asOf, today.toISOString().slice(0, 10)) ?? '';
    expect(warning).toContain('200 days old');
    expect(stderr.split('\n').filter((l) => l.includes('days old'))).toEqual([
      `owa-audit: warning: ${warning}`,
    ]);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('200 days old');
  });

  it('refuses what is not a run directory, with exit status 2', async () => {
    await expect(reclassifyRun(join(root, 'nope'), { kb: shipped })).rejects.toThrow(/no such run directory/);
    await expect(reclassifyRun(root, { kb: shipped })).rejects.toThrow(
      /not a run directory: run\.json is missing/,
    );
  });
});
