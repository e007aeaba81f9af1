// Hosts that are not on-premises Exchange: Exchange Online, stock IIS/nginx/Apache, a C2-like
// imitator borrowing one Exchange header, and the out-of-scope sentinel.
import {
  APACHE_VERSION,
  IIS_START,
  NGINX_404,
  NGINX_VERSION,
  NGINX_WELCOME,
  apache404,
  objectMoved,
} from '../assets/web-pages.js';
import type { WebProfile } from '../types.js';
import { exchangeEncode, iis404, requestId, send, type Header, type RequestContext } from './common.js';

const IIS: Header[] = [
  ['Server', 'Microsoft-IIS/10.0'],
  ['X-Powered-By', 'ASP.NET'],
];

/** outlook.office365.com-like: back-end names under PROD.OUTLOOK.COM on every response. */
export function respondOnline(ctx: RequestContext): void {
  const cloud: Header[] = [
    ['Server', 'Microsoft-IIS/10.0'],
    ['request-id', requestId()],
    ['X-CalculatedBETarget', 'GV1P191MB2243.EURP191.PROD.OUTLOOK.COM'],
    ['X-BackEndHttpStatus', '401'],
    ['X-RUM-Validated', '1'],
    ['X-BeSku', 'WCS7'],
    ['X-DiagInfo', 'GV1P191MB2243'],
    ['X-BEServer', 'GV1P191MB2243'],
    ['X-Proxy-RoutingCorrectness', '1'],
    ['X-Proxy-BackendServerStatus', '401'],
    ['X-CalculatedFETarget', 'GV3P280CU001.internal.outlook.com'],
    ['X-FEProxyInfo', 'GV3P280CA0091.SWEP280.PROD.OUTLOOK.COM'],
    ['X-FEEFZInfo', 'GVX'],
    ['X-FEServer', 'GV3P280CA0091'],
    ['X-FirstHopCafeEFZ', 'ZRH'],
    ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains; preload'],
    ['X-Powered-By', 'ASP.NET'],
  ];
  const origin = `https://${ctx.authority}`;
  if (ctx.lpath === '/' || ctx.lpath === '/owa' || ctx.lpath === '/owa/') {
    const location =
      'https://login.microsoftonline.com/common/oauth2/authorize?client_id=00000002-0000-0ff1-ce00-000000000000' +
      `&redirect_uri=${exchangeEncode(`${origin}/owa/`)}&resource=00000002-0000-0ff1-ce00-000000000000` +
      `&response_mode=form_post&response_type=code+id_token&scope=openid&msafed=1&msaredir=1&client-request-id=${requestId()}&protectedtoken=true`;
    send(
      ctx,
      302,
      'Found',
      [
        ['Cache-Control', 'no-cache'],
        ['Content-Type', 'text/html; charset=utf-8'],
        ['Location', location],
        ...cloud,
      ],
      objectMoved(location),
    );
    return;
  }
  if (
    [
      '/autodiscover/autodiscover.xml',
      '/ews/exchange.asmx',
      '/owa/service.svc',
      '/microsoft-server-activesync',
    ].includes(ctx.lpath)
  ) {
    send(ctx, 401, 'Unauthorized', [
      ...cloud,
      ['WWW-Authenticate', 'Basic Realm="",Negotiate'],
      ['X-OWA-Version', '15.20.8964.25'],
    ]);
    return;
  }
  iis404(ctx, cloud);
}

export function respondWeb(ctx: RequestContext, p: WebProfile): void {
  switch (p.kind) {
    case 'iis-default':
      if (ctx.lpath === '/' || ctx.lpath === '/iisstart.htm') {
        send(
          ctx,
          200,
          'OK',
          [
            ['Content-Type', 'text/html'],
            ['Last-Modified', 'Sat, 15 Mar 2025 08:02:11 GMT'],
            ['Accept-Ranges', 'bytes'],
            ['ETag', '"5b1e4c6a8795db1:0"'],
            ...IIS,
          ],
          IIS_START,
        );
      } else {
        iis404(ctx, IIS);
      }
      return;
    case 'nginx-default':
      if (ctx.lpath === '/' || ctx.lpath === '/index.html') {
        send(
          ctx,
          200,
          'OK',
          [
            ['Server', NGINX_VERSION],
            ['Content-Type', 'text/html'],
            ['Last-Modified', 'Tue, 11 Apr 2023 01:45:34 GMT'],
            ['ETag', '"6434bbbe-267"'],
            ['Accept-Ranges', 'bytes'],
          ],
          NGINX_WELCOME,
        );
      } else {
        send(
          ctx,
          404,
          'Not Found',
          [
            ['Server', NGINX_VERSION],
            ['Content-Type', 'text/html'],
          ],
          NGINX_404,
        );
      }
      return;
    case 'apache-404':
      send(
        ctx,
        404,
        'Not Found',
        [
          ['Server', APACHE_VERSION],
          ['Content-Type', 'text/html; charset=iso-8859-1'],
        ],
        apache404(ctx.hostName, ctx.port.port),
      );
      return;
    case 'imitator':
      // Same 200 for every path: a borrowed Exchange header on top of an empty-looking page.
      send(
        ctx,
        200,
        'OK',
        [
          ['Cache-Control', 'no-cache'],
          ['Content-Type', 'text/html; charset=utf-8'],
          ['Server', 'Microsoft-IIS/10.0'],
          ...(p.headers ?? []),
        ],
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title></title></head><body></body></html>\n',
      );
      return;
    case 'sentinel':
      send(
        ctx,
        404,
        'Not Found',
        [['Content-Type', 'text/plain']],
        'out-of-scope sentinel: nothing should ever reach this address\n',
      );
      return;
  }
}
