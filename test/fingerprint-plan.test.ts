// The probe plan, driven by the pure simulator: early stops, the request budget, redirects
// (followed in scope, refused out of scope, loops), and thorough mode.
import { describe, expect, it } from 'vitest';
import { fingerprint, MAX_REDIRECT_HOPS } from '../src/fingerprint/index.js';
import { fnv1a, prngFloat } from '../src/fleet/prng.js';
import { fixtureText } from './fixtures/fingerprint/responses.js';
import {
  exchangeHost,
  logonPage,
  manifestReply,
  owaRedirect,
  serviceChallenge,
  simulate,
  type SimHost,
  type SimReply,
} from './fixtures/fingerprint/simulator.js';

const O = 'https://mail.example.org';
const paths = (urls: readonly string[]): string[] => urls.map((u) => new URL(u).pathname);

describe('standard plan', () => {
  it('stops after step 3 when Autodiscover gives the exact build', () => {
    const run = simulate(exchangeHost({ build3: '15.1.2507', owaVersion: '15.1.2507.6' }));
    expect(paths(run.requests)).toEqual(['/owa/', '/owa/auth/logon.aspx', '/autodiscover/autodiscover.xml']);
    expect(run.requests[1]).toContain('?url=');
    expect(run.error).toBeNull();
    expect(fingerprint(run.responses)).toMatchObject({ build: '15.1.2507.6', precision: 'exact' });
  });

  it('no header: asks for the manifest as step 4 and takes its 4-part version', () => {
    const run = simulate(exchangeHost({ build3: '15.2.1544', manifest: '15.2.1544.4' }));
    expect(paths(run.requests)).toEqual([
      '/owa/',
      '/owa/auth/logon.aspx',
      '/autodiscover/autodiscover.xml',
      '/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application',
    ]);
    expect(fingerprint(run.responses)).toMatchObject({
      build: '15.2.1544.4',
      buildSource: 'exporttool-manifest',
    });
  });

  it('no header, no manifest: the CU after 4 requests (a 401 without the header is not retried on EWS)', () => {
    const run = simulate(exchangeHost({ build3: '15.1.2507' }));
    expect(run.requests).toHaveLength(4);
    expect(fingerprint(run.responses)).toMatchObject({ build: '15.1.2507', precision: 'cu' });
  });

  it('Autodiscover not published: EWS instead, exact at 4 requests', () => {
    const run = simulate(
      exchangeHost({ build3: '15.2.1748', owaVersion: '15.2.1748.36', autodiscover404: true }),
    );
    expect(paths(run.requests)).toEqual([
      '/owa/',
      '/owa/auth/logon.aspx',
      '/autodiscover/autodiscover.xml',
      '/EWS/Exchange.asmx',
    ]);
    expect(fingerprint(run.responses)).toMatchObject({ build: '15.2.1748.36', precision: 'exact' });
  });

  it('Autodiscover and EWS not published: the manifest still gets its turn, and the budget holds', () => {
    const run = simulate(
      exchangeHost({ build3: '15.0.1497', autodiscover404: true, ews404: true, manifest: '15.0.1497.2' }),
    );
    expect(paths(run.requests)).toEqual([
      '/owa/',
      '/owa/auth/logon.aspx',
      '/autodiscover/autodiscover.xml',
      '/EWS/Exchange.asmx',
      '/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application',
    ]);
  });

  it('/owa/ blocked: no logon-page request; Autodiscover, then the manifest', () => {
    const host = exchangeHost({ build3: '15.1.2507' });
    host.routes['/owa/'] = { status: 404 };
    const run = simulate(host);
    expect(paths(run.requests)).toEqual([
      '/owa/',
      '/autodiscover/autodiscover.xml',
      '/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application',
    ]);
    expect(fingerprint(run.responses)).toMatchObject({ status: 'exchange', build: null });
  });

  it('2010: the logon page carries the 4-part build → 2 requests', () => {
    const run = simulate({
      origin: O,
      routes: {
        '/owa/': owaRedirect(O, null),
        '/owa/auth/logon.aspx': {
          status: 200,
          headers: { 'x-owa-version': '14.3.513.0', server: 'Microsoft-IIS/7.5' },
          body: fixtureText('fingerprint/pages/ex2010-sp3-logon.html'),
        },
      },
    });
    expect(run.requests).toHaveLength(2);
    expect(fingerprint(run.responses)).toMatchObject({ build: '14.3.513.0', precision: 'exact' });
  });

  it('2007 answers the logon page with 400 and still gives its version → 2 requests', () => {
    const run = simulate({
      origin: O,
      routes: {
        '/owa/': owaRedirect(O, null),
        '/owa/auth/logon.aspx': { status: 400, body: fixtureText('fingerprint/pages/ex2007-sp3-logon.html') },
      },
    });
    expect(run.requests).toHaveLength(2);
    expect(fingerprint(run.responses)).toMatchObject({ build: '8.3.485.1', precision: 'exact' });
  });

  it('2010 without numbers: no manifest request (2007/2010 have none)', () => {
    const run = simulate({
      origin: O,
      routes: {
        '/owa/': owaRedirect(O, null),
        '/owa/auth/logon.aspx': { status: 200, body: fixtureText('fingerprint/pages/ex2010-no-number.html') },
      },
    });
    expect(paths(run.requests)).toEqual([
      '/owa/',
      '/owa/auth/logon.aspx',
      '/autodiscover/autodiscover.xml',
      '/EWS/Exchange.asmx',
      '/Microsoft-Server-ActiveSync',
    ]);
    expect(fingerprint(run.responses)).toMatchObject({ precision: 'product', productHint: '14' });
  });
});

