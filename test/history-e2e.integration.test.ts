// The CERT workflow end to end, through the CLI: two scans of the simulated fleet with builds
// changed in between (one host patched, one newly vulnerable, one gone, one new, one on another
// build, one still vulnerable), recorded in a history; then diff (both forms), the report with
// "Since the last scan" and per-host history, per-owner .eml drafts with their PDFs, and the
// IntelMQ export. The first run is moved 14 days into the past before it is recorded, which is
// how the history's day counts are tested without waiting two weeks.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { parseCsv } from './fixtures/report/helpers.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { startFleet } from '../src/fleet/index.js';
import type { FleetHostSpec } from '../src/fleet/types.js';
import type { ProfileId } from '../src/fleet/catalogue.js';
import { openReportHistory } from '../src/history/report-history.js';
import type { ResultRecord } from '../src/core/result-schema.js';

const PORT = 18443;
const ip = (n: number): string => `127.55.0.${n}`;
const DAY_MS = 86_400_000;
const SHIFT_DAYS = 14;

/** Who is who: [address, profile in the first scan, profile in the second]; null = not running. */
const PLAN: [number, ProfileId | null, ProfileId | null, string][] = [
  [1, 'ex2019-cu11-nov21su', 'exse-aug26su', 'patched (vulnerable → current)'],
  // Every build below SE Aug26SU is vulnerable to some CVE the data knows, so the only builds
  // that are not are the newest and the retired 2007/2010 RU32 (outdated, nothing known open).
  [2, 'exse-aug26su', 'ex2016-cu23-jan23su-header', 'newly vulnerable (current → vulnerable)'],
  [3, 'ex2016-cu22-nov21su', null, 'gone'],
  [4, null, 'ex2019-cu14-apr24hu', 'new'],
  [5, 'ex2007-sp3', 'ex2010-sp3-ru32', 'changed build (outdated → outdated)'],
  [6, 'ex2016-cu23-jan23su-header', 'ex2016-cu23-jan23su-header', 'still vulnerable'],
  [7, 'iis-default', 'iis-default', 'not Exchange'],
];

function hosts(which: 1 | 2): FleetHostSpec[] {
  return PLAN.flatMap(([n, first, second]) => {
    const profile = which === 1 ? first : second;
    return profile === null
      ? []
      : [
          {
            ip: ip(n),
            name: `host${n}.fleet.test`,
            profile,
            ports: [{ port: PORT, scheme: 'https' as const }],
          },
        ];
  });
}

const SCAN_FILE = `name: cert-weekly
authorisation:
  by: Example CERT
  reference: CERT-2026-0099
  contact: scanning@cert.example
  valid_until: 2099-12-31
scope:
  include: [127.55.0.0/24]
targets: [${PLAN.map(([n]) => `"${ip(n)}"`).join(', ')}]
ports: [${PORT}]
owners:
  - name: Alpha Ltd
    contact: soc@alpha.example
    match: [127.55.0.1, 127.55.0.2, 127.55.0.3]
  - name: Beta GmbH
    contact: it-security@beta.example
    match: [127.55.0.0/24]
probe:
  rate: 500
  concurrency: 16
  host_gap_ms: 5
  timeout_ms: 3000
  mode: standard
`;

let dir: string;
let history: string;
let run1: string;
let run2: string;
const savedEnv = { chromium: process.env.PUPPETEER_EXECUTABLE_PATH, history: process.env.OWA_AUDIT_HISTORY };

