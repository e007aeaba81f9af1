// Non-Exchange and tricky HTTP hosts of the standard fleet: Exchange Online, stock IIS / nginx /
// Apache, the header imitators, hostile markup, redirects (loop, out of scope) and Retry-After.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startFleet,
  standardFleet,
  standardFleetLayout,
  type Fleet,
  type RunningHost,
} from '../src/fleet/index.js';
import { fetchUrl, headerValues } from './helpers/fleet-fetch.js';

const BASE = '127.12.0.0';
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

beforeAll(async () => {
  fleet = await startFleet({
    hosts: standardFleet({ base: BASE, httpsPort: HTTPS, httpPort: HTTP }),
    lifetimeMs: 120_000,
  });
});

afterAll(async () => {
  await fleet.stop();
});

describe('Exchange Online', () => {
  it('carries *.PROD.OUTLOOK.COM back-end headers and redirects /owa/ to Microsoft login', async () => {
    const h = byProfile('exchange-online');
    const ad = await fetchUrl(url(h, '/autodiscover/autodiscover.xml'));
    expect(ad.status).toBe(401);
    expect(ad.headers['x-calculatedbetarget']).toMatch(/\.PROD\.OUTLOOK\.COM$/);
    expect(ad.headers['x-beserver']).toBe('GV1P191MB2243');
    expect(ad.headers['x-besku']).toBe('WCS7');
    expect(ad.headers['x-feserver']).toBeDefined();
    const owa = await fetchUrl(url(h, '/owa/'));
    expect(owa.status).toBe(302);
    expect(owa.headers.location).toMatch(
      /^https:\/\/login\.microsoftonline\.com\/common\/oauth2\/authorize\?/,
    );
    expect(h.expect.status).toBe('exchange-online');
  });
});

describe('ordinary web servers', () => {
  it('IIS default: welcome page on /, IIS 404 for /owa/, on https and http', async () => {
    const h = byProfile('iis-default');
    for (const scheme of ['https', 'http'] as const) {
      const root = await fetchUrl(url(h, '/', scheme));
      expect(root.status).toBe(200);
      expect(root.body).toContain('<title>IIS Windows Server</title>');
      expect(root.headers.server).toBe('Microsoft-IIS/10.0');
      const owa = await fetchUrl(url(h, '/owa/', scheme));
      expect(owa.status).toBe(404);
      expect(owa.body).toContain('404 - File or directory not found.');
      expect(owa.headers['x-feserver']).toBeUndefined();
    }
  });

  it('nginx default page and nginx 404', async () => {
    const h = byProfile('nginx-default');
    const root = await fetchUrl(url(h, '/', 'http'));
    expect(root.body).toContain('<title>Welcome to nginx!</title>');
    expect(root.headers.server).toBe('nginx/1.24.0');
    const owa = await fetchUrl(url(h, '/owa/', 'http'));
    expect(owa.status).toBe(404);
    expect(owa.body).toContain('<center>nginx/1.24.0</center>');
  });

  it('Apache answers 404 everywhere', async () => {
    const h = byProfile('apache-404');
    for (const path of ['/', '/owa/', '/autodiscover/autodiscover.xml']) {
      const r = await fetchUrl(url(h, path), { hostHeader: 'apache-404.fleet.test' });
      expect(r.status).toBe(404);
      expect(r.body).toContain(
        `<address>Apache/2.4.62 (Debian) Server at apache-404.fleet.test Port ${String(HTTPS)}</address>`,
      );
    }
  });

  it('imitators send one Exchange header on a 200 for every path and nothing else Exchange-shaped', async () => {
    const owaV = byProfile('imitator-owa-version');
    for (const path of ['/', '/owa/', '/owa/auth/logon.aspx', '/autodiscover/autodiscover.xml']) {
      const r = await fetchUrl(url(owaV, path));
      expect(r.status, path).toBe(200);
      expect(r.headers['x-owa-version'], path).toBe('15.1.2507.6');
      expect(r.headers['x-feserver'], path).toBeUndefined();
      expect(r.body, path).not.toContain('OwaPage');
    }
    const fe = await fetchUrl(url(byProfile('imitator-feserver'), '/owa/'));
    expect(fe.status).toBe(200);
    expect(fe.headers['x-feserver']).toBe('EXCH01');
    expect(fe.headers['x-owa-version']).toBeUndefined();
  });
});

