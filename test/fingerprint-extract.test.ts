// Table tests for each signal extractor.
import { describe, expect, it } from 'vitest';
import {
  extractEcpVersionDir,
  extractExchangeOnline,
  extractExporttoolManifest,
  extractFeServer,
  extractLegacyAssetPath,
  extractLogonMarkers,
  extractLogonTitle,
  extractModernAssetPath,
  extractOwaRedirect,
  extractOwaVersionHeader,
  extractServerHeader,
  extractSignals,
  normaliseBuildNumber,
} from '../src/fingerprint/index.js';
import { fixtureText, res } from './fixtures/fingerprint/responses.js';

const ORIGIN = 'https://mail.example.org';
const AUTODISCOVER = `${ORIGIN}/autodiscover/autodiscover.xml`;
const challenge = { 'www-authenticate': 'Negotiate, NTLM, Basic realm="mail.example.org"' };

describe('normaliseBuildNumber', () => {
  it.each([
    ['15.1.2507.6', '15.1.2507.6'],
    ['15.02.1748.039', '15.2.1748.39'],
    ['  15.2.858 ', '15.2.858'],
    ['8.3.485.1', '8.3.485.1'],
    ['14.03.0513.000', '14.3.513.0'],
    ['15.1', null],
    ['15.1.2507.6.1', null],
    ['15.1.2507.6"><img src=x>', null],
    ['16.0.1.1', null],
    ['15.1.99999.1', null],
    ['15.10.1.1', null],
    ['', null],
  ])('%j → %j', (input, expected) => {
    expect(normaliseBuildNumber(input)).toBe(expected);
  });
});

describe('X-OWA-Version header', () => {
  it.each([
    ['lower-case name (HTTP/2, session)', { 'x-owa-version': '15.2.1544.11' }, ['15.2.1544.11']],
    ['HTTP/1.1 capitalisation', { 'X-OWA-Version': '15.1.2375.17' }, ['15.1.2375.17']],
    ['odd capitalisation', { 'X-Owa-Version': '15.1.2507.6' }, ['15.1.2507.6']],
    ['odd spacing', { 'x-owa-version': '   15.2.986.14\t ' }, ['15.2.986.14']],
    ['long zero-padded form', { 'x-owa-version': '15.02.1748.039' }, ['15.2.1748.39']],
    ['2010', { 'x-owa-version': '14.3.513.0' }, ['14.3.513.0']],
    ['repeated header, joined', { 'x-owa-version': '15.1.2507.6, 15.1.2507.6' }, ['15.1.2507.6']],
    ['two different values', { 'x-owa-version': '15.1.2507.6, 15.1.2375.7' }, ['15.1.2507.6', '15.1.2375.7']],
    ['absent', { server: 'Microsoft-IIS/10.0' }, []],
  ])('%s', (_name, headers, builds) => {
    const signals = extractOwaVersionHeader(res(AUTODISCOVER, { status: 401, headers }));
    expect(signals.map((s) => s.build)).toEqual(builds);
    expect(signals.every((s) => s.signal === 'x-owa-version')).toBe(true);
  });

  it('keeps a non-build value as evidence without a number, cleaned', () => {
    const [signal, ...rest] = extractOwaVersionHeader(
      res(AUTODISCOVER, { headers: { 'x-owa-version': '15.1.2507.6"><img src=x onerror=alert(1)>\u0007' } }),
    );
    expect(rest).toEqual([]);
    expect(signal?.build).toBeNull();
    expect(signal?.hint).toBe(true);
    expect(signal?.value).toBe('15.1.2507.6"><img src=x onerror=alert(1)>');
  });

  it('caps an oversized value at 200 characters', () => {
    const [signal] = extractOwaVersionHeader(
      res(AUTODISCOVER, { headers: { 'x-owa-version': 'A'.repeat(100_000) } }),
    );
    expect(signal?.value.length).toBe(200);
  });

  it('keeps the zero-padded form as written (the tell of a hand-written header)', () => {
    const [signal] = extractOwaVersionHeader(
      res(AUTODISCOVER, { status: 401, headers: { 'x-owa-version': '15.02.2562.037' } }),
    );
    expect(signal).toMatchObject({ value: '15.02.2562.037', build: '15.2.2562.37', padded: true });
    const [plain] = extractOwaVersionHeader(
      res(AUTODISCOVER, { status: 401, headers: { 'x-owa-version': '15.2.2562.37' } }),
    );
    expect(plain).toMatchObject({ value: '15.2.2562.37', padded: false });
  });

  it('is in place only where Exchange sends it', () => {
    const headers = { 'x-owa-version': '15.1.2507.6', ...challenge };
    const misplaced = (
      url: string,
      status: number,
      extra: Record<string, string> = {},
    ): boolean | undefined =>
      extractOwaVersionHeader(res(url, { status, headers: { ...headers, ...extra } }))[0]?.misplaced;
    expect(misplaced(AUTODISCOVER, 401)).toBe(false);
    expect(misplaced(`${ORIGIN}/EWS/Exchange.asmx`, 401)).toBe(false);
    expect(misplaced(`${ORIGIN}/owa/`, 302)).toBe(false);
    expect(misplaced(`${ORIGIN}/Microsoft-Server-ActiveSync`, 401)).toBe(false);
    // 2013+: never on the logon page, an HTML page, a 404, or off the service paths.
    expect(misplaced(`${ORIGIN}/owa/auth/logon.aspx`, 200)).toBe(true);
    expect(misplaced(`${ORIGIN}/owa/`, 200, { 'content-type': 'text/html; charset=utf-8' })).toBe(true);
    expect(misplaced(`${ORIGIN}/EWS/Exchange.asmx`, 404)).toBe(true);
    expect(misplaced(`${ORIGIN}/index.php`, 401)).toBe(true);
    // 2007/2010 send it on every OWA page.
    expect(
      extractOwaVersionHeader(
        res(`${ORIGIN}/owa/auth/logon.aspx`, { headers: { 'x-owa-version': '14.3.513.0' } }),
      )[0]?.misplaced,
    ).toBe(false);
  });
});

