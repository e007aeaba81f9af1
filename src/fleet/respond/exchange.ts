// Exchange 2013, 2016, 2019 and SE, modelled on the captures (thm-lookback-ex2019cu9-*,
// owa2016-cu9 logon page, exporttool fragments): `/` and `/owa/` redirect to the forms logon
// page, the logon page carries the 3-part asset path, the autodiscover/EWS/ActiveSync 401s carry
// `X-OWA-Version` when the profile sends it, the exporttool manifest answers or 404s, and
// `/ecp/<build>/exporttool/` answers only for the installed build.
import { exporttoolManifest } from '../assets/exporttool-manifest.js';
import { objectMoved } from '../assets/web-pages.js';
import {
  LOGON_TEMPLATE_BUILD,
  LOGON_TEMPLATE_DESTINATION,
  OWA_LOGON_TEMPLATE,
} from '../assets/owa-logon-template.js';
import type { ExchangeProfile } from '../types.js';
import {
  computerName,
  exchangeEncode,
  iis404,
  originFor,
  requestId,
  send,
  type Header,
  type RequestContext,
} from './common.js';

const MANIFEST_PATH = '/ecp/current/exporttool/microsoft.exchange.ediscovery.exporttool.application';
const MANIFEST_FILE = 'microsoft.exchange.ediscovery.exporttool.application';

/** Paths answered 401 by the authentication modules (anonymous requests). */
const AUTH_401 = new Set([
  '/autodiscover/autodiscover.xml',
  '/autodiscover/autodiscover.svc',
  '/ews/exchange.asmx',
  '/ews/',
  '/microsoft-server-activesync',
  '/microsoft-server-activesync/',
  '/owa/service.svc',
  '/mapi/',
  '/rpc/',
  '/oab/',
]);

interface SplitPage {
  head: Buffer;
  tail: Buffer;
}

// One rendering per (asset build, title): a handful of entries for any fleet size.
const logonCache = new Map<string, SplitPage>();
const manifestCache = new Map<string, Buffer>();

function logonPage(build3: string, title: string): SplitPage {
  const key = `${build3}\u0000${title}`;
  let page = logonCache.get(key);
  if (page === undefined) {
    const html = OWA_LOGON_TEMPLATE.replaceAll(
      `/owa/auth/${LOGON_TEMPLATE_BUILD}/`,
      `/owa/auth/${build3}/`,
    ).replace('<title>Outlook</title>', `<title>${title}</title>`);
    const at = html.indexOf(LOGON_TEMPLATE_DESTINATION);
    page = {
      head: Buffer.from(html.slice(0, at), 'utf8'),
      tail: Buffer.from(html.slice(at + LOGON_TEMPLATE_DESTINATION.length), 'utf8'),
    };
    logonCache.set(key, page);
  }
  return page;
}

function manifest(version: string, token: string): Buffer {
  const key = `${version}/${token}`;
  let body = manifestCache.get(key);
  if (body === undefined) {
    body = Buffer.from(exporttoolManifest(version, token), 'utf8');
    manifestCache.set(key, body);
  }
  return body;
}

function build3(build: string): string {
  return build.split('.').slice(0, 3).join('.');
}

const FE_PREFIX: Record<string, string> = {
  'Exchange Server 2013': 'EX13',
  'Exchange Server 2016': 'EX16',
  'Exchange Server 2019': 'EX19',
  'Exchange Server SE': 'EXSE',
};

