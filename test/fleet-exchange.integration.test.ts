// The Exchange profiles of the standard fleet answer like the captures: redirects, logon page,
// 401s with or without X-OWA-Version, the exporttool manifest, thorough-mode directories — and
// every hand-written expectation agrees with what the host actually lets a client see.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWA_LOGON_TEMPLATE } from '../src/fleet/assets/owa-logon-template.js';
import {
  startFleet,
  standardFleet,
  type ExchangeProfile,
  type Fleet,
  type RunningHost,
} from '../src/fleet/index.js';
import { fetchUrl, headerValues } from './helpers/fleet-fetch.js';

const BASE = '127.10.0.0';
const HTTPS = 18443;
const HTTP = 18080;
let fleet: Fleet;

function byProfile(id: string): RunningHost {
  const host = fleet.hosts.find((h) => h.profile.id === id);
  if (host === undefined) throw new Error(`no host with profile ${id}`);
  return host;
}

function url(host: RunningHost, path: string, scheme: 'https' | 'http' = 'https'): string {
  return `${scheme}://${host.ip}:${String(scheme === 'https' ? HTTPS : HTTP)}${path}`;
}

const MANIFEST = '/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application';

beforeAll(async () => {
  fleet = await startFleet({
    hosts: standardFleet({ base: BASE, httpsPort: HTTPS, httpPort: HTTP }),
    lifetimeMs: 120_000,
  });
});

afterAll(async () => {
  await fleet.stop();
});

describe('the embedded logon template', () => {
  it('is the capture, byte for byte', () => {
    expect(OWA_LOGON_TEMPLATE.length).toBe(57_383);
    expect(createHash('sha256').update(OWA_LOGON_TEMPLATE).digest('hex')).toBe(
      'd8a7052d63186ed871352fc80dae7e30be2a0de708b00fd7e949862e66be0024',
    );
  });
});