describe('2013+ asset paths (3 parts)', () => {
  it.each([
    [
      'favicon',
      '<link rel="shortcut icon" href="/owa/auth/15.1.2507/themes/resources/favicon.ico">',
      ['15.1.2507'],
    ],
    ['font url', 'src: url("/owa/auth/15.2.858/themes/resources/segoeui-regular.eot?#iefix")', ['15.2.858']],
    [
      'absolute URL',
      '<img src="https://mail.example.org/owa/auth/15.0.1497/themes/resources/x.png">',
      ['15.0.1497'],
    ],
    ['SE', '<link href="/owa/auth/15.2.2562/themes/resources/logon.css">', ['15.2.2562']],
    ['upper-case OWA', '<link href="/OWA/auth/15.1.2375/themes/resources/logon.css">', ['15.1.2375']],
    [
      'repeated path, one signal',
      '/owa/auth/15.1.1466/a /owa/auth/15.1.1466/b /owa/auth/15.1.1466/c',
      ['15.1.1466'],
    ],
    ['a 4-part path is not a 3-part one', '<link href="/owa/14.3.123.3/themes/resources/logon.css">', []],
    ['no trailing slash', 'see /owa/auth/15.1.2507 for details', []],
    ['2010 major is not 2013+', '/owa/auth/14.3.123/themes/', []],
    ['nothing', '<html><body>hello</body></html>', []],
  ])('%s', (_name, body, builds) => {
    const signals = extractModernAssetPath(res(`${ORIGIN}/owa/auth/logon.aspx`, { body }));
    expect(signals.map((s) => s.build)).toEqual(builds);
    expect(signals.every((s) => s.signal === 'owa-asset-path' && s.hint)).toBe(true);
  });
});

describe('2007/2010 asset paths (4 parts)', () => {
  it.each([
    [
      '2010 without auth/',
      '<link type="text/css" rel="stylesheet" href="/owa/14.3.123.3/themes/resources/logon.css">',
      ['14.3.123.3'],
    ],
    [
      '2010 with auth/',
      '<link rel="shortcut icon" href="/owa/auth/14.3.169.1/themes/resources/favicon.ico">',
      ['14.3.169.1'],
    ],
    ['2010 basic theme', '<img src="/owa/14.3.513.0/themes/basic/msg-unrd.png">', ['14.3.513.0']],
    [
      '2007 without auth/',
      '<link type="text/css" rel="stylesheet" href="/owa/8.3.485.1/themes/base/logon.css">',
      ['8.3.485.1'],
    ],
    ['2007 with auth/', '<link href="/owa/auth/8.3.83.4/themes/base/premium.css">', ['8.3.83.4']],
    ['a 3-part 2013 path is not legacy', '/owa/auth/15.1.2507/themes/resources/favicon.ico', []],
    ['a 4-part 15.x path is not legacy', '/owa/15.1.2507.6/themes/', []],
  ])('%s', (_name, body, builds) => {
    const signals = extractLegacyAssetPath(res(`${ORIGIN}/owa/auth/logon.aspx`, { body }));
    expect(signals.map((s) => s.build)).toEqual(builds);
    expect(signals.every((s) => s.signal === 'owa-legacy-asset-path' && s.hint)).toBe(true);
  });

  it.each([
    ['pages/ex2010-sp3-logon.html', '14.3.513.0', '14'],
    ['pages/ex2010-logon-auth-path.html', '14.3.123.3', '14'],
    ['pages/ex2007-sp3-logon.html', '8.3.485.1', '8'],
  ])('%s → %s', (file, build, generation) => {
    const signals = extractLegacyAssetPath(
      res(`${ORIGIN}/owa/auth/logon.aspx`, { body: fixtureText(`fingerprint/${file}`) }),
    );
    expect(signals.map((s) => s.build)).toEqual([build]);
    expect(signals[0]?.generations).toEqual([generation]);
  });
});

