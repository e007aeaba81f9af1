// Combination: proof, precedence, conflicts, Exchange Online, and what is not Exchange.
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../src/fingerprint/index.js';
import type { ProbeResponse } from '../src/core/probe-types.js';
import { fixtureText, res } from './fixtures/fingerprint/responses.js';

const O = 'https://mail.example.org';
const challenge = { 'www-authenticate': 'Negotiate, NTLM' };
const redirect = (): ProbeResponse =>
  res(`${O}/owa/`, {
    status: 302,
    headers: {
      location: `${O}/owa/auth/logon.aspx?url=${encodeURIComponent(`${O}/owa/`)}&reason=0`,
      'x-feserver': 'EX01',
    },
  });
/** 2007/2010 have no X-FEServer (a 2013+ header). */
const legacyRedirect = (): ProbeResponse =>
  res(`${O}/owa/`, {
    status: 302,
    headers: { location: `${O}/owa/auth/logon.aspx?url=${encodeURIComponent(`${O}/owa/`)}&reason=0` },
  });
const logon = (build3: string): ProbeResponse =>
  res(`${O}/owa/auth/logon.aspx`, {
    body: fixtureText('captures/owa2016-cu9-15.1.1466-logon.aspx.html').replaceAll('15.1.1466', build3),
  });
const autodiscover = (version: string | null): ProbeResponse =>
  res(`${O}/autodiscover/autodiscover.xml`, {
    status: 401,
    headers: {
      ...challenge,
      'x-feserver': 'EX01',
      ...(version === null ? {} : { 'x-owa-version': version }),
    },
  });
const manifest = (version: string): ProbeResponse =>
  res(`${O}/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application`, {
    body: `<?xml version="1.0" encoding="utf-8"?>\n<assemblyIdentity name="microsoft.exchange.ediscovery.exporttool" version="${version}" publicKeyToken="b1d1a6c45aa418ce"/>`,
  });
const page = (
  url: string,
  file: string,
  init: { status?: number; headers?: Record<string, string> } = {},
): ProbeResponse => res(url, { ...init, body: fixtureText(`fingerprint/pages/${file}`) });
const conflictEvidence = (fp: ReturnType<typeof fingerprint>): string[] =>
  fp.evidence.filter((e) => e.signal === 'conflict').map((e) => e.value);
const imitation = (fp: ReturnType<typeof fingerprint>): string[] =>
  fp.evidence.filter((e) => e.signal === 'imitation-suspected').map((e) => e.value);

