// One server, one entry, rendered in real headless Chromium: a run whose endpoints are several per
// server — one address by IP and by name, on 443 and 80, reading different versions; two addresses
// proven one machine (same certificate and X-FEServer name); a third sharing only the certificate
// (a wildcard); an Exchange server with a refused port. The reports list each server once with its
// endpoints under it, judge it by its worst endpoint and say so; results.csv names the server of
// every endpoint; the owners' PDFs and e-mail drafts list each of their machines once.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFirstBrowser, PdfRenderer } from '../src/report/index.js';
import { writeReports, type ReportFiles } from '../src/outputs/write-reports.js';
import type { Owner, ResultRecord } from '../src/core/result-schema.js';
import { writeRun } from './fixtures/history/runs.js';
import { oneLine, parseCsv, pdfText } from './fixtures/report/helpers.js';
import { cert, endpoint } from './fixtures/report/servers.js';

const NOW = new Date('2026-11-27T09:00:00Z');
const alpha: Owner = { name: 'Alpha Ltd', contact: 'soc@alpha.example' };
const beta: Owner = { name: 'Beta GmbH', contact: 'cert@beta.example' };
const WILDCARD = cert('c4');

const records: ResultRecord[] = [
  // Server 192.0.2.10: the exact build says current, port 80 only shows the CU — judged by the CU.
  endpoint({
    ip: '192.0.2.10',
    cert: cert('0a'),
    build: '15.2.1748.49',
    patchLevel: 'current',
    owner: alpha,
  }),
  endpoint({
    ip: '192.0.2.10',
    host: 'mail.alpha.example',
    cert: cert('0a'),
    build: '15.2.1748.49',
    patchLevel: 'current',
    owner: alpha,
  }),
  endpoint({
    ip: '192.0.2.10',
    host: 'mail.alpha.example',
    port: 80,
    scheme: 'http',
    build: '15.2.1748',
    precision: 'cu',
    patchLevel: 'outdated',
    certainty: 'possible',
    other: ['CVE-2025-59249'],
    owner: alpha,
  }),
  // Server 192.0.2.20: two addresses, same certificate and X-FEServer name, same build.
  endpoint({
    ip: '192.0.2.21',
    host: 'owa.alpha.example',
    cert: WILDCARD,
    fe: 'EXB01',
    build: '15.2.986.14',
    kev: ['CVE-2023-21529'],
    owner: alpha,
  }),
  endpoint({
    ip: '192.0.2.20',
    cert: WILDCARD,
    fe: 'EXB01',
    build: '15.2.986.14',
    kev: ['CVE-2023-21529'],
    owner: alpha,
  }),
  // 192.0.2.30 shares the wildcard certificate only: a machine of its own.
  endpoint({ ip: '192.0.2.30', cert: WILDCARD, fe: 'EXC01', patchLevel: 'current', owner: alpha }),
  // Server 198.51.100.5: Exchange on 443, 8443 refused — listed under the server.
  endpoint({ ip: '198.51.100.5', host: 'exch.beta.example', kev: ['CVE-2023-21529'], owner: beta }),
  endpoint({ ip: '198.51.100.5', port: 8443, error: 'connection-refused', owner: beta }),
  endpoint({ ip: '198.51.100.6', error: 'connect-timeout', owner: beta }),
];

let dir: string;
let grouped: string;
let renderer: PdfRenderer;
let files: ReportFiles;
let text: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'owa-audit-servers-'));
  grouped = join(dir, 'grouped');
  writeRun(join(dir, 'run'), { startedAt: '2026-11-27T01:00:00.000Z', records });
  writeRun(grouped, { startedAt: '2026-11-27T01:00:00.000Z', records });
  const launched = await launchFirstBrowser();
  if ('problem' in launched) throw new Error(`these tests need Chromium: ${launched.problem}`);
  renderer = launched.renderer;
  files = await writeReports(join(dir, 'run'), {
    formats: ['html', 'pdf', 'csv'],
    perOwner: true,
    browser: renderer,
    now: NOW,
  });
  await writeReports(grouped, {
    formats: ['html', 'pdf'],
    perOwner: false,
    browser: renderer,
    now: NOW,
    groupAbove: 1,
  });
  text = oneLine(pdfText(join(dir, 'run', 'report.pdf')));
}, 120_000);