describe('export tool manifest', () => {
  const url = `${ORIGIN}/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application`;
  const token = (t: string): string =>
    `publicKeyToken="${t}" language="neutral" processorArchitecture="msil"`;
  it.each([
    [
      'deployment identity',
      `<assemblyIdentity xmlns="urn:schemas-microsoft-com:asm.v1" name="microsoft.exchange.ediscovery.exporttool.application" version="15.1.2375.7" ${token('b1d1a6c45aa418ce')}/>`,
      ['15.1.2375.7'],
    ],
    [
      'dependency identity',
      `<assemblyIdentity name="microsoft.exchange.ediscovery.exporttool" version="15.2.986.5" ${token('b1d1a6c45aa418ce')} type="win32"/>`,
      ['15.2.986.5'],
    ],
    [
      'attribute order: version first',
      `<assemblyIdentity version="15.2.721.2" ${token('1f16bd4ec4c2bb19')} name="microsoft.exchange.ediscovery.exporttool.application"/>`,
      ['15.2.721.2'],
    ],
    [
      'as: prefix',
      `<as:assemblyIdentity xmlns="urn:schemas-microsoft-com:asm.v1" name="microsoft.exchange.ediscovery.exporttool.application" version="15.1.2242.5" ${token('deffc2c208a0af39')}/>`,
      ['15.1.2242.5'],
    ],
    [
      'single quotes and spaces around =',
      `<assemblyIdentity name = 'microsoft.exchange.ediscovery.exporttool' version = '15.1.2507.6' />`,
      ['15.1.2507.6'],
    ],
    [
      'unknown token, no token at all',
      `<assemblyIdentity name="microsoft.exchange.ediscovery.exporttool" version="15.1.2507.6"/>`,
      ['15.1.2507.6'],
    ],
    [
      'long form',
      `<assemblyIdentity name="microsoft.exchange.ediscovery.exporttool" version="15.02.1748.039"/>`,
      ['15.2.1748.39'],
    ],
    [
      'another assembly is ignored',
      `<assemblyIdentity name="Microsoft.Windows.Common-Controls" version="6.0.0.0" ${token('6595b64144ccf1df')}/>`,
      [],
    ],
    [
      'the token is never read as the version',
      `<assemblyIdentity name="microsoft.exchange.ediscovery.exporttool" publicKeyToken="15.1.2507.6"/>`,
      [null],
    ],
  ])('%s', (_name, body, builds) => {
    const signals = extractExporttoolManifest(
      res(url, { body: `<?xml version="1.0" encoding="utf-8"?>\n${body}` }),
    );
    expect(signals.map((s) => s.build)).toEqual(builds);
    expect(signals.every((s) => s.signal === 'exporttool-manifest' && s.hint)).toBe(true);
  });

  it('redacted {hidden} version → manifest proven, no number', () => {
    const [signal, ...rest] = extractExporttoolManifest(
      res(url, { body: fixtureText('captures/exporttool-manifest-fragment-B.xml') }),
    );
    expect(rest).toEqual([]);
    expect(signal?.build).toBeNull();
    expect(signal?.value).toContain('{hidden}');
  });
});