describe('precedence and precision', () => {
  it('X-OWA-Version (4 parts) beats the asset path (3 parts) of the same CU: exact, no conflict', () => {
    const fp = fingerprint([redirect(), logon('15.1.2507'), autodiscover('15.1.2507.6')]);
    expect(fp).toMatchObject({
      status: 'exchange',
      build: '15.1.2507.6',
      precision: 'exact',
      buildSource: 'x-owa-version',
    });
    expect(fp.conflicts).toEqual([]);
    expect(fp.evidence.map((e) => e.signal)).toEqual([
      'owa-redirect',
      'x-feserver',
      'logon-page-marker',
      'logon-page-marker',
      'logon-page-marker',
      'logon-page-marker',
      'logon-title',
      'owa-asset-path',
      'x-owa-version',
      'service-challenge',
    ]);
  });

  it('only the asset path → the CU at precision cu', () => {
    expect(fingerprint([redirect(), logon('15.2.1544'), autodiscover(null)])).toMatchObject({
      build: '15.2.1544',
      precision: 'cu',
      buildSource: 'owa-asset-path',
    });
  });

  it('the manifest (4 parts) beats the asset path of the same CU', () => {
    const fp = fingerprint([logon('15.1.2375'), manifest('15.1.2375.7')]);
    expect(fp).toMatchObject({
      build: '15.1.2375.7',
      precision: 'exact',
      buildSource: 'exporttool-manifest',
    });
    expect(fp.conflicts).toEqual([]);
  });

  it('the zero-padded long form is a tell (Exchange never writes it): kept as evidence, contradicted, judged by the page', () => {
    const fp = fingerprint([redirect(), logon('15.2.1748'), autodiscover('15.02.1748.039')]);
    expect(fp).toMatchObject({ build: '15.2.1748', precision: 'cu', contradicted: true });
    expect(fp.evidence).toContainEqual({
      signal: 'x-owa-version',
      url: `${O}/autodiscover/autodiscover.xml`,
      value: '15.02.1748.039',
    });
    expect(fp.conflicts[0]).toContain('zero-padded (15.02.1748.039)');
  });

  it('2010: the OWA redirect and the 4-part asset path of the logon page → exact', () => {
    const fp = fingerprint([
      legacyRedirect(),
      page(`${O}/owa/auth/logon.aspx`, 'ex2010-sp3-logon.html', {
        headers: { 'x-ua-compatible': 'IE=EmulateIE7' },
      }),
    ]);
    expect(fp).toMatchObject({
      build: '14.3.513.0',
      precision: 'exact',
      buildSource: 'owa-legacy-asset-path',
    });
  });

  it('a 4-part build is exact as read, published or not: the classifier, which has the data, judges that', () => {
    expect(fingerprint([logon('15.1.2507'), autodiscover('15.1.2507.7')]).precision).toBe('exact');
    expect(fingerprint([logon('15.1.2507'), autodiscover('15.1.2507.6')]).precision).toBe('exact');
  });
});