describe('stopping early on hosts that are not Exchange', () => {
  it('IIS with 404s: 4 requests (/owa/ may sit behind SSO while EWS or ActiveSync answer)', () => {
    const run = simulate({ origin: O, routes: {} });
    expect(paths(run.requests)).toEqual([
      '/owa/',
      '/autodiscover/autodiscover.xml',
      '/EWS/Exchange.asmx',
      '/Microsoft-Server-ActiveSync',
    ]);
    expect(fingerprint(run.responses).status).toBe('not-exchange');
  });

  it('only ActiveSync answers as Exchange: found on request 4, cross-checked against the logon page on 5', () => {
    const run = simulate({
      origin: O,
      routes: {
        '/Microsoft-Server-ActiveSync': {
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="mail.example.org"', 'x-owa-version': '15.2.1544.11' },
        },
      },
    });
    expect(paths(run.requests)).toEqual([
      '/owa/',
      '/autodiscover/autodiscover.xml',
      '/EWS/Exchange.asmx',
      '/Microsoft-Server-ActiveSync',
      '/owa/auth/logon.aspx',
    ]);
    expect(fingerprint(run.responses)).toMatchObject({
      status: 'exchange',
      build: '15.2.1544.11',
      precision: 'exact',
    });
  });

  it('nginx answering 200 everywhere: stops when Autodiscover answers 200 (Exchange asks for credentials)', () => {
    const nginx: SimReply = {
      status: 200,
      headers: { server: 'nginx' },
      body: fixtureText('fingerprint/pages/nginx-default.html'),
    };
    const run = simulate({ origin: O, routes: {}, fallback: () => nginx });
    expect(run.requests).toHaveLength(2);
    expect(fingerprint(run.responses).status).toBe('not-exchange');
  });

  it('an imitator sending Exchange headers everywhere: bounded, and not Exchange', () => {
    const imitation: SimReply = {
      status: 200,
      headers: { 'x-owa-version': '15.1.2507.6', 'x-feserver': 'EX01' },
      body: 'ok',
    };
    const run = simulate({ origin: O, routes: {}, fallback: () => imitation });
    expect(run.requests.length).toBeLessThanOrEqual(5);
    expect(fingerprint(run.responses).status).toBe('not-exchange');
  });

  it('Exchange Online: stops once the cloud is recognised; the login redirect is refused', () => {
    const exo: SimReply = {
      status: 401,
      headers: {
        'www-authenticate': 'Bearer',
        'x-calculatedbetarget': 'GV1P191MB2243.EURP191.PROD.OUTLOOK.COM',
        'x-besku': 'WCS7',
        'x-beserver': 'GV1P191MB2243',
      },
    };
    const run = simulate({
      origin: 'https://outlook.office365.com',
      routes: {
        '/owa/': {
          status: 302,
          headers: { location: 'https://login.microsoftonline.com/common/oauth2/authorize?client_id=x' },
        },
        '/autodiscover/autodiscover.xml': exo,
      },
    });
    expect(paths(run.requests)).toEqual(['/owa/', '/autodiscover/autodiscover.xml']);
    expect(run.refused).toEqual(['https://login.microsoftonline.com/common/oauth2/authorize?client_id=x']);
    expect(fingerprint(run.responses).status).toBe('exchange-online');
  });
});

