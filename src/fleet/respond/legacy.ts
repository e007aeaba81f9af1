// Exchange 2007 and 2010: X-OWA-Version on OWA responses (when the profile sends it), 4-part
// asset paths on the logon page, IE=EmulateIE7, IIS 7.x, no X-FEServer anywhere (3gstudent's
// "no X-FEServer on /ews ⇒ 2010 or older"), no exporttool.
import { DESTINATION, logonPage2007, logonPage2010 } from '../assets/legacy-logon.js';
import { objectMoved } from '../assets/web-pages.js';
import type { LegacyExchangeProfile } from '../types.js';
import { exchangeEncode, iis404, send, type Header, type RequestContext } from './common.js';

const AUTH_401 = new Set([
  '/autodiscover/autodiscover.xml',
  '/ews/exchange.asmx',
  '/ews/',
  '/microsoft-server-activesync',
]);

const pageCache = new Map<string, { head: Buffer; tail: Buffer }>();

function logonPage(p: LegacyExchangeProfile): { head: Buffer; tail: Buffer } {
  const key = `${p.product}/${p.build}`;
  let page = pageCache.get(key);
  if (page === undefined) {
    const html = p.product === 'Exchange Server 2007' ? logonPage2007(p.build) : logonPage2010(p.build);
    const at = html.indexOf(DESTINATION);
    page = {
      head: Buffer.from(html.slice(0, at), 'utf8'),
      tail: Buffer.from(html.slice(at + DESTINATION.length), 'utf8'),
    };
    pageCache.set(key, page);
  }
  return page;
}

export function respondLegacy(ctx: RequestContext, p: LegacyExchangeProfile): void {
  const origin = `${ctx.port.scheme}://${ctx.authority}`;
  const base: Header[] = [
    ['Server', p.server],
    ['X-AspNet-Version', '2.0.50727'],
    ['X-Powered-By', 'ASP.NET'],
  ];
  const owa: Header[] = [...base, ['X-UA-Compatible', 'IE=EmulateIE7']];
  if (p.sendsOwaVersion) owa.push(['X-OWA-Version', p.build]);

  if (ctx.lpath === '/' || ctx.lpath === '/owa') {
    send(
      ctx,
      302,
      'Found',
      [['Location', `${origin}/owa/`], ['Content-Type', 'text/html; charset=utf-8'], ...base],
      objectMoved(`${origin}/owa/`),
    );
    return;
  }
  const isEcp = ctx.lpath === '/ecp/' && p.product === 'Exchange Server 2010';
  if (ctx.lpath === '/owa/' || isEcp) {
    const location = `${origin}/owa/auth/logon.aspx?url=${exchangeEncode(`${origin}${ctx.lpath}`)}&reason=0`;
    send(
      ctx,
      302,
      'Found',
      [
        ['Cache-Control', 'no-cache'],
        ['Content-Type', 'text/html; charset=utf-8'],
        ['Location', location],
        ...owa,
      ],
      objectMoved(location),
    );
    return;
  }
  if (ctx.lpath === '/owa/auth/logon.aspx') {
    const page = logonPage(p);
    const status = p.logonStatus;
    send(
      ctx,
      status,
      status === 200 ? 'OK' : 'Bad Request',
      [
        ['Cache-Control', 'no-cache'],
        ['Content-Type', 'text/html; charset=utf-8'],
        ['Expires', '-1'],
        ['Pragma', 'no-cache'],
        ...owa,
      ],
      page.head,
      `${origin}/owa/`,
      page.tail,
    );
    return;
  }
  if (AUTH_401.has(ctx.lpath)) {
    send(
      ctx,
      401,
      'Unauthorized',
      [
        ['Content-Type', 'text/html'],
        ...base,
        ['WWW-Authenticate', 'Negotiate'],
        ['WWW-Authenticate', 'NTLM'],
        ['WWW-Authenticate', `Basic realm="${ctx.hostName}"`],
      ],
      '<html><head><title>401 - Unauthorized</title></head><body><h1>401 - Unauthorized: Access is denied due to invalid credentials.</h1></body></html>',
    );
    return;
  }
  iis404(ctx, base);
}