export function respondExchange(ctx: RequestContext, p: ExchangeProfile): void {
  const scheme = ctx.port.scheme;
  const origin = `${scheme}://${ctx.authority}`;
  const fe =
    p.markup?.feServerRedirect ??
    computerName(ctx.host.ip, p.feServer === 'win' ? null : (FE_PREFIX[p.product] ?? 'EX'));
  const server = p.markup?.server ?? p.server;
  const base: Header[] = [
    ['Server', server],
    ['request-id', requestId()],
  ];

  // IIS default-document redirect, as in the capture ("Moved Temporarily", X-FEServer, X-RequestId).
  if (ctx.lpath === '/') {
    send(ctx, 302, 'Moved Temporarily', [
      ['Cache-Control', 'no-cache'],
      ['Location', `${origin}/owa/`],
      ['Pragma', 'no-cache'],
      ['Server', server],
      ['X-FEServer', fe],
      ['X-RequestId', requestId()],
    ]);
    return;
  }
  if (ctx.lpath === '/owa' || ctx.lpath === '/ecp') {
    send(ctx, 301, 'Moved Permanently', [['Location', `${origin}${ctx.path}/`], ...base, ['X-FEServer', fe]]);
    return;
  }
  if (ctx.lpath === '/owa/' || ctx.lpath === '/ecp/') {
    const app = ctx.lpath === '/owa/' ? 'owa' : 'ecp';
    const location = `${origin}/owa/auth/logon.aspx?url=${exchangeEncode(`${origin}/${app}/`)}&reason=0`;
    // Header order and the "X-Feserver" spelling follow the captured /owa/ 302.
    send(
      ctx,
      302,
      'Found',
      [
        ['Cache-Control', 'no-cache'],
        ['Pragma', 'no-cache'],
        ['Content-Type', 'text/html; charset=utf-8'],
        ['Location', location],
        ['Request-Id', requestId()],
        ['Server', server],
        ['X-Feserver', fe],
        ['X-Powered-By', 'ASP.NET'],
      ],
      objectMoved(location),
    );
    return;
  }
  if (ctx.lpath === '/owa/auth/logon.aspx') {
    const target = new URLSearchParams(ctx.query).get('url') ?? '';
    const ecp = /\/ecp(?:\/|$)/i.test(target);
    const title = p.markup?.title ?? (ecp ? 'Exchange Admin Center' : 'Outlook');
    const page = logonPage(build3(p.installed), title);
    // The captured logon response carries no X-FEServer and no X-OWA-Version.
    send(
      ctx,
      200,
      'OK',
      [
        ['Cache-Control', 'no-cache, no-store'],
        ['Content-Type', 'text/html; charset=utf-8'],
        ['Expires', '-1'],
        ['Pragma', 'no-cache'],
        ...base,
        ['X-AspNet-Version', '4.0.30319'],
        ['X-Frame-Options', 'SAMEORIGIN'],
        ['X-Powered-By', 'ASP.NET'],
      ],
      page.head,
      `${origin}/${ecp ? 'ecp' : 'owa'}/`,
      page.tail,
    );
    return;
  }
  if (AUTH_401.has(ctx.lpath)) {
    const headers: Header[] = [...base];
    if (p.owaVersion !== null) headers.push([p.owaVersionHeader ?? 'X-OWA-Version', p.owaVersion]);
    if (!ctx.lpath.startsWith('/microsoft-server-activesync'))
      headers.push(['WWW-Authenticate', 'Negotiate'], ['WWW-Authenticate', 'NTLM']);
    headers.push(
      ['WWW-Authenticate', `Basic realm="${ctx.hostName}"`],
      ['X-Powered-By', 'ASP.NET'],
      ['X-FEServer', p.markup?.feServer401 ?? fe],
    );
    send(ctx, 401, 'Unauthorized', headers);
    return;
  }
  if (ctx.lpath === MANIFEST_PATH && p.manifest !== null) {
    sendManifest(ctx, p, fe, server, p.manifest.version, p.manifest.token);
    return;
  }
  // Thorough mode: the versioned ECP directory exists only for the installed build.
  const versioned = /^\/ecp\/(\d+\.\d+\.\d+\.\d+)\/exporttool\/(.*)$/.exec(ctx.lpath);
  if (versioned?.[1] === p.installed) {
    const rest = versioned[2] ?? '';
    if (rest === MANIFEST_FILE) {
      sendManifest(ctx, p, fe, server, p.installed, p.manifest?.token ?? 'b1d1a6c45aa418ce');
      return;
    }
    if (rest === '') {
      send(
        ctx,
        200,
        'OK',
        [['Content-Type', 'text/html'], ...base, ['X-FEServer', fe], ['X-Powered-By', 'ASP.NET']],
        '',
      );
      return;
    }
  }
  iis404(ctx, [...base, ['X-FEServer', fe], ['X-Powered-By', 'ASP.NET']]);
}

function sendManifest(
  ctx: RequestContext,
  p: ExchangeProfile,
  fe: string,
  server: string,
  version: string,
  token: string,
): void {
  send(
    ctx,
    200,
    'OK',
    [
      ['Content-Type', 'application/x-ms-application'],
      ['Last-Modified', 'Tue, 09 Jan 2024 10:12:44 GMT'],
      ['Accept-Ranges', 'bytes'],
      ['Server', server],
      ['request-id', requestId()],
      [
        'X-CalculatedBETarget',
        `${computerName(ctx.host.ip, FE_PREFIX[p.product] ?? 'EX').toLowerCase()}.corp.fleet.test`,
      ],
      ['X-FEServer', fe],
      ['X-Powered-By', 'ASP.NET'],
    ],
    manifest(version, token),
  );
}

/** http port of a host that also serves https: everything goes to the same path on https. */
export function redirectToHttps(ctx: RequestContext, server: string): void {
  const httpsPort = ctx.host.httpsPort ?? 443;
  const query = ctx.query === '' ? '' : `?${ctx.query}`;
  const location = `${originFor('https', ctx.hostName, httpsPort)}${ctx.path}${query}`;
  send(
    ctx,
    302,
    'Redirect',
    [
      ['Content-Type', 'text/html; charset=UTF-8'],
      ['Location', location],
      ['Server', server],
    ],
    `<head><title>Document Moved</title></head>\n<body><h1>Object Moved</h1>This document may be found <a HREF="${location.replace(/"/g, '%22')}">here</a></body>`,
  );
}