describe('redirects', () => {
  it('http → https on the same host is followed, and the later steps stay on https', () => {
    const https = exchangeHost({ build3: '15.1.2507', owaVersion: '15.1.2507.6' });
    const host: SimHost = {
      origin: 'http://mail.example.org',
      inScope: ['https://mail.example.org'],
      routes: {
        '/owa/': { status: 301, headers: { location: 'https://mail.example.org/owa/' } },
        ...Object.fromEntries(
          Object.entries(https.routes).map(([p, r]) => [`https://mail.example.org${p}`, r]),
        ),
      },
    };
    const run = simulate(host);
    expect(run.requests).toEqual([
      'http://mail.example.org/owa/',
      'https://mail.example.org/owa/',
      expect.stringMatching(
        /^https:\/\/mail\.example\.org\/owa\/auth\/logon\.aspx\?url=/,
      ) as unknown as string,
      'https://mail.example.org/autodiscover/autodiscover.xml',
    ]);
    expect(fingerprint(run.responses)).toMatchObject({ build: '15.1.2507.6', precision: 'exact' });
  });

  it('a redirect out of scope is refused (nothing sent) and probing goes on', () => {
    const host = exchangeHost({ build3: '15.1.2507', owaVersion: '15.1.2507.6' });
    host.routes['/owa/'] = { status: 302, headers: { location: 'https://127.250.0.1/owa/' } };
    const run = simulate(host);
    expect(run.refused).toEqual(['https://127.250.0.1/owa/']);
    expect(run.requests.every((u) => u.startsWith(O))).toBe(true);
    // The header from Autodiscover is lone: the logon page is asked for to cross-check it.
    expect(paths(run.requests)).toEqual(['/owa/', '/autodiscover/autodiscover.xml', '/owa/auth/logon.aspx']);
  });

  it('/owa/ behind AD FS: what rode on the refused redirect counts, and the service paths are asked', () => {
    const host: SimHost = {
      origin: O,
      routes: {
        '/owa/': {
          status: 302,
          headers: {
            location: `https://adfs.example.org/adfs/ls/?wa=wsignin1.0&wtrealm=${encodeURIComponent(`${O}/owa/`)}`,
            'x-owa-version': '15.2.2562.17',
            'x-feserver': 'EX1, EX2, EX3, EX4',
          },
        },
      },
    };
    const run = simulate(host);
    expect(run.refused).toHaveLength(1);
    // The build came with /owa/; the logon page (to cross-check it) is not served: done.
    expect(paths(run.requests)).toEqual(['/owa/', '/owa/auth/logon.aspx']);
    expect(fingerprint(run.responses)).toMatchObject({
      status: 'exchange',
      build: '15.2.2562.17',
      precision: 'exact',
    });
  });

  it('/owa/ behind a portal: the service paths are asked, and EWS gives the build', () => {
    const host: SimHost = {
      origin: O,
      routes: {
        '/owa/': { status: 302, headers: { location: `${O}/cgi/tm?code=abc` } },
        '/EWS/Exchange.asmx': serviceChallenge('15.2.2562.49', 'EXCH-02'),
      },
    };
    const run = simulate(host);
    expect(paths(run.requests)).toEqual([
      '/owa/',
      '/cgi/tm',
      '/autodiscover/autodiscover.xml',
      '/EWS/Exchange.asmx',
      '/owa/auth/logon.aspx',
    ]);
    expect(fingerprint(run.responses)).toMatchObject({ status: 'exchange', build: '15.2.2562.49' });
  });

  it('a loop (/owa/ → /owa/x → /owa/) ends with redirect-loop', () => {
    const run = simulate({
      origin: O,
      routes: {
        '/owa/': { status: 302, headers: { location: '/owa/x' } },
        '/owa/x': { status: 302, headers: { location: `${O}/owa/` } },
      },
    });
    expect(paths(run.requests)).toEqual(['/owa/', '/owa/x']);
    expect(run.error?.code).toBe('redirect-loop');
  });

  it('a page redirecting to itself is a loop after one request', () => {
    const run = simulate({ origin: O, routes: { '/owa/': { status: 302, headers: { location: '/owa/' } } } });
    expect(run.requests).toHaveLength(1);
    expect(run.error?.code).toBe('redirect-loop');
  });

  it(`more than ${MAX_REDIRECT_HOPS} hops in one chain is a redirect-loop`, () => {
    const routes: Record<string, SimReply> = { '/owa/': { status: 302, headers: { location: '/r1' } } };
    for (let i = 1; i < 10; i++) routes[`/r${i}`] = { status: 302, headers: { location: `/r${i + 1}` } };
    const run = simulate({ origin: O, routes }, { maxRequests: 20 });
    expect(run.requests).toHaveLength(MAX_REDIRECT_HOPS + 1);
    expect(run.error?.code).toBe('redirect-loop');
  });

  it('a long chain within the standard budget just stops at 5 requests', () => {
    const routes: Record<string, SimReply> = { '/owa/': { status: 302, headers: { location: '/r1' } } };
    for (let i = 1; i < 10; i++) routes[`/r${i}`] = { status: 302, headers: { location: `/r${i + 1}` } };
    expect(simulate({ origin: O, routes }).requests.length).toBeLessThanOrEqual(5);
  });

  it('a redirect to a page already fetched is not followed again (not a loop)', () => {
    const host = exchangeHost({ build3: '15.1.2507' });
    host.routes['/autodiscover/autodiscover.xml'] = owaRedirect(O);
    const run = simulate(host);
    expect(run.error).toBeNull();
    expect(paths(run.requests)).toEqual([
      '/owa/',
      '/owa/auth/logon.aspx',
      '/autodiscover/autodiscover.xml',
      '/EWS/Exchange.asmx',
      '/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application',
    ]);
  });

  it('a failure ends the plan', () => {
    const host = exchangeHost({ build3: '15.1.2507' });
    host.routes['/autodiscover/autodiscover.xml'] = { fail: 'timeout' };
    const run = simulate(host);
    expect(run.requests).toHaveLength(3);
    expect(run.error?.code).toBe('timeout');
  });
});