afterAll(async () => {
  await renderer.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Occurrences of a literal string. */
const count = (haystack: string, needle: string): number => haystack.split(needle).length - 1;

describe('results.csv', () => {
  it('names the server of every endpoint in the last column', () => {
    const [header = [], ...rows] = parseCsv(readFileSync(join(dir, 'run', 'results.csv'), 'utf8'));
    expect(header.at(-1)).toBe('server');
    const col = (name: string) => header.indexOf(name);
    expect(rows.map((r) => `${r[col('endpoint_key')]} ${r[col('server')]}`)).toEqual([
      'https://192.0.2.10:443 192.0.2.10',
      'https://192.0.2.10:443#mail.alpha.example 192.0.2.10',
      'http://192.0.2.10:80#mail.alpha.example 192.0.2.10',
      'https://192.0.2.21:443#owa.alpha.example 192.0.2.20',
      'https://192.0.2.20:443 192.0.2.20',
      'https://192.0.2.30:443 192.0.2.30',
      'https://198.51.100.5:443#exch.beta.example 198.51.100.5',
      'https://198.51.100.5:8443 198.51.100.5',
      'https://198.51.100.6:443 198.51.100.6',
    ]);
  });
});

describe('the main report', () => {
  it('counts servers and endpoints, both, and judges servers by their worst endpoint', () => {
    expect(text).toContain(
      '4 Exchange servers (7 endpoints) found among 9 endpoints on 5 servers. 2 miss fixes for vulnerabilities known to be exploited in the wild.',
    );
    expect(text).toContain('9 ENDPOINTS CHECKED (5 SERVERS) 4 EXCHANGE SERVERS (7 ENDPOINTS)');
    // patch level × certainty, per server: 192.0.2.10 is outdated (possible), not current.
    expect(text).toMatch(/VULNERABLE 2 0 2 OUTDATED 0 1 1 CURRENT 1 0 1 UNKNOWN 0 0 0/);
  });

  it('gives each server one line in the action list', () => {
    const actions = text.slice(
      text.indexOf('What to do, most urgent first'),
      text.indexOf('Findings in detail'),
    );
    expect(actions).toMatch(
      /# SERVER · OWNER .* 1 exch\.beta\.example server 198\.51\.100\.5 · 2 endpoints Beta GmbH/,
    );
    expect(actions).toMatch(/2 owa\.alpha\.example server 192\.0\.2\.20 · 2 endpoints Alpha Ltd/);
    expect(actions).toMatch(
      /3 mail\.alpha\.example server 192\.0\.2\.10 · 3 endpoints · endpoints disagree, judged by the worst Alpha Ltd Exchange 2019 15\.2\.1748 OUTDATED POSSIBLE/,
    );
    // No fourth row (the running footer's "Page N of M" is no row number).
    expect(actions.replace(/Page \d+ of \d+/g, '')).not.toMatch(/\b4 /);
  });

  it('gives each server one section with its endpoints and what each read', () => {
    const details = text.slice(text.indexOf('Findings in detail'));
    expect(
      count(details, 'Server 192.0.2.10 · 3 endpoints · names mail.alpha.example · owner Alpha Ltd'),
    ).toBe(1);
    expect(
      count(details, 'Server 192.0.2.20 · 2 endpoints · names owa.alpha.example · owner Alpha Ltd'),
    ).toBe(1);
    expect(
      count(details, 'Server 198.51.100.5 · 2 endpoints · names exch.beta.example · owner Beta GmbH'),
    ).toBe(1);
    expect(details).toContain(
      'Its endpoints read different versions: Exchange 2019 15.2.1748.49 (exact build); Exchange 2019 15.2.1748 (cumulative update only). The verdict below is the worst of them (read at http://192.0.2.10:80)',
    );
    expect(details).toMatch(
      /http:\/\/192\.0\.2\.10:80 mail\.alpha\.example Exchange 2019 15\.2\.1748 · cumulative update only OUTDATED POSSIBLE the server's verdict/,
    );
    expect(details).toMatch(
      /https:\/\/192\.0\.2\.10:443 — Exchange 2019 15\.2\.1748\.49 · exact build CURRENT CONFIRMED/,
    );
    expect(details).toMatch(/https:\/\/192\.0\.2\.21:443 owa\.alpha\.example Exchange 2019 15\.2\.986\.14/);
    expect(details).toMatch(/https:\/\/198\.51\.100\.5:8443 — Unreachable \(connection- ?refused\) —/);
  });

  it('lists the other endpoints once, where they belong', () => {
    const current = text.slice(
      text.indexOf('Exchange servers with nothing to do'),
      text.indexOf('Endpoints that could not be read'),
    );
    expect(current).toContain('192.0.2.30 https://192.0.2.30:443 Alpha Ltd');
    const failures = text.slice(
      text.indexOf('Endpoints that could not be read'),
      text.indexOf('How this report was made'),
    );
    expect(failures).toContain('https://198.51.100.6:443');
    expect(failures).not.toContain('198.51.100.5');
  });

  it('in a grouped run, lists each server once in its verdict group with its endpoints', () => {
    const g = oneLine(pdfText(join(grouped, 'report.pdf')));
    expect(g).toContain('servers with the same version and verdict are grouped');
    expect(g).toMatch(
      /mail\.alpha\.example http:\/\/192\.0\.2\.10:80 \(mail\.alpha\.example\), https:\/\/192\.0\.2\.10:443, https:\/\/192\.0\.2\.10:443 \(mail\.alpha\.example\) Endpoints read Exchange 2019 15\.2\.1748\.49 \(exact build\); Exchange 2019 15\.2\.1748 \(cumulative update only\): judged by the worst\./,
    );
    expect(count(g, 'https://192.0.2.20:443')).toBe(1);
    expect(g).toMatch(
      /owa\.alpha\.example https:\/\/192\.0\.2\.20:443, https:\/\/192\.0\.2\.21:443 \(owa\.alpha\.example\) Alpha Ltd 15\.2\.986\.14/,
    );
    // A server whose worst endpoint is plain HTTP still shows the certificate of its https endpoint.
    expect(g).toMatch(
      /judged by the worst\. Alpha Ltd 15\.2\.1748 \(X-OWA- ?Version\) CN=192\.0\.2\.10 · valid to 2027-01-01/,
    );
  });
});

describe("the owners' notifications", () => {
  const ownerFiles = (name: string) => {
    const o = files.owners.find((x) => x.owner === name);
    if (o === undefined) throw new Error(`no report for ${name}`);
    return o;
  };

  it('list each of their machines once in the PDF', () => {
    const t = oneLine(pdfText(ownerFiles('Alpha Ltd').pdf ?? ''));
    expect(count(t, 'Server 192.0.2.10 · 3 endpoints')).toBe(1);
    expect(count(t, 'server 192.0.2.10 · 3 endpoints')).toBe(1);
    expect(count(t, 'Server 192.0.2.20 · 2 endpoints')).toBe(1);
    expect(t).toContain('3 Exchange servers (6 endpoints) found among 6 endpoints on 3 servers.');
    expect(t).not.toContain('198.51.100');
  });

  it('and once in the e-mail draft, with the endpoints and the disagreement', async () => {
    const mail = await simpleParser(readFileSync(ownerFiles('Alpha Ltd').eml ?? ''));
    const body = mail.text ?? '';
    expect(mail.subject).toBe(
      '[CERT-2026-7] Urgent: Exchange servers of Alpha Ltd: 1 server with known-exploited vulnerabilities, 1 behind on updates',
    );
    const flat = body.replace(/\s+/g, ' ');
    expect(flat).toContain('We found 3 Exchange servers of your organisation; 2 need action.');
    const blocks = body.split(/\n(?=\d+\. )/).filter((b) => /^\d+\. /.test(b));
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toMatch(/^1\. owa\.alpha\.example {2}\(server 192\.0\.2\.20, 2 endpoints\)/);
    expect(blocks[1]).toMatch(/^2\. mail\.alpha\.example {2}\(server 192\.0\.2\.10, 3 endpoints\)/);
    const second = (blocks[1] ?? '').replace(/\s+/g, ' ');
    expect(second).toContain(
      'Endpoints: http://192.0.2.10:80 (mail.alpha.example), https://192.0.2.10:443, https://192.0.2.10:443 (mail.alpha.example)',
    );
    expect(second).toContain(
      'Endpoints disagree: they read Exchange 2019 15.2.1748.49 (exact build); Exchange 2019 15.2.1748 (cumulative update only). The verdict is the worst of them, read at http://192.0.2.10:80.',
    );
    expect(second).toContain('Verdict: OUTDATED (possible).');
    expect(body).not.toContain('192.0.2.30'); // current: counted, not listed
  });
});