describe('conflicts are resolved and reported', () => {
  it('asset path 15.1.2507 but header 15.1.2375.7: contradicted, judged by the older build, at approximate', () => {
    const fp = fingerprint([logon('15.1.2507'), autodiscover('15.1.2375.7')]);
    expect(fp).toMatchObject({
      status: 'exchange',
      build: '15.1.2375.7',
      precision: 'approximate',
      contradicted: true,
    });
    expect(fp.conflicts).toEqual([
      'the asset path says 15.1.2507 but X-OWA-Version says 15.1.2375.7: a different CU',
      'the version evidence disagrees: judged by the older build, 15.1.2375.7 (X-OWA-Version); precision lowered to approximate, never current or supported on contradicted evidence',
    ]);
    expect(conflictEvidence(fp)).toEqual(fp.conflicts);
    expect(fp.evidence.find((e) => e.signal === 'conflict')?.url).toBe(`${O}/owa/auth/logon.aspx`);
  });

  it('header newer than the page (a forged or rewritten header): judged by the page, at cu', () => {
    const fp = fingerprint([redirect(), logon('15.2.1748'), autodiscover('15.2.2562.37')]);
    expect(fp).toMatchObject({
      build: '15.2.1748',
      precision: 'cu',
      contradicted: true,
      buildSource: 'owa-asset-path',
    });
    expect(fp.evidence.map((e) => e.value)).toContain('15.2.2562.37');
  });

  it('a version header where Exchange never sends it (on the 2013+ logon page) is contradicted', () => {
    const page = res(`${O}/owa/auth/logon.aspx`, {
      body: fixtureText('captures/owa2016-cu9-15.1.1466-logon.aspx.html'),
      headers: { 'content-type': 'text/html; charset=utf-8', 'x-owa-version': '15.1.1466.3' },
    });
    const fp = fingerprint([redirect(), page]);
    expect(fp).toMatchObject({ build: '15.1.1466', precision: 'cu', contradicted: true });
    expect(fp.conflicts[0]).toContain('where Exchange never sends it');
  });

  it('a manifest whose CU differs from the asset path: contradicted, the older build at approximate', () => {
    const fp = fingerprint([logon('15.1.2507'), manifest('15.1.2375.7')]);
    expect(fp).toMatchObject({
      build: '15.1.2375.7',
      precision: 'approximate',
      buildSource: 'exporttool-manifest',
      contradicted: true,
    });
    expect(fp.conflicts).toHaveLength(2);
    expect(fp.conflicts[0]).toContain('a different CU');
  });

  it('manifest revision differs from X-OWA-Version on the same CU: the header wins, still exact, reported', () => {
    const fp = fingerprint([logon('15.1.2242'), autodiscover('15.1.2242.4'), manifest('15.1.2242.5')]);
    expect(fp).toMatchObject({ build: '15.1.2242.4', precision: 'exact', buildSource: 'x-owa-version' });
    expect(fp.conflicts).toEqual([
      'the export tool manifest says 15.1.2242.5 but X-OWA-Version says 15.1.2242.4 (same CU, different update); kept 15.1.2242.4: X-OWA-Version ranks above the export tool manifest',
    ]);
  });

  it('2007: asset path 8.3.83.4 but X-OWA-Version 8.3.83.6 → the header', () => {
    const body = fixtureText('fingerprint/pages/ex2007-sp3-logon.html').replaceAll('8.3.485.1', '8.3.83.4');
    const fp = fingerprint([
      legacyRedirect(),
      res(`${O}/owa/auth/logon.aspx`, { status: 400, body, headers: { 'x-owa-version': '8.3.83.6' } }),
    ]);
    expect(fp).toMatchObject({ build: '8.3.83.6', precision: 'exact', buildSource: 'x-owa-version' });
    expect(fp.conflicts).toHaveLength(1);
  });

  it('two different X-OWA-Version values: the lower is kept', () => {
    const other = res(`${O}/EWS/Exchange.asmx`, {
      status: 401,
      headers: { ...challenge, 'x-owa-version': '15.1.2507.35' },
    });
    const fp = fingerprint([logon('15.1.2507'), autodiscover('15.1.2507.6'), other]);
    expect(fp).toMatchObject({ build: '15.1.2507.6', precision: 'exact' });
    expect(fp.conflicts).toEqual([
      'X-OWA-Version gave several builds (15.1.2507.6, 15.1.2507.35); kept the lowest, 15.1.2507.6, since more than one server may answer for this name',
    ]);
  });

  it('a generation marker that contradicts the build is reported; the build stays', () => {
    const body = `<!-- OwaPage = ASP.auth_logon_aspx --><title>Microsoft Exchange - Outlook Web Access</title><link href="/owa/auth/15.1.2507/themes/resources/x.css">`;
    const fp = fingerprint([legacyRedirect(), res(`${O}/owa/auth/logon.aspx`, { body })]);
    expect(fp).toMatchObject({ build: '15.1.2507', precision: 'cu' });
    expect(fp.conflicts).toEqual([
      'logon-title Microsoft Exchange - Outlook Web Access suggests Exchange 2007, but the build 15.1.2507 is Exchange 2013 or later; kept the build',
    ]);
  });
});

describe('product precision and Exchange without a number', () => {
  it('2010 page with its numbers stripped → product 14', () => {
    const fp = fingerprint([legacyRedirect(), page(`${O}/owa/auth/logon.aspx`, 'ex2010-no-number.html')]);
    expect(fp).toMatchObject({ status: 'exchange', build: null, precision: 'product', productHint: '14' });
  });

  it('2007 page with its numbers stripped → product 8', () => {
    const body = fixtureText('fingerprint/pages/ex2007-sp3-logon.html').replaceAll(
      '/owa/8.3.485.1/',
      '/owa/',
    );
    expect(fingerprint([legacyRedirect(), res(`${O}/owa/auth/logon.aspx`, { body })])).toMatchObject({
      precision: 'product',
      productHint: '8',
    });
  });

  it('2013+ markers without a number → Exchange, no product (2013, 2016, 2019 and SE look alike)', () => {
    const fp = fingerprint([redirect(), page(`${O}/owa/auth/logon.aspx`, 'ex2013-no-number.html')]);
    expect(fp).toMatchObject({ status: 'exchange', build: null, precision: null, productHint: null });
  });

  it('a themed page (other title, other colours) keeps its markers and asset paths', () => {
    const fp = fingerprint([redirect(), page(`${O}/owa/auth/logon.aspx`, 'ex2016-themed-logon.html')]);
    expect(fp).toMatchObject({ status: 'exchange', build: '15.1.2507', precision: 'cu' });
    expect(fp.evidence.map((e) => e.signal)).not.toContain('logon-title');
  });
});