describe('hostile markup', () => {
  it('puts markup, template and CSV-formula payloads in headers and the title of a real-looking Exchange', async () => {
    const h = byProfile('hostile-markup');
    const owa = await fetchUrl(url(h, '/owa/'));
    expect(owa.status).toBe(302);
    expect(owa.headers['x-feserver']).toBe('<script>alert("x-feserver")</script>');
    expect(owa.headers.server).toContain("<img src=x onerror=alert('server')>");
    const ad = await fetchUrl(url(h, '/autodiscover/autodiscover.xml'));
    expect(ad.headers['x-owa-version']).toBe(`15.1.2507.6"><img src=x onerror=alert('x-owa-version')>`);
    expect(ad.headers['x-feserver']).toMatch(/^=HYPERLINK\(/);
    const page = await fetchUrl(url(h, '/owa/auth/logon.aspx'));
    expect(page.body).toContain(`<title>Outlook</title><script>alert('title')</script>`);
    expect(page.body).toContain('{{constructor.constructor');
    expect(page.body).toContain('/owa/auth/15.1.2507/themes/');
    const manifest = await fetchUrl(
      url(h, '/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application'),
    );
    expect(manifest.body).toContain('name="microsoft.exchange.ediscovery.exporttool" version="15.1.2507.6"');
  });
});

describe('redirects', () => {
  it('loops /owa/ → /owa/x → /owa/ on the same origin', async () => {
    const h = byProfile('redirect-loop');
    const a = await fetchUrl(url(h, '/owa/'));
    expect(a.status).toBe(302);
    expect(a.headers.location).toBe(url(h, '/owa/x'));
    const b = await fetchUrl(a.headers.location ?? '');
    expect(b.headers.location).toBe(url(h, '/owa/'));
  });

  it('points /owa/ at the out-of-scope sentinel, which stays untouched', async () => {
    const h = byProfile('redirect-out-of-scope');
    const { sentinel, scope } = standardFleetLayout(BASE);
    expect(scope).toBe('127.12.0.0/24');
    expect(sentinel).toBe('127.12.250.1');
    const r = await fetchUrl(url(h, '/owa/'));
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe(`https://${sentinel}:${String(HTTPS)}/owa/`);
    expect(h.expect.signals).toEqual(['redirect-out-of-scope']);
    expect(fleet.host(sentinel)?.profile.kind).toBe('sentinel');
    expect(fleet.requestLog.connectionsTo(sentinel)).toBe(0);
    // It is a real listener: a (deliberate) request is seen and counted.
    const s = await fetchUrl(`https://${sentinel}:${String(HTTPS)}/owa/`);
    expect(s.status).toBe(404);
    expect(fleet.requestLog.connectionsTo(sentinel)).toBe(1);
  });
});

describe('Retry-After', () => {
  it('answers 429 during the first 2 s after the first request, then like Exchange', async () => {
    const h = byProfile('retry-after');
    const first = await fetchUrl(url(h, '/autodiscover/autodiscover.xml'));
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('2');
    const second = await fetchUrl(url(h, '/owa/'));
    expect(second.status).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 2100));
    const after = await fetchUrl(url(h, '/autodiscover/autodiscover.xml'));
    expect(after.status).toBe(401);
    expect(after.headers['x-owa-version']).toBe('15.2.1544.11');
    expect(headerValues(after, 'WWW-Authenticate')).toContain('NTLM');
    expect(fleet.requestLog.count(h.ip, HTTPS)).toBe(3);
  });
});