describe('ECP version directory (thorough mode)', () => {
  const manifest =
    '<assemblyIdentity name="microsoft.exchange.ediscovery.exporttool" version="15.1.2507.6"/>';
  const dirUrl = (b: string): string =>
    `${ORIGIN}/ecp/${b}/exporttool/microsoft.exchange.ediscovery.exporttool.application`;
  it.each([
    ['200 with the manifest', dirUrl('15.1.2507.35'), 200, manifest, ['15.1.2507.35']],
    ['404', dirUrl('15.1.2507.35'), 404, '', []],
    ['200 catch-all page without the manifest', dirUrl('15.1.2507.35'), 200, '<html>welcome</html>', []],
    [
      'Current is not a build',
      `${ORIGIN}/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application`,
      200,
      manifest,
      [],
    ],
  ])('%s', (_name, url, status, body, builds) => {
    expect(extractEcpVersionDir(res(url, { status, body })).map((s) => s.build)).toEqual(builds);
  });
});

describe('logon-page markers', () => {
  const capture = fixtureText('captures/owa2016-cu9-15.1.1466-logon.aspx.html');
  const markers = (body: string): string[] =>
    extractLogonMarkers(res(`${ORIGIN}/owa/auth/logon.aspx`, { body })).map((s) => s.value);
  it('finds every 2013+ marker in the real 2016 page', () => {
    expect(markers(capture)).toEqual([
      '<!-- OwaPage = ASP.auth_logon_aspx -->',
      '{57A118C6-2DA9-419d-BE9A-F92B0F9A418B}',
      'function IsOwaPremiumBrowser',
      'form action="/owa/auth.owa"',
    ]);
  });
  it('finds the 2010 markers', () => {
    expect(markers(fixtureText('fingerprint/pages/ex2010-sp3-logon.html'))).toEqual([
      '<!-- OwaPage = ASP.auth_logon_aspx -->',
      '{57A118C6-2DA9-419d-BE9A-F92B0F9A418B}',
      'function IsOwaPremiumBrowser',
      'form action="/owa/auth/owaauth.dll"',
      '<body class="owaLgnBdy">',
    ]);
  });
  it.each([
    ['extra spaces in the comment', '<!--   OwaPage =  ASP.auth_logon_aspx   -->', 1],
    ['lower-case GUID', '<!-- {57a118c6-2da9-419d-be9a-f92b0f9a418b} -->', 1],
    ['form with other attributes first', '<form method="POST" name="logonForm" action="/owa/auth.owa">', 1],
    ['another login page', fixtureText('fingerprint/pages/other-login.html'), 0],
    ['IIS default page', fixtureText('fingerprint/pages/iis-default.html'), 0],
    ['empty body', '', 0],
  ])('%s', (_name, body, count) => {
    expect(markers(body)).toHaveLength(count);
  });
});

describe('logon titles', () => {
  it.each([
    ['<title>Outlook</title>', 'Outlook', ['15']],
    ['<title>Exchange Admin Center</title>', 'Exchange Admin Center', ['15']],
    ['<title>Outlook Web App</title>', 'Outlook Web App', ['14', '15']],
    [
      '<title>Microsoft Exchange - Outlook Web Access</title>',
      'Microsoft Exchange - Outlook Web Access',
      ['8'],
    ],
    ['<TITLE>\n   Outlook\n</TITLE>', 'Outlook', ['15']],
    ['<title>ACME Webmail</title>', null, null],
    ['<title>IIS Windows Server</title>', null, null],
    ['no title', null, null],
  ])('%j', (body, title, generations) => {
    const [signal] = extractLogonTitle(res(`${ORIGIN}/owa/auth/logon.aspx`, { body }));
    expect(signal?.value ?? null).toBe(title);
    expect(signal?.generations ?? null).toEqual(generations);
    expect(signal?.hint ?? false).toBe(title !== null);
  });
});

describe('the /owa/ logon redirect', () => {
  const location = (l: string, status = 302): ReturnType<typeof extractOwaRedirect> =>
    extractOwaRedirect(res(`${ORIGIN}/owa/`, { status, headers: { location: l } }));
  it.each([
    [
      'absolute, this host',
      'https://mail.example.org/owa/auth/logon.aspx?url=https%3a%2f%2fmail.example.org%2fowa%2f&reason=0',
      1,
    ],
    [
      'absolute, another host (never this server)',
      'https://mail.victim.example/owa/auth/logon.aspx?url=x&reason=0',
      0,
    ],
    ['relative', '/owa/auth/logon.aspx?url=https%3a%2f%2fmail.example.org%2fowa%2f&reason=0', 1],
    ['upper case path', '/OWA/auth/Logon.aspx?url=x&reason=0', 1],
    ['no reason', '/owa/auth/logon.aspx?url=x', 0],
    ['elsewhere', '/login?next=/owa/', 0],
    ['not a web URL', 'javascript:alert(1)', 0],
    // Parameter names as URLSearchParams decodes them: any case, percent-encoded, `+` for a space.
    ['names in upper case', '/owa/auth/logon.aspx?URL=x&Reason=0', 1],
    ['names percent-encoded', '/owa/auth/logon.aspx?%75rl=x&reas%6Fn=0', 1],
    ['a name that decodes to another', '/owa/auth/logon.aspx?url%3D=x&reason=0', 0],
    ['a name with a plus (a space)', '/owa/auth/logon.aspx?url+=x&reason=0', 0],
    ['empty pieces and a bare name', '/owa/auth/logon.aspx?&&url&reason=0&', 1],
  ])('%s', (_name, l, count) => {
    expect(location(l)).toHaveLength(count);
  });
  it('needs a redirect status', () => {
    expect(location('/owa/auth/logon.aspx?url=x&reason=0', 200)).toHaveLength(0);
  });
});