describe('Exchange Online', () => {
  const exo = (): ProbeResponse =>
    res('https://outlook.office365.com/autodiscover/autodiscover.xml', {
      status: 401,
      headers: {
        'www-authenticate': 'Bearer client_id="00000002-0000-0ff1-ce00-000000000000"',
        'x-calculatedfetarget': 'GV3P280CU004.internal.outlook.com',
        'x-calculatedbetarget': 'GV1P191MB2243.EURP191.PROD.OUTLOOK.COM',
        'x-besku': 'WCS7',
        'x-beserver': 'GV1P191MB2243',
        'x-feserver': 'GV3P280CA0011',
        'x-diaginfo': 'GV1P191MB2243',
      },
    });

  it('cloud back-end headers → exchange-online, no build', () => {
    const fp = fingerprint([
      res('https://outlook.office365.com/owa/', {
        status: 302,
        headers: { location: 'https://login.microsoftonline.com/' },
      }),
      exo(),
    ]);
    expect(fp).toMatchObject({ status: 'exchange-online', build: null, precision: null });
    expect(fp.evidence.filter((e) => e.signal === 'exchange-online').length).toBeGreaterThanOrEqual(3);
  });

  it('one cloud indicator alone (an imitation) → not Exchange Online, imitation suspected', () => {
    const fp = fingerprint([res(`${O}/`, { headers: { 'x-besku': 'WCS7' } })]);
    expect(fp.status).toBe('not-exchange');
    expect(imitation(fp)[0]).toContain('exchange-online x-besku: WCS7');
  });

  it('cloud header names on an ordinary 200 page (a C2 office365 profile) are not Exchange Online', () => {
    const fp = fingerprint([
      res(`${O}/owa/`, {
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'x-calculatedbetarget': 'BY2PR06MB549.namprd06.prod.outlook.com',
          'x-feserver': 'CY4PR02CA0010',
          'x-diaginfo': 'BY2PR06MB549',
          'x-owa-version': '15.1.1240.20',
        },
      }),
    ]);
    expect(fp.status).toBe('not-exchange');
    expect(imitation(fp)[0]).toMatch(
      /^imitation suspected: not corroborated: nothing only Exchange serves \(X-OWA-Version 15.1.1240.20 on a 200 \/owa\/, where Exchange never sends it\); seen: /,
    );
  });

  it('Microsoft sign-in for Exchange Online (its client id) on the /owa/ redirect decides alone', () => {
    const fp = fingerprint([
      res('https://outlook.office365.com/owa/', {
        status: 302,
        headers: {
          location:
            'https://login.microsoftonline.com/common/oauth2/authorize?client_id=00000002-0000-0ff1-ce00-000000000000&redirect_uri=https%3a%2f%2foutlook.office.com%2fowa%2f',
        },
      }),
    ]);
    expect(fp.status).toBe('exchange-online');
  });

  it('one cloud indicator next to an on-premises build → Exchange, reported', () => {
    const fp = fingerprint([
      redirect(),
      logon('15.1.2507'),
      res(`${O}/autodiscover/autodiscover.xml`, { status: 401, headers: { ...challenge, 'x-besku': 'X' } }),
    ]);
    expect(fp).toMatchObject({ status: 'exchange', build: '15.1.2507' });
    expect(fp.conflicts).toHaveLength(1);
  });
});

