// The real captures in test/fixtures/captures/ parse to the versions their README states.
import { describe, expect, it } from 'vitest';
import { extractExporttoolManifest, fingerprint } from '../src/fingerprint/index.js';
import { fixtureText, loadCapture, loadResponseFile, res } from './fixtures/fingerprint/responses.js';

const MANIFEST_URL =
  'https://10.10.252.86/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application';

describe('captured logon pages', () => {
  it('2016 CU9 page (honeypot copy of a real server) after the OWA redirect → 15.1.1466 at cu', () => {
    const page = res('https://mail.example.org/owa/auth/logon.aspx', {
      body: fixtureText('captures/owa2016-cu9-15.1.1466-logon.aspx.html'),
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
    const redirect = res('https://mail.example.org/owa/', {
      status: 302,
      headers: {
        location:
          'https://mail.example.org/owa/auth/logon.aspx?url=https%3a%2f%2fmail.example.org%2fowa%2f&reason=0',
      },
    });
    const fp = fingerprint([redirect, page]);
    expect(fp).toMatchObject({
      status: 'exchange',
      build: '15.1.1466',
      precision: 'cu',
      buildSource: 'owa-asset-path',
    });
    expect(fp.conflicts).toEqual([]);
    expect(fp.evidence).toContainEqual({ signal: 'logon-title', url: page.url, value: 'Outlook' });
  });

  it('the same page alone is one family of evidence: not corroborated, imitation suspected', () => {
    const page = res('https://mail.example.org/owa/auth/logon.aspx', {
      body: fixtureText('captures/owa2016-cu9-15.1.1466-logon.aspx.html'),
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
    const fp = fingerprint([page]);
    expect(fp.status).toBe('not-exchange');
    expect(fp.evidence.find((e) => e.signal === 'imitation-suspected')?.value).toContain(
      'not corroborated: only the logon page',
    );
  });

  it('2019 CU9 TryHackMe logon page → 15.2.858 at cu, and no X-OWA-Version on it', () => {
    const page = loadCapture('captures/thm-lookback-ex2019cu9-GET-owa-auth-logon.aspx.http');
    expect(page.status).toBe(200);
    expect(page.headers['x-owa-version']).toBeUndefined();
    const fp = fingerprint([loadCapture('captures/thm-lookback-ex2019cu9-redirect-2-GET-owa.http'), page]);
    expect(fp).toMatchObject({ status: 'exchange', build: '15.2.858', precision: 'cu' });
    expect(fp.evidence.map((e) => e.signal)).not.toContain('x-owa-version');
    expect(fp.evidence).toContainEqual({
      signal: 'server-header',
      url: 'https://10.10.252.86/owa/auth/logon.aspx',
      value: 'Server: Microsoft-IIS/10.0; X-Powered-By: ASP.NET; X-AspNet-Version: 4.0.30319',
    });
  });

  it('the same page asked for /ecp → title Exchange Admin Center, still 15.2.858 at cu', () => {
    const fp = fingerprint([
      loadCapture('captures/thm-lookback-ex2019cu9-redirect-2-GET-owa.http'),
      loadCapture('captures/thm-lookback-ex2019cu9-GET-owa-auth-logon.aspx-ecp.http'),
    ]);
    expect(fp).toMatchObject({ status: 'exchange', build: '15.2.858', precision: 'cu' });
    expect(fp.evidence.find((e) => e.signal === 'logon-title')?.value).toBe('Exchange Admin Center');
  });

  it('the /owa/ redirect then the logon page: redirect and X-FEServer kept as evidence', () => {
    const redirect = loadCapture('captures/thm-lookback-ex2019cu9-redirect-2-GET-owa.http');
    const page = loadCapture('captures/thm-lookback-ex2019cu9-GET-owa-auth-logon.aspx.http');
    const fp = fingerprint([redirect, page]);
    expect(fp).toMatchObject({ status: 'exchange', build: '15.2.858', precision: 'cu' });
    expect(fp.evidence.slice(0, 2)).toEqual([
      {
        signal: 'owa-redirect',
        url: 'https://10.10.252.86/owa/',
        value: 'https://10.10.252.86/owa/auth/logon.aspx?url=https%3a%2f%2f10.10.252.86%2fowa%2f&reason=0',
      },
      { signal: 'x-feserver', url: 'https://10.10.252.86/owa/', value: 'WIN-12OUO7A66M7' },
    ]);
  });

  it('the /owa/ redirect carrying X-FEServer alone is Exchange without a number', () => {
    const fp = fingerprint([loadCapture('captures/thm-lookback-ex2019cu9-redirect-2-GET-owa.http')]);
    expect(fp).toMatchObject({ status: 'exchange', build: null, precision: null, productHint: null });
  });

  it('the IIS default-document redirect with only X-FEServer is not proof', () => {
    const fp = fingerprint([loadCapture('captures/thm-lookback-ex2019cu9-redirect-1-GET-root.http')]);
    expect(fp.status).toBe('not-exchange');
    expect(fp.evidence.map((e) => e.signal)).toContain('x-feserver');
  });
});

describe('captured export tool manifests', () => {
  it('fragment A → 15.1.2375.7 (2016 CU22), every identity agreeing', () => {
    const r = res(MANIFEST_URL, { body: fixtureText('captures/exporttool-manifest-fragment-A.xml') });
    expect(extractExporttoolManifest(r).map((s) => s.build)).toEqual(['15.1.2375.7']);
    expect(fingerprint([r])).toMatchObject({ status: 'exchange', build: '15.1.2375.7', precision: 'exact' });
  });

  it('fragment B (version redacted) → Exchange, no version', () => {
    const r = res(MANIFEST_URL, { body: fixtureText('captures/exporttool-manifest-fragment-B.xml') });
    expect(extractExporttoolManifest(r).map((s) => s.build)).toEqual([null]);
    expect(fingerprint([r])).toMatchObject({ status: 'exchange', build: null, precision: null });
  });

  it('fragment C → 15.1.2242.5, read exactly; the classifier judges it (not a published build)', () => {
    const r = loadResponseFile('captures/exporttool-manifest-fragment-C.http', MANIFEST_URL);
    expect(extractExporttoolManifest(r).map((s) => s.build)).toEqual(['15.1.2242.5']);
    expect(fingerprint([r])).toMatchObject({
      status: 'exchange',
      build: '15.1.2242.5',
      precision: 'exact',
      buildSource: 'exporttool-manifest',
    });
  });
});
