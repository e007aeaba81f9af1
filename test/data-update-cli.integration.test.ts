// The issue's "done when", through the built CLI (dist/, built by `npm test`) with
// OWA_AUDIT_DATA_DIR pointing at a temp dir: a changed CSV, the Learn page and a KEV catalog are
// served from 127.50.0.2; after `data update --from <urls>` a build that was current is outdated
// and CVE-2026-21527 is known-exploited, in `classify --json` and in `reclassify` of a run made
// before the update. A bad row is skipped with a warning (shown by a --dry-run, which writes
// nothing); what is not a feed at all (an HTML error page, an empty or cut-off download) leaves the
// data untouched, exit 1 from a URL, 2 from a file; offline `--from <file>` gives the same data.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify } from '../src/classify/classify.js';
import { DataUpdateError, formatProblem } from '../src/data-update/errors.js';
import { runDataUpdate } from '../src/data-update/update.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import { createRun } from '../src/run-store/index.js';
import { RESULT_SCHEMA, type ExchangeVerdict, type ResultRecord } from '../src/core/result-schema.js';
import {
  BAD_ROW_CSV,
  BROKEN_KEV,
  ERROR_PAGE_HTML,
  KEV_JSON,
  LEARN_HTML,
  SEP26_CSV,
} from './fixtures/data-update/feeds.js';
import { serveFeeds, type FeedServer } from './fixtures/data-update/server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin/owa-audit.js');
const tmp = mkdtempSync(join(tmpdir(), 'owa-audit-data-cli-'));
const userDir = join(tmp, 'user-data');
const runDir = join(tmp, 'run');
// The day the commands take as today (OWA_AUDIT_NOW, src/cli/clock.ts): feed dates after it would
// be "in the future" and refused, so the wall clock must not choose it.
const today = '2026-11-27';
const shipped = loadKnowledgeBase({ userDataDir: null });
let server: FeedServer;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function owaAudit(args: string[], dataDir = userDir): Promise<Result> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OWA_AUDIT_DATA_DIR: dataDir,
    OWA_AUDIT_NOW: `${today}T12:00:00Z`,
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { cwd: root, env, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function verdicts(builds: string[], dataDir = userDir): Promise<ExchangeVerdict[]> {
  const r = await owaAudit(['classify', '--json', ...builds], dataDir);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ExchangeVerdict[];
}

const kevOf = (v: ExchangeVerdict | undefined, id: string): boolean | undefined =>
  v?.cves.find((c) => c.id === id)?.kev;

function hashes(dir: string): string {
  return readdirSync(dir)
    .sort()
    .map(
      (f) =>
        `${f}:${createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex')}`,
    )
    .join('\n');
}

function record(n: number, build: string): ResultRecord {
  return {
    schema: RESULT_SCHEMA,
    target: `mail${n}.example.org`,
    host: `mail${n}.example.org`,
    ip: `198.51.100.${n}`,
    port: 443,
    scheme: 'https',
    status: 'exchange',
    observedAt: '2026-11-20T10:00:00.000Z',
    requests: 3,
    exchange: classify(shipped, build, 'exact', { today }),
    evidence: [
      { signal: 'x-owa-version', url: `https://198.51.100.${n}/autodiscover/autodiscover.xml`, value: build },
    ],
    tls: null,
    owner: null,
    error: null,
  };
}

beforeAll(async () => {
  server = await serveFeeds('127.50.0.2', {
    '/ExchangeBuildNumbers.csv': { body: SEP26_CSV, headers: { 'content-type': 'text/csv' } },
    '/build-numbers-and-release-dates': { body: LEARN_HTML, headers: { 'content-type': 'text/html' } },
    '/feeds/known_exploited_vulnerabilities.json': {
      body: KEV_JSON,
      headers: { 'content-type': 'application/json' },
    },
    '/kev': { status: 302, headers: { location: '/feeds/known_exploited_vulnerabilities.json' } },
    '/bad-row.csv': { body: BAD_ROW_CSV },
    '/broken-kev.json': { body: BROKEN_KEV },
    '/error-page.csv': { body: ERROR_PAGE_HTML, headers: { 'content-type': 'text/html' } },
    '/empty.csv': { body: '' },
    '/cut-short.csv': { body: SEP26_CSV.slice(0, 2_000) },
    // A download that stops early: fewer bytes than announced.
    '/dropped.csv': { body: SEP26_CSV, dropAfter: 20_000 },
  });
  // A run scanned with the shipped data, with its HTML report and CSV (the engine's own writer).
  await createRun(runDir, {
    name: 'before-the-update',
    scanFile: { path: 'scans/acme.yaml', source: 'name: before-the-update\n' },
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
  });
  const records = [record(1, '15.2.2562.46'), record(2, '15.2.2562.35'), record(3, '15.2.1748.49')];
  writeFileSync(join(runDir, 'results.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
});

afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('owa-audit data update, classify and reclassify', () => {
  it('before the update: 15.2.2562.46 is current and CVE-2026-21527 is not known-exploited', async () => {
    const [aug, dec] = await verdicts(['15.2.2562.46', '15.2.2562.35']);
    expect(aug).toMatchObject({ patchLevel: 'current', latest: '15.2.2562.46' });
    // Already vulnerable before the update: the OWA zero-day CVE-2026-42897 (KEV) is fixed only by Jun26SU.
    expect(dec?.patchLevel).toBe('vulnerable');
    expect(kevOf(dec, 'CVE-2026-21527')).toBe(false);
    const report = await owaAudit(['report', runDir, '--format', 'html,csv']);
    expect(report.code, report.stderr).toBe(0);
  });

  it('updates from the served feeds and prints what changed', async () => {
    const r = await owaAudit([
      'data',
      'update',
      '--from',
      `${server.base}/ExchangeBuildNumbers.csv`,
      `${server.base}/build-numbers-and-release-dates`,
      `${server.base}/kev`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Updated: 3 source\(s\)\./);
    expect(r.stdout).toMatch(
      /New builds \(3\):\n.*CU14 Sep26SU.*\n.*CU15 Sep26SU +15\.2\.1748\.52.*\n.*RTM Sep26SU +15\.2\.2562\.50 +2026-09-08 +KB5130001 +\(gebn, mslearn\)/,
    );
    expect(r.stdout).toMatch(
      /KEV flags changed \(1\):\n {2}CVE-2026-21527 {2}now known exploited \(CISA added it 2026-09-09\)/,
    );
    // Every Exchange CVE of the catalog is in the data (CVE-2020-0688 and CVE-2021-42321 too).
    expect(r.stdout).not.toMatch(/In KEV, not mapped to fixing builds/);
    expect(r.stdout).toMatch(
      /Knowledge base 2026-09-10\+[0-9a-f]{8} \(as of 2026-09-10; builds \d{4}-\d{2}-\d{2}, KEV 2026-09-10\), was 2026-08-20\+[0-9a-f]{8}\./,
    );
    expect(server.requests).toContain('/feeds/known_exploited_vulnerabilities.json');
  });

  it('classify --json: the previously current build is outdated, the CVE is KEV-marked', async () => {
    const [aug, dec, sep] = await verdicts(['15.2.2562.46', '15.2.2562.35', '15.2.2562.50']);
    expect(aug).toMatchObject({ patchLevel: 'outdated', certainty: 'confirmed', latest: '15.2.2562.50' });
    expect(dec?.patchLevel).toBe('vulnerable');
    expect(kevOf(dec, 'CVE-2026-21527')).toBe(true);
    expect(sep).toMatchObject({ precision: 'exact', release: 'RTM Sep26SU', patchLevel: 'current' });
  });

  it('reclassify re-judges the run made before the update, rewrites it and its reports', async () => {
    const r = await owaAudit(['reclassify', runDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/mail1\.example\.org .*15\.2\.2562\.46\n {4}patch level: current → outdated/);
    expect(r.stdout).toMatch(
      /mail2\.example\.org .*15\.2\.2562\.35\n {4}now known exploited \(KEV\): CVE-2026-21527/,
    );
    expect(r.stdout).toMatch(/mail3\.example\.org .*15\.2\.1748\.49\n {4}patch level: current → outdated/);
    expect(r.stdout).toMatch(/3 Exchange endpoint\(s\) re-judged: 3 changed/);
    const status = await owaAudit(['data', 'status', '--json']);
    const version = (JSON.parse(status.stdout) as { dataVersion: string }).dataVersion;
    const run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { data: { version: string } };
    expect(run.data.version).toBe(version);
    const results = readFileSync(join(runDir, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ResultRecord);
    expect(results.map((x) => x.exchange?.patchLevel)).toEqual(['outdated', 'vulnerable', 'outdated']);
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain(version);
    expect(readFileSync(join(runDir, 'results.csv'), 'utf8')).toMatch(
      /15\.2\.2562\.46,exact,RTM Aug26SU,2026-08-11,outdated/,
    );
  });

  it('data status shows what the user data adds', async () => {
    const r = await owaAudit(['data', 'status']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /User data: {4}.*user-data \(from OWA_AUDIT_DATA_DIR; meta\.json, builds\.json, cves\.json; updated /,
    );
    expect(r.stdout).toMatch(
      /The user data adds:\n(.*\n)* {2}build SE RTM Sep26SU 15\.2\.2562\.50 \(2026-09-08\)\n {2}KEV CVE-2026-21527 \(added 2026-09-09\)/,
    );
  });

  it('--dry-run: a bad row is skipped with a warning naming file, line and reason; nothing is written', async () => {
    const before = hashes(userDir);
    const r = await owaAudit([
      'data',
      'update',
      '--dry-run',
      '--from',
      `${server.base}/bad-row.csv`,
      `${server.base}/kev`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Checked \(dry run, nothing written\): 2 source\(s\)\./);
    expect(r.stdout).toMatch(/bad-row\.csv {2}\(256 rows; 1 skipped: 1 syntax, \d+ KB\)/);
    expect(r.stdout).toContain(
      `Skipped as bad, the rest used (1):\n  ${server.base}/bad-row.csv:257: "Exchange SE RTM Oct26SU": 6 fields where the header has 5 (a comma too many?)\n`,
    );
    expect(r.stdout).toContain(`Nothing was written to ${userDir}.`);
    // The one warning (the data-age warning depends on the wall clock).
    expect(r.stderr.split('\n').filter((l) => l.includes('skipped'))).toEqual([
      `owa-audit: warning: ${server.base}/bad-row.csv: 1 of 256 row(s) skipped as bad; the rest was used.`,
    ]);
    expect(hashes(userDir)).toBe(before);
  });

  it('an HTML error page served as the feed is refused: exit 1, data untouched', async () => {
    const before = hashes(userDir);
    const r = await owaAudit([
      'data',
      'update',
      '--from',
      `${server.base}/error-page.csv`,
      `${server.base}/kev`,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^owa-audit: data update refused:\n {2}http:\/\/127\.50\.0\.2:\d+\/error-page\.csv: an HTML page without a table with the columns .*\(title "503 Service Unavailable"\): an error or sign-in page/,
    );
    expect(r.stderr).toContain(`owa-audit: nothing was changed in ${userDir}.`);
    expect(hashes(userDir)).toBe(before);
  });

  // The same path in-process (the CLI adds only the printing checked above): quicker on a busy machine.
  it.each([
    ['an HTML error page as the KEV catalog', '/error-page.csv', /an HTML page without a table/],
    ['an empty body', '/empty.csv', /empty\.csv: empty: a failed or interrupted download\?/],
    [
      'a download cut short at a row',
      '/cut-short.csv',
      /cut-short\.csv: 21 row\(s\), where the shipped data has \d+ builds from Microsoft's CSV/,
    ],
    ['a download that stops early', '/dropped.csv', /dropped\.csv: download failed: /],
    [
      'a KEV catalog cut short',
      '/broken-kev.json',
      /broken-kev\.json: not valid JSON .*truncated or damaged download/,
    ],
    ['a 404', '/missing.csv', /missing\.csv: HTTP 404 from 127\.50\.0\.2/],
  ])('%s is refused: exit 1, data untouched', async (_what, path, message) => {
    const before = hashes(userDir);
    const other = path === '/error-page.csv' ? '/ExchangeBuildNumbers.csv' : '/kev';
    let refused: DataUpdateError | null = null;
    try {
      await runDataUpdate({
        from: [`${server.base}${path}`, `${server.base}${other}`],
        userDataDir: userDir,
        now: new Date(`${today}T12:00:00Z`),
      });
    } catch (e) {
      if (!(e instanceof DataUpdateError)) throw e;
      refused = e;
    }
    expect(refused?.exitCode).toBe(1);
    expect(refused?.problems.map(formatProblem)[0]).toMatch(message);
    expect(hashes(userDir)).toBe(before);
  });

  it('a local file that is not the feed is bad input: exit 2, data untouched', async () => {
    const before = hashes(userDir);
    const file = join(tmp, 'ExchangeBuildNumbers.csv');
    writeFileSync(file, ERROR_PAGE_HTML);
    const r = await owaAudit(['data', 'update', '--from', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ExchangeBuildNumbers\.csv: an HTML page without a table/);
    expect(hashes(userDir)).toBe(before);
  });

  it('works offline from local files, to the same verdicts', async () => {
    const offline = join(tmp, 'offline-data');
    const files = { 'ExchangeBuildNumbers.csv': SEP26_CSV, 'learn.html': LEARN_HTML, 'kev.json': KEV_JSON };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(tmp, name), text);
    const r = await owaAudit(
      ['data', 'update', '--from', ...Object.keys(files).map((n) => join(tmp, n))],
      offline,
    );
    expect(r.code, r.stderr).toBe(0);
    const [aug, dec] = await verdicts(['15.2.2562.46', '15.2.2562.35'], offline);
    expect(aug?.patchLevel).toBe('outdated');
    expect(kevOf(dec, 'CVE-2026-21527')).toBe(true);
  });
});