describe('not Exchange', () => {
  it('IIS default page and 404s', () => {
    const headers = { server: 'Microsoft-IIS/10.0', 'x-powered-by': 'ASP.NET' };
    const fp = fingerprint([
      res(`${O}/owa/`, { status: 404, headers, body: 'The resource you are looking for has been removed' }),
      res(`${O}/autodiscover/autodiscover.xml`, { status: 404, headers }),
      page(`${O}/`, 'iis-default.html', { headers }),
    ]);
    expect(fp).toMatchObject({ status: 'not-exchange', build: null, precision: null, conflicts: [] });
    expect(fp.evidence).toEqual([
      {
        signal: 'server-header',
        url: `${O}/owa/`,
        value: 'Server: Microsoft-IIS/10.0; X-Powered-By: ASP.NET',
      },
    ]);
  });

  it('nginx', () => {
    const fp = fingerprint([
      page(`${O}/owa/`, 'nginx-default.html', { headers: { server: 'nginx/1.24.0' } }),
    ]);
    expect(fp.status).toBe('not-exchange');
  });

  it('another login page titled "Outlook"', () => {
    const fp = fingerprint([page(`${O}/owa/`, 'other-login.html')]);
    expect(fp.status).toBe('not-exchange');
    expect(imitation(fp)[0]).toContain('logon-title Outlook');
  });

  it.each([
    [
      'X-OWA-Version on a random 200 page',
      [res(`${O}/owa/`, { body: 'ok', headers: { 'x-owa-version': '15.1.2507.6' } })],
    ],
    ['only X-FEServer', [res(`${O}/owa/`, { status: 404, headers: { 'x-feserver': 'EX01' } })]],
    [
      'both headers on every response (C2 profile), 200s and 404s',
      [
        res(`${O}/owa/`, { body: 'ok', headers: { 'x-owa-version': '15.1.2507.6', 'x-feserver': 'EX01' } }),
        res(`${O}/owa/auth/logon.aspx`, {
          status: 404,
          headers: { 'x-owa-version': '15.1.2507.6', 'x-feserver': 'EX01' },
        }),
        res(`${O}/autodiscover/autodiscover.xml`, {
          status: 404,
          headers: { 'x-owa-version': '15.1.2507.6', 'x-feserver': 'EX01' },
        }),
      ],
    ],
    [
      'a 401 without a challenge',
      [
        res(`${O}/autodiscover/autodiscover.xml`, {
          status: 401,
          headers: { 'x-owa-version': '15.1.2507.6' },
        }),
      ],
    ],
    [
      'a challenge off the Exchange paths',
      [res(`${O}/admin/`, { status: 401, headers: { ...challenge, 'x-owa-version': '15.1.2507.6' } })],
    ],
  ])('imitation: %s', (_name, responses) => {
    const fp = fingerprint(responses);
    expect(fp).toMatchObject({ status: 'not-exchange', build: null, precision: null });
    expect(fp.conflicts).toEqual([]);
    expect(imitation(fp)[0]).toMatch(/^imitation suspected: /);
  });

  it('a logon page alone is one family of evidence: imitation suspected', () => {
    const fp = fingerprint([logon('15.1.2507')]);
    expect(fp.status).toBe('not-exchange');
    expect(imitation(fp)[0]).toContain('not corroborated: only the logon page');
  });

  it('a copied logon page at /owa/ (a phishing kit) with its asset path is not Exchange', () => {
    const fp = fingerprint([
      res(`${O}/owa/`, {
        body: fixtureText('captures/owa2016-cu9-15.1.1466-logon.aspx.html'),
        headers: { 'content-type': 'text/html; charset=utf-8' },
      }),
    ]);
    expect(fp.status).toBe('not-exchange');
    expect(imitation(fp).join(' ')).toContain('a logon page served at /owa/');
  });

  it('a non-IIS stack (X-Powered-By: Express) refutes what the page shows', () => {
    const fp = fingerprint([
      redirect(),
      res(`${O}/owa/auth/logon.aspx`, {
        body: fixtureText('captures/owa2016-cu9-15.1.1466-logon.aspx.html'),
        headers: { 'content-type': 'text/html; charset=utf-8', 'x-powered-by': 'Express' },
      }),
    ]);
    expect(fp).toMatchObject({ status: 'not-exchange', refuted: true });
    expect(imitation(fp)[0]).toContain('X-Powered-By: Express');
  });

  it('asset paths linked from another host never count', () => {
    const body =
      '<link rel="shortcut icon" href="https://mail.victim.example/owa/auth/15.1.2507/themes/resources/favicon.ico">';
    const fp = fingerprint([res(`${O}/owa/`, { body, headers: { 'content-type': 'text/html' } })]);
    expect(fp.status).toBe('not-exchange');
    expect(fp.evidence.map((e) => e.signal)).not.toContain('owa-asset-path');
    expect(imitation(fp).join(' ')).toContain('another host');
  });

  it('the honeypot pattern: EWS answers 200 with the form where Exchange answers 401', () => {
    const form = '<form action="/owa/auth.owa" method="POST" name="logonForm"><input name="username"></form>';
    const headers = { 'content-type': 'text/html', 'x-owa-version': '15.2.792.3' };
    const fp = fingerprint([
      res(`${O}/owa/`, { body: form, headers }),
      res(`${O}/EWS/Exchange.asmx`, { body: form, headers }),
    ]);
    expect(fp).toMatchObject({ status: 'not-exchange', refuted: true });
    expect(imitation(fp)[0]).toContain('where Exchange asks for credentials');
  });

  it('one request id on different requests (a C2 profile) refutes Exchange', () => {
    const h = { 'request-id': '6cfcf35d-0680-4853-98c4-b16723708fc9', 'x-feserver': 'EX01', ...challenge };
    const fp = fingerprint([
      res(`${O}/autodiscover/autodiscover.xml`, { status: 401, headers: h }),
      res(`${O}/EWS/Exchange.asmx`, { status: 401, headers: h }),
    ]);
    expect(fp).toMatchObject({ status: 'not-exchange', refuted: true });
    expect(imitation(fp)[0]).toContain('repeated on different requests');
  });

  it('the minimum corroboration: the version header on a challenge from Autodiscover is Exchange', () => {
    expect(fingerprint([autodiscover('15.1.2507.6')])).toMatchObject({
      status: 'exchange',
      build: '15.1.2507.6',
      precision: 'exact',
    });
  });
});