describe('thorough mode', () => {
  const cu23 = [
    '15.1.2507.6',
    '15.1.2507.9',
    '15.1.2507.12',
    '15.1.2507.13',
    '15.1.2507.16',
    '15.1.2507.17',
    '15.1.2507.23',
    '15.1.2507.27',
    '15.1.2507.32',
    '15.1.2507.35',
    '15.1.2507.39',
    '15.1.2507.44',
    '15.1.2507.55',
    '15.1.2507.57',
    '15.1.2507.59',
  ];
  const candidatesForCu = (cu: string): string[] => (cu === '15.1.2507' ? cu23 : []);

  it('confirms the installed build, newest candidate first, stopping at the first 200', () => {
    const run = simulate(exchangeHost({ build3: '15.1.2507', installed: '15.1.2507.23' }), {
      mode: 'thorough',
      candidatesForCu,
    });
    const dirs = run.requests.slice(4).map((u) => new URL(u).pathname.split('/')[2]);
    expect(dirs).toEqual([
      '15.1.2507.59',
      '15.1.2507.57',
      '15.1.2507.55',
      '15.1.2507.44',
      '15.1.2507.39',
      '15.1.2507.35',
      '15.1.2507.32',
      '15.1.2507.27',
      '15.1.2507.23',
    ]);
    expect(fingerprint(run.responses)).toMatchObject({
      build: '15.1.2507.23',
      precision: 'exact',
      buildSource: 'ecp-version-dir',
    });
  });

  it('is bounded by the number of candidates when none answers', () => {
    const run = simulate(exchangeHost({ build3: '15.1.2507', installed: '15.1.2507.7' }), {
      mode: 'thorough',
      candidatesForCu,
    });
    expect(run.requests).toHaveLength(4 + cu23.length);
    expect(run.requests.length).toBeLessThanOrEqual(5 + cu23.length);
    expect(fingerprint(run.responses)).toMatchObject({ build: '15.1.2507', precision: 'cu' });
  });

  it('runs when only a manifest version (a component version) is known', () => {
    const run = simulate(
      exchangeHost({ build3: '15.1.2507', manifest: '15.1.2507.6', installed: '15.1.2507.44' }),
      { mode: 'thorough', candidatesForCu },
    );
    expect(fingerprint(run.responses)).toMatchObject({
      build: '15.1.2507.44',
      buildSource: 'ecp-version-dir',
    });
  });

  it('does nothing more when the exact build is already known', () => {
    const run = simulate(
      exchangeHost({ build3: '15.1.2507', owaVersion: '15.1.2507.6', installed: '15.1.2507.6' }),
      { mode: 'thorough', candidatesForCu },
    );
    expect(run.requests).toHaveLength(3);
  });

  it('a catch-all 200 stops the search without inventing a build', () => {
    const host = exchangeHost({ build3: '15.1.2507' });
    host.fallback = (url) =>
      url.pathname.startsWith('/ecp/15.') ? { status: 200, body: '<html>portal</html>' } : { status: 404 };
    const run = simulate(host, { mode: 'thorough', candidatesForCu });
    expect(run.requests).toHaveLength(5);
    expect(fingerprint(run.responses)).toMatchObject({ build: '15.1.2507', precision: 'cu' });
  });

  it('standard mode never asks for version directories', () => {
    const run = simulate(exchangeHost({ build3: '15.1.2507', installed: '15.1.2507.23' }), {
      candidatesForCu,
    });
    expect(run.requests.some((u) => /\/ecp\/15\./.test(u))).toBe(false);
  });
});

