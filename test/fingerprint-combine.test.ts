// Combination: proof, precedence, conflicts, Exchange Online, and what is not Exchange.
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../src/fingerprint/index.js';
import type { ProbeResponse } from '../src/probe/types.js';
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

  it('the long form equals the short form', () => {
    const fp = fingerprint([logon('15.2.1748'), autodiscover('15.02.1748.039')]);
    expect(fp).toMatchObject({ build: '15.2.1748.39', precision: 'exact' });
    expect(fp.conflicts).toEqual([]);
  });

  it('2010: the 4-part asset path alone is exact', () => {
    const fp = fingerprint([
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

  it('isPublished lowers an unpublished 4-part build to approximate; the ECP directory is published by construction', () => {
    const published = (b: string): boolean => b === '15.1.2507.6';
    expect(
      fingerprint([logon('15.1.2507'), autodiscover('15.1.2507.7')], { isPublished: published }).precision,
    ).toBe('approximate');
    expect(
      fingerprint([logon('15.1.2507'), autodiscover('15.1.2507.6')], { isPublished: published }).precision,
    ).toBe('exact');
  });
});

describe('conflicts are resolved and reported', () => {
  it('asset path 15.1.2507 but header 15.1.2375.7: the 4-part number is kept, at approximate', () => {
    const fp = fingerprint([logon('15.1.2507'), autodiscover('15.1.2375.7')]);
    expect(fp).toMatchObject({ status: 'exchange', build: '15.1.2375.7', precision: 'approximate' });
    expect(fp.conflicts).toEqual([
      'the asset path says 15.1.2507 but X-OWA-Version says 15.1.2375.7 (a different CU); kept 15.1.2375.7: a 4-part number is more precise; precision lowered to approximate',
    ]);
    expect(conflictEvidence(fp)).toEqual(fp.conflicts);
    expect(fp.evidence.find((e) => e.signal === 'conflict')?.url).toBe(`${O}/owa/auth/logon.aspx`);
  });

  it('a manifest whose CU differs from the asset path: kept, at approximate, reported', () => {
    const fp = fingerprint([logon('15.1.2507'), manifest('15.1.2375.7')]);
    expect(fp).toMatchObject({
      build: '15.1.2375.7',
      precision: 'approximate',
      buildSource: 'exporttool-manifest',
    });
    expect(fp.conflicts).toHaveLength(1);
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
    const fp = fingerprint([res(`${O}/owa/auth/logon.aspx`, { body })]);
    expect(fp).toMatchObject({ build: '15.1.2507', precision: 'cu' });
    expect(fp.conflicts).toEqual([
      'logon-title Microsoft Exchange - Outlook Web Access suggests Exchange 2007, but the build 15.1.2507 is Exchange 2013 or later; kept the build',
    ]);
  });
});

describe('product precision and Exchange without a number', () => {
  it('2010 page with its numbers stripped → product 14', () => {
    const fp = fingerprint([page(`${O}/owa/auth/logon.aspx`, 'ex2010-no-number.html')]);
    expect(fp).toMatchObject({ status: 'exchange', build: null, precision: 'product', productHint: '14' });
  });

  it('2007 page with its numbers stripped → product 8', () => {
    const body = fixtureText('fingerprint/pages/ex2007-sp3-logon.html').replaceAll(
      '/owa/8.3.485.1/',
      '/owa/',
    );
    expect(fingerprint([res(`${O}/owa/auth/logon.aspx`, { body })])).toMatchObject({
      precision: 'product',
      productHint: '8',
    });
  });

  it('2013+ markers without a number → Exchange, no product (2013, 2016, 2019 and SE look alike)', () => {
    const fp = fingerprint([redirect(), page(`${O}/owa/auth/logon.aspx`, 'ex2013-no-number.html')]);
    expect(fp).toMatchObject({ status: 'exchange', build: null, precision: null, productHint: null });
  });

  it('a themed page (other title, other colours) keeps its markers and asset paths', () => {
    const fp = fingerprint([page(`${O}/owa/auth/logon.aspx`, 'ex2016-themed-logon.html')]);
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

  it('one cloud indicator alone (an imitation) → not Exchange Online, reported', () => {
    const fp = fingerprint([res(`${O}/`, { headers: { 'x-besku': 'WCS7' } })]);
    expect(fp.status).toBe('not-exchange');
    expect(fp.conflicts[0]).toContain('one Exchange Online indicator');
  });

  it('one cloud indicator next to an on-premises build → Exchange, reported', () => {
    const fp = fingerprint([
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
    expect(fp.conflicts[0]).toContain('logon-title Outlook');
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
    expect(fp.conflicts).toHaveLength(1);
    expect(fp.conflicts[0]).toContain('a header alone is not proof');
    expect(conflictEvidence(fp)).toEqual(fp.conflicts);
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