describe('evidence', () => {
  it('one item per distinct signal and value, at the first URL', () => {
    const fp = fingerprint([
      redirect(),
      logon('15.1.2507'),
      autodiscover('15.1.2507.6'),
      autodiscover('15.1.2507.6'),
    ]);
    expect(fp.evidence.filter((e) => e.signal === 'x-feserver')).toEqual([
      { signal: 'x-feserver', url: `${O}/owa/`, value: 'EX01' },
    ]);
  });

  it('hostile header values are cleaned and capped (markup is left for the reports to escape)', () => {
    const fp = fingerprint([
      redirect(),
      res(`${O}/autodiscover/autodiscover.xml`, {
        status: 401,
        headers: { ...challenge, 'x-feserver': `<script>alert(1)</script>\r\n\u202eevil${'x'.repeat(500)}` },
      }),
    ]);
    const fe = fp.evidence.filter((e) => e.signal === 'x-feserver').map((e) => e.value);
    expect(fe[1]?.startsWith('<script>alert(1)</script> evil')).toBe(true);
    expect(fe[1]?.length).toBe(200);
    for (const e of fp.evidence) {
      expect(
        Array.from(e.value, (c) => c.charCodeAt(0)).some((n) => n < 0x20 || n === 0x7f || n === 0x202e),
      ).toBe(false);
    }
  });
});