describe('Exchange 2013+ flow (2019 CU9, as captured)', () => {
  it('redirects / like IIS and /owa/ to the forms logon page', async () => {
    const h = byProfile('ex2019-cu9');
    const root = await fetchUrl(url(h, '/'));
    expect(root.status).toBe(302);
    expect(root.statusMessage).toBe('Moved Temporarily');
    expect(root.headers.location).toBe(`https://${h.ip}:${String(HTTPS)}/owa/`);
    expect(root.rawNames).toContain('X-FEServer');
    expect(root.rawNames).toContain('X-RequestId');

    const owa = await fetchUrl(url(h, '/owa/'), { hostHeader: `ex2019-cu9.fleet.test:${String(HTTPS)}` });
    expect(owa.status).toBe(302);
    const origin = `https://ex2019-cu9.fleet.test:${String(HTTPS)}`;
    expect(owa.headers.location).toBe(
      `${origin}/owa/auth/logon.aspx?url=https%3a%2f%2fex2019-cu9.fleet.test%3a${String(HTTPS)}%2fowa%2f&reason=0`,
    );
    expect(owa.rawNames).toEqual(
      expect.arrayContaining(['X-Feserver', 'Request-Id', 'X-Powered-By', 'Server']),
    );
    expect(owa.headers.server).toBe('Microsoft-IIS/10.0');
    expect(owa.headers['x-feserver']).toMatch(/^WIN-[A-Z0-9]{11}$/);
    expect(owa.headers['x-owa-version']).toBeUndefined();
  });

  it("serves the captured logon page with the host's CU in every asset path", async () => {
    const h = byProfile('ex2019-cu9');
    const page = await fetchUrl(url(h, '/owa/auth/logon.aspx?url=https%3a%2f%2fmail%2fowa%2f&reason=0'), {
      hostHeader: 'ex2019-cu9.fleet.test',
    });
    expect(page.status).toBe(200);
    expect(page.bytes).toBeGreaterThan(57_000);
    expect(page.bytes).toBeLessThan(58_000);
    expect(page.body).toContain('<!-- OwaPage = ASP.auth_logon_aspx -->');
    expect(page.body).toContain('<title>Outlook</title>');
    expect(page.body).toContain('href="/owa/auth/15.2.858/themes/resources/favicon.ico"');
    expect(page.body.match(/\/owa\/auth\/15\.2\.858\//g)).toHaveLength(7);
    expect(page.body).not.toContain('15.1.1466');
    expect(page.body).toContain(
      '<input type="hidden" name="destination" value="https://ex2019-cu9.fleet.test/owa/">',
    );
    expect(page.headers['x-owa-version']).toBeUndefined();
    expect(page.headers['x-feserver']).toBeUndefined();
    expect(page.headers['x-aspnet-version']).toBe('4.0.30319');

    const ecp = await fetchUrl(url(h, '/owa/auth/logon.aspx?replaceCurrent=1&url=https://10.0.0.1/ecp'));
    expect(ecp.body).toContain('<title>Exchange Admin Center</title>');
  });

  it('answers unknown paths with the IIS 404 page, case-insensitively routes known ones', async () => {
    const h = byProfile('ex2019-cu9');
    const missing = await fetchUrl(url(h, '/nothing/here'));
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('404 - File or directory not found.');
    const upper = await fetchUrl(url(h, '/AutoDiscover/AutoDiscover.xml'));
    expect(upper.status).toBe(401);
  });
});

describe('every 2013+ host', () => {
  const exchangeHosts = (): RunningHost[] => fleet.hosts.filter((h) => h.profile.kind === 'exchange');

  it('has hand-written expectations that match what it lets a client see', async () => {
    expect(exchangeHosts().length).toBeGreaterThanOrEqual(18);
    for (const h of exchangeHosts()) {
      const p = h.profile as ExchangeProfile;
      const port = h.ports[0];
      if (port === undefined) throw new Error('no port');
      const base = `${port.scheme}://${h.ip}:${String(port.port)}`;
      const cu = p.installed.split('.').slice(0, 3).join('.');
      if (p.retryAfterSeconds !== undefined) continue; // covered in fleet-hostile

      const logon = await fetchUrl(`${base}/owa/auth/logon.aspx`);
      expect(logon.status, p.id).toBe(200);
      expect(logon.body, p.id).toContain(`/owa/auth/${cu}/themes/resources/`);

      const seen: Record<string, string | undefined> = {};
      for (const path of [
        '/autodiscover/autodiscover.xml',
        '/EWS/Exchange.asmx',
        '/Microsoft-Server-ActiveSync',
      ]) {
        const r = await fetchUrl(`${base}${path}`);
        expect(r.status, `${p.id} ${path}`).toBe(401);
        expect(
          headerValues(r, 'WWW-Authenticate').some((v) => v.startsWith('Basic realm=')),
          p.id,
        ).toBe(true);
        if (!path.startsWith('/Microsoft'))
          expect(headerValues(r, 'WWW-Authenticate'), p.id).toEqual(
            expect.arrayContaining(['Negotiate', 'NTLM']),
          );
        expect(r.headers['x-feserver'], p.id).toBeDefined();
        seen[path] = r.headers['x-owa-version'] as string | undefined;
      }
      expect(seen['/autodiscover/autodiscover.xml'], p.id).toBe(p.owaVersion ?? undefined);
      expect(seen['/EWS/Exchange.asmx'], p.id).toBe(p.owaVersion ?? undefined);

      const manifest = await fetchUrl(`${base}${MANIFEST}`);
      const manifestVersion =
        /<assemblyIdentity name="microsoft\.exchange\.ediscovery\.exporttool" version="([\d.]+)"/.exec(
          manifest.body,
        )?.[1];
      if (p.manifest === null) expect(manifest.status, p.id).toBe(404);
      else {
        expect(manifest.status, p.id).toBe(200);
        expect(manifest.headers['content-type'], p.id).toBe('application/x-ms-application');
        expect(manifest.bytes, p.id).toBeGreaterThan(15_000);
        expect(manifest.bytes, p.id).toBeLessThan(17_500);
        expect(manifestVersion, p.id).toBe(p.manifest.version);
        expect(
          manifest.body.match(new RegExp(`version="${p.manifest.version.replaceAll('.', '\\.')}"`, 'g')),
          p.id,
        ).toHaveLength(3);
      }

      // What a scanner can conclude: a clean 4-part header, else the manifest, else the 3-part path.
      const header = p.owaVersion !== null && /^\d+(\.\d+){3}$/.test(p.owaVersion) ? p.owaVersion : undefined;
      const best = header ?? manifestVersion;
      if (best !== undefined) {
        expect(h.expect.build, p.id).toBe(best);
        expect(['exact', 'approximate'], p.id).toContain(h.expect.precision);
      } else {
        expect(h.expect.build, p.id).toBe(cu);
        expect(h.expect.precision, p.id).toBe('cu');
        expect(h.expectThorough.build, p.id).toBe(p.installed);
      }
      expect(h.expect.product, p.id).toBe(p.product);
      expect(h.expect.status, p.id).toBe('exchange');
    }
  });

  it('answers /ecp/<build>/exporttool/ only for the installed build (thorough mode)', async () => {
    for (const id of ['ex2016-cu23-jan23su', 'exse-aug26su-bare', 'ex2013-cu23-dec20su']) {
      const h = byProfile(id);
      const p = h.profile as ExchangeProfile;
      const [maj, min, build, rev] = p.installed.split('.').map(Number);
      const other = `${String(maj)}.${String(min)}.${String(build)}.${String((rev ?? 0) + 1)}`;
      const hit = await fetchUrl(
        url(h, `/ecp/${p.installed}/exporttool/microsoft.exchange.ediscovery.exporttool.application`),
      );
      expect(hit.status, id).toBe(200);
      expect(hit.body, id).toContain(`version="${p.installed}"`);
      expect((await fetchUrl(url(h, `/ecp/${p.installed}/exporttool/`))).status, id).toBe(200);
      expect(
        (
          await fetchUrl(
            url(h, `/ecp/${other}/exporttool/microsoft.exchange.ediscovery.exporttool.application`),
          )
        ).status,
        id,
      ).toBe(404);
      expect((await fetchUrl(url(h, `/ecp/${other}/exporttool/`))).status, id).toBe(404);
    }
  });

  it('varies header spelling like real deployments', async () => {
    const lower = await fetchUrl(url(byProfile('ex2019-cu14-apr24hu'), '/autodiscover/autodiscover.xml'));
    expect(lower.rawNames).toContain('x-owa-version');
    const upper = await fetchUrl(url(byProfile('ex2019-cu11-nov21su'), '/autodiscover/autodiscover.xml'));
    expect(upper.rawNames).toContain('X-OWA-Version');
    expect(upper.headers['x-owa-version']).toBe('15.2.986.14');
    expect(upper.headers['x-feserver']).toMatch(/^EX19-0[1-4]$/);
  });
});

describe('Exchange 2007 and 2010', () => {
  it('2007 answers the logon page with 400 and still shows its 4-part build', async () => {
    const h = byProfile('ex2007-sp3');
    const owa = await fetchUrl(url(h, '/owa/'));
    expect(owa.status).toBe(302);
    expect(owa.headers['x-owa-version']).toBe('8.3.485.1');
    const page = await fetchUrl(url(h, '/owa/auth/logon.aspx'));
    expect(page.status).toBe(400);
    expect(page.headers['x-owa-version']).toBe('8.3.485.1');
    expect(page.headers.server).toBe('Microsoft-IIS/7.0');
    expect(page.headers['x-ua-compatible']).toBe('IE=EmulateIE7');
    expect(page.body).toContain('<title>Microsoft Exchange - Outlook Web Access</title>');
    expect(page.body).toContain('href="/owa/8.3.485.1/themes/base/logon.css"');
    expect(page.headers['x-feserver']).toBeUndefined();
  });

  it('2010 shows Outlook Web App, owaLgnBdy and 4-part paths; RU30 without the header', async () => {
    const ru32 = await fetchUrl(url(byProfile('ex2010-sp3-ru32'), '/owa/auth/logon.aspx'));
    expect(ru32.status).toBe(200);
    expect(ru32.headers['x-owa-version']).toBe('14.3.513.0');
    expect(ru32.headers.server).toBe('Microsoft-IIS/7.5');
    expect(ru32.body).toContain('<title>Outlook Web App</title>');
    expect(ru32.body).toContain('<body class="owaLgnBdy">');
    expect(ru32.body).toContain('/owa/14.3.513.0/themes/resources/logon.css');
    const ru30 = await fetchUrl(url(byProfile('ex2010-sp3-ru30'), '/owa/auth/logon.aspx'));
    expect(ru30.headers['x-owa-version']).toBeUndefined();
    expect(ru30.body).toContain('/owa/14.3.496.0/themes/resources/favicon.ico');
    const ews = await fetchUrl(url(byProfile('ex2010-sp3-ru30'), '/EWS/Exchange.asmx'));
    expect(ews.status).toBe(401);
    expect(ews.headers['x-feserver']).toBeUndefined();
    expect((await fetchUrl(url(byProfile('ex2010-sp3-ru32'), MANIFEST))).status).toBe(404);
  });
});

describe('http ports', () => {
  it("redirects an Exchange host's http port to https on the same name", async () => {
    const mail = byProfile('ex2016-cu23-aug26su');
    expect(mail.name).toBe('mail.fleet.test');
    const r = await fetchUrl(url(mail, '/owa/?a=1', 'http'), {
      hostHeader: `mail.fleet.test:${String(HTTP)}`,
    });
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe(`https://mail.fleet.test:${String(HTTPS)}/owa/?a=1`);
    expect(mail.ports.map((p) => [p.scheme, p.role])).toEqual([
      ['https', 'serve'],
      ['http', 'redirect-https'],
    ]);
  });

  it('serves Exchange over plain http on an http-only host', async () => {
    const h = byProfile('ex2019-cu15-aug25su');
    expect(h.ports).toHaveLength(1);
    const owa = await fetchUrl(url(h, '/owa/', 'http'));
    expect(owa.headers.location).toBe(
      `http://${h.ip}:${String(HTTP)}/owa/auth/logon.aspx?url=http%3a%2f%2f${h.ip}%3a${String(HTTP)}%2fowa%2f&reason=0`,
    );
    const ad = await fetchUrl(url(h, '/autodiscover/autodiscover.xml', 'http'));
    expect(ad.headers['x-owa-version']).toBe('15.2.1748.36');
  });
});

describe('TLS', () => {
  it('serves the shared certificate, an expired one and one with markup in the subject', async () => {
    const main = await fetchUrl(url(byProfile('ex2019-cu9'), '/'));
    expect(main.cert?.subject.CN).toBe('mail.fleet.test');
    expect(new Date(main.cert?.valid_to ?? 0).getUTCFullYear()).toBeGreaterThanOrEqual(2050);
    const expired = await fetchUrl(url(byProfile('ex2013-cu23-mar23su'), '/'));
    expect(expired.cert?.subject.CN).toBe('legacy.fleet.test');
    expect(new Date(expired.cert?.valid_to ?? 0).getTime()).toBeLessThan(Date.parse('2020-01-02'));
    const hostile = await fetchUrl(url(byProfile('hostile-markup'), '/'));
    expect(hostile.cert?.subject.CN).toBe("<script>alert('cn')</script>");
  });
});

describe('the request log', () => {
  it('counts per endpoint and path and keeps server-side timestamps', async () => {
    const h = byProfile('exse-rtm');
    fleet.requestLog.reset();
    expect(fleet.requestLog.requests).toBe(0);
    const before = performance.timeOrigin + performance.now();
    for (const path of ['/owa/', '/owa/auth/logon.aspx?x=1', '/autodiscover/autodiscover.xml', '/owa/'])
      await fetchUrl(url(h, path));
    const after = performance.timeOrigin + performance.now();
    expect(fleet.requestLog.count(h.ip, HTTPS)).toBe(4);
    expect(fleet.requestLog.count(h.ip)).toBe(4);
    expect(fleet.requestLog.count(h.ip, HTTPS, '/owa/')).toBe(2);
    expect(fleet.requestLog.count(h.ip, HTTPS, '/owa/auth/logon.aspx')).toBe(1);
    expect(fleet.requestLog.connectionsTo(h.ip, HTTPS)).toBe(4);
    const entries = fleet.requestLog.entries({ ip: h.ip });
    expect(entries.map((e) => e.path)).toEqual([
      '/owa/',
      '/owa/auth/logon.aspx',
      '/autodiscover/autodiscover.xml',
      '/owa/',
    ]);
    for (const e of entries) {
      expect(e.t).toBeGreaterThanOrEqual(before);
      expect(e.t).toBeLessThanOrEqual(after);
    }
    expect(entries.map((e) => e.t)).toEqual([...entries.map((e) => e.t)].sort((a, b) => a - b));
    expect(fleet.requestLog.minGapMs(h.ip)).toBeGreaterThan(0);
    const ep = fleet.requestLog.endpoints().find((e) => e.ip === h.ip);
    expect(ep?.paths.get('/owa/')).toBe(2);
  });

  it('attaches an expectation to every host and port', () => {
    for (const h of fleet.hosts) {
      expect(h.expect.why.length, h.profile.id).toBeGreaterThan(10);
      for (const p of h.ports) expect(p.expect.status, h.profile.id).toBeDefined();
    }
    expect(byProfile('tarpit').expect).toMatchObject({ status: 'unreachable', error: 'connect-timeout' });
    expect(byProfile('ex2016-cu23-jan23su').expectThorough).toMatchObject({
      build: '15.1.2507.17',
      precision: 'exact',
    });
  });
});