describe('X-FEServer', () => {
  it.each([
    [{ 'x-feserver': 'WIN-12OUO7A66M7' }, 'WIN-12OUO7A66M7'],
    [{ 'X-Feserver': 'EX01' }, 'EX01'],
    [{}, null],
  ])('%j', (headers, value) => {
    const [signal] = extractFeServer(res(`${ORIGIN}/owa/`, { status: 302, headers }));
    expect(signal?.value ?? null).toBe(value);
    expect(signal?.hint ?? false).toBe(value !== null);
  });
  it('lists every front end of a repeated header (joined with ", " by the session)', () => {
    const [signal] = extractFeServer(
      res(`${ORIGIN}/owa/`, { status: 302, headers: { 'x-feserver': 'EXCH-01, EXCH-02,EXCH-03, EXCH-04' } }),
    );
    expect(signal?.value).toBe('EXCH-01, EXCH-02, EXCH-03, EXCH-04');
  });
});

describe('Exchange Online marks', () => {
  it('reads every kind from real Exchange Online headers', () => {
    const headers = {
      'x-calculatedfetarget': 'GV3P280CU004.internal.outlook.com',
      'x-calculatedbetarget': 'GV1P191MB2243.EURP191.PROD.OUTLOOK.COM',
      'x-besku': 'WCS7',
      'x-diaginfo': 'GV1P191MB2243',
      'x-beserver': 'GV1P191MB2243',
      'x-feserver': 'BY2PR03CA011',
    };
    const kinds = extractExchangeOnline(
      res(`https://outlook.office365.com/owa/service.svc`, { status: 401, headers }),
    ).map((s) => s.online);
    expect(new Set(kinds)).toEqual(new Set(['outlook-backend', 'cloud-server-name', 'be-sku']));
  });
  it.each([
    [{ 'x-calculatedbetarget': 'ex19-01.thm.local' }],
    [{ 'x-feserver': 'WIN-12OUO7A66M7' }],
    [{ 'x-beserver': 'EXCH2019MB01' }],
    [{ 'x-calculatedbetarget': 'mail.notoutlook.com' }],
  ])('on-premises values are not cloud marks: %j', (headers) => {
    expect(extractExchangeOnline(res(AUTODISCOVER, { status: 401, headers }))).toEqual([]);
  });
});

describe('Server header', () => {
  it('combines Server, X-Powered-By and X-AspNet-Version', () => {
    const [signal] = extractServerHeader(
      res(`${ORIGIN}/owa/`, {
        headers: { server: 'Microsoft-IIS/10.0', 'x-powered-by': 'ASP.NET', 'x-aspnet-version': '4.0.30319' },
      }),
    );
    expect(signal?.value).toBe(
      'Server: Microsoft-IIS/10.0; X-Powered-By: ASP.NET; X-AspNet-Version: 4.0.30319',
    );
  });
});

describe('hostile bodies', () => {
  // Catastrophic backtracking would hang these until the test timeout.
  it.each([
    [
      'unterminated assemblyIdentity tags',
      '<assemblyIdentity name="microsoft.exchange.ediscovery.exporttool" '.repeat(20_000),
    ],
    ['endless almost-paths', '/owa/auth/15.1.1.'.repeat(40_000)],
    ['unterminated form tags', '<form action="/owa/auth.ow'.repeat(40_000)],
    ['unterminated titles', '<title>'.repeat(100_000)],
    ['digits', `/owa/${'1.'.repeat(200_000)}`],
  ])('%s', (_name, body) => {
    const signals = extractSignals(res(`${ORIGIN}/owa/auth/logon.aspx`, { body }));
    expect(signals.filter((s) => s.build !== null)).toEqual([]);
  });
});