async function cli(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((stderr += String(chunk)), true));
  process.exitCode = undefined;
  try {
    const status = await main(['node', 'owa-audit', ...args]);
    return { status, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

async function scan(which: 1 | 2, out: string): Promise<void> {
  const fleet = await startFleet({ hosts: hosts(which), lifetimeMs: 60_000 });
  try {
    const r = await cli('scan', join(dir, 'weekly.yaml'), '--out', out);
    expect(r.status, r.stderr).toBe(0);
  } finally {
    await fleet.stop();
  }
}

async function records(runDir: string): Promise<ResultRecord[]> {
  return (await readFile(join(runDir, 'results.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ResultRecord);
}

const shift = (iso: string): string => new Date(Date.parse(iso) - SHIFT_DAYS * DAY_MS).toISOString();

/** Moves a finished run SHIFT_DAYS into the past: run.json times and every observedAt. */
async function moveIntoThePast(runDir: string): Promise<void> {
  const meta = JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8')) as {
    startedAt: string;
    finishedAt: string;
  };
  await writeFile(
    join(runDir, 'run.json'),
    JSON.stringify({ ...meta, startedAt: shift(meta.startedAt), finishedAt: shift(meta.finishedAt) }),
  );
  const moved = (await records(runDir)).map((r) => JSON.stringify({ ...r, observedAt: shift(r.observedAt) }));
  await writeFile(join(runDir, 'results.jsonl'), `${moved.join('\n')}\n`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'owa-history-e2e-'));
  history = join(dir, 'state', 'history.db');
  await writeFile(join(dir, 'weekly.yaml'), SCAN_FILE);
  // The scans write their own reports; no PDFs there (fast), and no history of their own: this
  // test records the runs itself, after moving the first one into the past.
  process.env.PUPPETEER_EXECUTABLE_PATH = join(dir, 'no-chromium');
  process.env.OWA_AUDIT_HISTORY = 'none';
  run1 = join(dir, 'run-1');
  run2 = join(dir, 'run-2');
  await scan(1, run1);
  await scan(2, run2);
  await moveIntoThePast(run1);
  if (savedEnv.chromium === undefined) delete process.env.PUPPETEER_EXECUTABLE_PATH;
  else process.env.PUPPETEER_EXECUTABLE_PATH = savedEnv.chromium;
}, 120_000);

afterAll(async () => {
  if (savedEnv.history === undefined) delete process.env.OWA_AUDIT_HISTORY;
  else process.env.OWA_AUDIT_HISTORY = savedEnv.history;
  await rm(dir, { recursive: true, force: true });
});

describe('two scans of the fleet, builds changed in between', () => {
  it('the scans saw what the plan says', async () => {
    const byIp = new Map((await records(run2)).map((r) => [r.ip, r]));
    expect(byIp.get(ip(1))?.exchange?.patchLevel).toBe('current');
    expect(byIp.get(ip(2))?.exchange?.patchLevel).toBe('vulnerable');
    expect(byIp.get(ip(3))?.status).toBe('unreachable');
    const before = new Map((await records(run1)).map((r) => [r.ip, r]));
    expect(before.get(ip(1))?.exchange?.patchLevel).toBe('vulnerable');
    expect(before.get(ip(4))?.status).toBe('unreachable');
  });

  it('history import records both runs; importing again does not duplicate', async () => {
    const first = await cli('history', 'import', run1, run2, '--history', history);
    expect(first.status, first.stderr).toBe(0);
    // 3 vulnerable in each run: 2019 CU11, 2016 CU22, 2016 CU23 Jan23SU; then 2016 CU23 Jan23SU twice
    // and the new 2019 CU14 Apr24HU.
    expect(
      first.stdout.match(/^recorded cert-weekly started .*: 7 endpoints, 5 Exchange, 3 vulnerable$/gm),
    ).toHaveLength(2);
    const again = await cli('history', 'import', run2, '--history', history);
    expect(again.stdout).toMatch(/^replaced cert-weekly/);
    const list = await cli('history', 'list', '--json', '--history', history);
    const runs = JSON.parse(list.stdout) as { startedAt: string; endpoints: number }[];
    expect(runs).toHaveLength(2);
    expect(Date.parse(runs[1]?.startedAt ?? '') - Date.parse(runs[0]?.startedAt ?? '')).toBeGreaterThan(
      (SHIFT_DAYS - 1) * DAY_MS,
    );
    const table = await cli('history', 'list', '--history', history);
    expect(table.stdout.split('\n')[0]).toMatch(
      /^scan\s+started\s+state\s+endpoints\s+exchange\s+vulnerable\s+run directory$/,
    );
  });

  it('diff <run-a> <run-b> finds every category, in the terminal and as JSON', async () => {
    const json = await cli('diff', run1, run2, '--json');
    expect(json.status, json.stderr).toBe(0);
    const d = JSON.parse(json.stdout) as Record<string, { endpointKey: string; ip: string }[]> & {
      counts: Record<string, number>;
    };
    const ips = (k: string): string[] => (d[k] ?? []).map((e) => e.ip);
    expect(ips('fixed')).toEqual([ip(1)]);
    expect(ips('newlyVulnerable')).toEqual([ip(2)]);
    expect(ips('gone')).toEqual([ip(3)]);
    expect(ips('new')).toEqual([ip(4)]);
    expect(ips('changedBuild')).toEqual([ip(5)]);
    expect(ips('stillVulnerable')).toEqual([ip(6)]);
    expect(d.counts).toMatchObject({
      new: 1,
      gone: 1,
      newlyVulnerable: 1,
      fixed: 1,
      changedBuild: 1,
      stillVulnerable: 1,
      changedVerdict: 0,
      unchanged: 0,
    });

    const text = await cli('diff', run1, run2);
    expect(text.stdout).toContain('Fixed (1)');
    expect(text.stdout).toMatch(
      /✓ 127\.55\.0\.1 {2}https:\/\/127\.55\.0\.1:18443 {2}Exchange 2019 15\.2\.986\.14 \(CU11 Nov21SU\) · vulnerable → Exchange SE 15\.2\.2562\.46 .*· current/,
    );
    expect(text.stdout).toMatch(/- 127\.55\.0\.3 .* now unreachable \(connection-refused\)/);
    expect(text.stdout).toContain(
      'Exchange endpoints: 1 newly vulnerable, 1 new, 1 still vulnerable, 1 fixed, 1 gone, 1 changed build.',
    );
    expect(text.stdout.indexOf('Newly vulnerable (1)')).toBeLessThan(text.stdout.indexOf('Fixed (1)'));
    expect(text.stdout).toMatch(/! 127\.55\.0\.6 .*· vulnerable \(same as before\)/);
  });

  it('diff <run-b> compares with the previous run of the same scan in the history', async () => {
    const r = await cli('diff', run2, '--json', '--history', history);
    expect(r.status, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as { counts: Record<string, number>; before: { runDir: string } };
    expect(d.before.runDir).toBe(run1);
    expect(d.counts).toMatchObject({
      new: 1,
      gone: 1,
      newlyVulnerable: 1,
      fixed: 1,
      changedBuild: 1,
      stillVulnerable: 1,
    });
    const off = await cli('diff', run2, '--no-history');
    expect(off.status).toBe(2);
    expect(off.stderr).toContain('needs the scan history');
  });

  it('per-host history: first seen, first seen vulnerable and days exposed', async () => {
    const meta = JSON.parse(await readFile(join(run2, 'run.json'), 'utf8')) as {
      name: string;
      startedAt: string;
    };
    const h = openReportHistory(history, meta);
    if (h === null) throw new Error('history database missing');
    try {
      const now = new Map((await records(run2)).map((r) => [r.ip, r]));
      const then = new Map((await records(run1)).map((r) => [r.ip, r]));
      const at = (m: Map<string | null, ResultRecord>, n: number): ResultRecord => {
        const r = m.get(ip(n));
        if (r === undefined) throw new Error(`no record for ${ip(n)}`);
        return r;
      };
      const still = h.hostHistory(at(now, 6));
      expect(still).toMatchObject({
        observations: 2,
        firstSeen: at(then, 6).observedAt,
        firstSeenVulnerable: at(then, 6).observedAt,
      });
      expect(still.daysExposed).toBe(SHIFT_DAYS);
      const newly = h.hostHistory(at(now, 2));
      expect(newly).toMatchObject({
        firstSeen: at(then, 2).observedAt,
        firstSeenVulnerable: at(now, 2).observedAt,
        daysExposed: 0,
      });
      const patched = h.hostHistory(at(now, 1));
      expect(patched).toMatchObject({
        firstSeenVulnerable: at(then, 1).observedAt,
        vulnerableSince: null,
        daysExposed: null,
      });
      const fresh = h.hostHistory(at(now, 4));
      // 2019 CU14 Apr24HU is vulnerable on arrival: first seen and first seen vulnerable together.
      expect(fresh).toMatchObject({
        firstSeen: at(now, 4).observedAt,
        firstSeenVulnerable: at(now, 4).observedAt,
      });
      expect(h.since?.counts.fixed).toBe(1);
    } finally {
      h.close();
    }
  });

  describe('report --per-owner with the history', () => {
    let stdout: string;
    beforeAll(async () => {
      const r = await cli(
        'report',
        run2,
        '--per-owner',
        '--format',
        'html,pdf,csv,intelmq',
        '--history',
        history,
      );
      expect(r.status, r.stderr).toBe(0);
      stdout = r.stdout;
    }, 120_000);

    it('the report says what changed since the last scan and how long each host is exposed', async () => {
      const html = await readFile(join(run2, 'report.html'), 'utf8');
      expect(html).toContain('<h2 id="since">Since the last scan</h2>');
      expect(html).toContain(
        'Exchange endpoints since the last scan: 1 newly vulnerable, 1 new, 1 fixed, 1 still vulnerable, 1 gone, 1 on another build.',
      );
      for (const title of [
        'Newly vulnerable',
        'New Exchange servers',
        'Still vulnerable',
        'Fixed',
        'Gone',
        'Changed build',
      ]) {
        expect(html).toContain(`<div class="group-title">${title} <span class="count">(1)</span></div>`);
      }
      expect(html).toContain(`exposed for at least ${SHIFT_DAYS} days`);
      expect(html).not.toMatch(/<script/i);
      // The owner's report: the same section, with only the owner's own servers.
      const alpha = (await readdir(join(run2, 'owners'))).find(
        (f) => f.startsWith('alpha-ltd-') && f.endsWith('.html'),
      );
      const alphaHtml = await readFile(join(run2, 'owners', alpha ?? ''), 'utf8');
      expect(alphaHtml).toContain(
        'Exchange endpoints since the last scan: 1 newly vulnerable, 1 fixed, 1 gone.',
      );
      for (const n of [4, 5, 6, 7]) expect(alphaHtml).not.toContain(ip(n));
    });

    it('results.csv carries first seen and days exposed from the history', async () => {
      const [names = [], ...rows] = parseCsv(await readFile(join(run2, 'results.csv'), 'utf8'));
      const cell = (n: number, name: string): string | undefined =>
        rows.find((row) => row[names.indexOf('ip')] === ip(n))?.[names.indexOf(name)];
      expect(cell(6, 'days_exposed')).toBe(String(SHIFT_DAYS));
      expect(cell(6, 'history_checks')).toBe('2');
      expect(cell(1, 'days_exposed')).toBe(''); // patched
      expect(cell(1, 'first_seen_vulnerable')).not.toBe('');
      // New: unreachable in the first scan, so first seen as Exchange in this one.
      expect(cell(4, 'history_checks')).toBe('2');
      expect(cell(4, 'first_seen')).toBe(cell(4, 'observed_at'));
    });

    it('each owner gets an .eml draft that a standard parser reads back, with the PDF attached', async () => {
      const owners = (await readdir(join(run2, 'owners'))).sort();
      const emls = owners.filter((f) => f.endsWith('.eml'));
      expect(emls).toHaveLength(2);
      for (const eml of emls) {
        expect(owners).toContain(eml.replace(/\.eml$/, '.pdf'));
        expect(stdout).toContain(join(run2, 'owners', eml));
      }
      const alphaFile = emls.find((f) => f.startsWith('alpha-ltd-'));
      const mail = await simpleParser(await readFile(join(run2, 'owners', alphaFile ?? '')));
      const address = (a: AddressObject | AddressObject[] | undefined): string[] =>
        (a === undefined ? [] : Array.isArray(a) ? a : [a]).flatMap((x) =>
          x.value.map((v) => v.address ?? ''),
        );
      expect(address(mail.to)).toEqual(['soc@alpha.example']);
      expect(address(mail.from)).toEqual(['scanning@cert.example']);
      expect(address(mail.replyTo)).toEqual(['scanning@cert.example']);
      expect(mail.subject).toBe(
        '[CERT-2026-0099] Urgent: Exchange servers of Alpha Ltd: 1 server with known-exploited vulnerabilities',
      );
      expect(mail.attachments).toHaveLength(1);
      const pdf = mail.attachments[0];
      expect(pdf?.contentType).toBe('application/pdf');
      expect(pdf?.filename).toBe(alphaFile?.replace(/\.eml$/, '.pdf'));
      expect(pdf?.content.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf?.content.equals(await readFile(join(run2, 'owners', pdf.filename ?? '')))).toBe(true);
      const text = (mail.text ?? '').replace(/\s+/g, ' ');
      expect(text).toContain('127.55.0.2 (https://127.55.0.2:18443)');
      expect(text).toContain('Verdict: VULNERABLE');
      expect(text).toContain('build 15.1.2507.17');
      expect(text).toMatch(/Missing update: Exchange Server 2016 CU23 \S+, build 15\.1\.2507\.\d+/);
      expect(text).toMatch(/Known-exploited CVEs: CVE-[^.]*CVE-2023-21529/);
      expect(text).toMatch(
        /Since the previous check on .*: 1 endpoint fixed, 1 endpoint newly vulnerable, 1 endpoint no longer seen\./,
      );
      // Another owner's hosts never appear in this owner's message.
      for (const n of [4, 5, 6, 7]) expect(text).not.toContain(ip(n));
    });

    it('intelmq.jsonl holds an event for every vulnerable endpoint, and for every other one that needs action', async () => {
      const events = (await readFile(join(run2, 'intelmq.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const recs = await records(run2);
      const vulnerable = recs.filter((r) => r.exchange?.patchLevel === 'vulnerable').map((r) => r.ip);
      const kevEvents = events.filter((e) => e['classification.identifier'] === 'exchange-kev-vulnerable');
      expect(kevEvents.map((e) => e['source.ip']).sort()).toEqual(vulnerable.sort());
      expect(vulnerable).toEqual(expect.arrayContaining([ip(2), ip(6)]));
      const needAction = recs
        .filter((r) => r.exchange !== null && (r.exchange.patchLevel !== 'current' || !r.exchange.supported))
        .map((r) => r.ip);
      expect(events.map((e) => e['source.ip']).sort()).toEqual(needAction.sort());
      for (const e of events) {
        expect(e).toMatchObject({
          __type: 'Event',
          'feed.name': 'cert-weekly',
          'classification.taxonomy': 'vulnerable',
          'classification.type': 'vulnerable-system',
          'protocol.application': 'https',
          'protocol.transport': 'tcp',
          'source.port': PORT,
        });
        expect(e['time.source']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
      }
      const six = kevEvents.find((e) => e['source.ip'] === ip(6));
      expect(six).toMatchObject({
        'extra.build': '15.1.2507.17',
        'extra.owner': 'Beta GmbH',
        'source.abuse_contact': 'it-security@beta.example',
      });
      expect(six?.['extra.kev_cves']).toContain('CVE-2023-21529');
    });
  });
});