// ---- Random hosts: the budget holds whatever the server answers ------------------------------

/** A host whose reply to each URL is random but fixed (so loops are real loops). */
function randomHost(seed: number): SimHost {
  const origin = seed % 3 === 0 ? 'http://h.example.org' : 'https://h.example.org';
  const other = origin.startsWith('http:') ? 'https://h.example.org' : 'http://h.example.org';
  const replies: ((r: () => number) => SimReply)[] = [
    () => ({ status: 404 }),
    () => ({ status: 200, body: fixtureText('fingerprint/pages/iis-default.html') }),
    (r) => logonPage(`15.${Math.floor(r() * 3)}.${Math.floor(r() * 3000)}`),
    () => owaRedirect(origin),
    (r) => ({
      status: 302,
      headers: {
        location: ['/owa/', '/a', '/b', '/owa/auth/logon.aspx', '/ecp/'][Math.floor(r() * 5)] ?? '/',
      },
    }),
    () => ({ status: 301, headers: { location: `${other}/owa/` } }),
    () => ({ status: 302, headers: { location: 'https://127.250.0.1/owa/' } }),
    (r) => serviceChallenge(r() < 0.5 ? null : '15.1.2507.6'),
    () => ({
      status: 401,
      headers: { 'www-authenticate': 'Bearer', 'x-besku': 'WCS7', 'x-beserver': 'GV1P191MB2243' },
    }),
    (r) => manifestReply(r() < 0.5 ? '15.1.2375.7' : '{hidden}'),
    () => ({ status: 200, headers: { 'x-owa-version': '15.1.2507.6', 'x-feserver': 'EX01' }, body: 'ok' }),
    () => ({ status: 400, body: fixtureText('fingerprint/pages/ex2010-no-number.html') }),
    () => ({ status: 302, headers: { location: 'javascript:alert(1)' } }),
    (r) => (r() < 0.5 ? { fail: 'timeout' } : { status: 500 }),
  ];
  return {
    origin,
    inScope: [other],
    routes: {},
    fallback: (url) => {
      const r = prngFloat(fnv1a(`${seed}|${url.href}`));
      const pick = replies[Math.floor(r() * replies.length)] ?? replies[0];
      return pick === undefined ? { status: 404 } : pick(r);
    },
  };
}

describe('random hosts', () => {
  it('never more than 5 requests in standard mode (600 hosts)', () => {
    let max = 0;
    for (let seed = 1; seed <= 600; seed++) {
      const run = simulate(randomHost(seed));
      max = Math.max(max, run.requests.length);
      expect(run.requests.length, `seed ${seed}`).toBeLessThanOrEqual(5);
      expect(new Set(run.requests).size, `seed ${seed}: a URL requested twice`).toBe(run.requests.length);
    }
    expect(max).toBe(5);
  });

  it('never more than 5 + candidates in thorough mode (300 hosts)', () => {
    let longest = -Infinity;
    for (let seed = 1; seed <= 300; seed++) {
      const count = seed % 12;
      const candidatesForCu = (cu: string): string[] =>
        Array.from({ length: count }, (_, i) => `${cu}.${i + 1}`);
      const run = simulate(randomHost(seed), { mode: 'thorough', candidatesForCu });
      expect(run.requests.length, `seed ${seed}`).toBeLessThanOrEqual(5 + count);
      longest = Math.max(longest, run.requests.length - count);
    }
    expect(longest).toBe(5);
  });
});

// Keep the shared building blocks honest too.
it('the manifest reply is a manifest', () => {
  expect(
    fingerprint([
      {
        url: `${O}/x`,
        path: '/x',
        status: 200,
        headers: {},
        body: (manifestReply('15.1.2375.7') as { body: string }).body,
        truncated: false,
      },
    ]).build,
  ).toBe('15.1.2375.7');
});
