// Exchange Online marks. Each is only an observation here: combine.ts counts them when they ride on
// a response Exchange Online gives (a redirect of /owa/, an answer from a service path) — a C2
// server replaying the same header names on an ordinary page is not Exchange Online.
import type { ProbeResponse } from '../../core/probe-types.js';
import { cleanValue } from '../../core/text.js';
import type { OnlineIndicator, Signal } from '../types.js';
import { header, headerItems, signalFrom } from './common.js';
import { redirectOf } from './redirect.js';

// Exchange Online server names: GV1P191MB2243, BY2PR03MB027, DM2PR42CA011, GV3P280CU004 — region,
// pod, role, number. An on-premises NetBIOS name of this exact shape would be a coincidence, which
// is why such a name counts only on an Exchange-shaped response and never decides alone.
const CLOUD_SERVER_NAME = /^[a-z]{2,4}\d{0,2}pr?\d{2,4}[a-z]{2}\d{2,5}$/i;
const HOST_HEADERS = ['x-calculatedbetarget', 'x-calculatedfetarget', 'x-feproxyinfo'];
const NAME_HEADERS = ['x-feserver', 'x-beserver', 'x-diaginfo'];
const EDGE_HEADERS = ['x-feefzinfo', 'x-firsthopcafeefz'];
/** The application id of Exchange Online in Microsoft's identity platform. */
export const EXCHANGE_ONLINE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';
const SIGN_IN_HOSTS = new Set(['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com']);
const CLOUD_OWA_HOSTS = new Set(['outlook.office.com', 'outlook.office365.com']);

/** Indicators that settle Exchange Online on their own (when on an Exchange-shaped response). */
export const DECISIVE_ONLINE: ReadonlySet<OnlineIndicator> = new Set<OnlineIndicator>([
  'sign-in',
  'activesync-15.20',
  'autodiscovery-error',
  'cloud-version',
]);

function isOutlookHost(value: string): boolean {
  const v = value.trim().toLowerCase().replace(/\.$/, '');
  return v === 'outlook.com' || v.endsWith('.outlook.com');
}

/** A redirect to Microsoft's sign-in for Exchange Online, or to Outlook on the web in the cloud. */
function signInTarget(response: ProbeResponse): string | null {
  const target = redirectOf(response);
  if (target === null) return null;
  const host = target.hostname.toLowerCase();
  if (CLOUD_OWA_HOSTS.has(host)) return target.href;
  if (!SIGN_IN_HOSTS.has(host)) return null;
  for (const [key, value] of target.searchParams) {
    if (key.toLowerCase() === 'client_id' && value.toLowerCase() === EXCHANGE_ONLINE_APP_ID)
      return target.href;
  }
  return null;
}

export function extractExchangeOnline(response: ProbeResponse): Signal[] {
  const found: Signal[] = [];
  const add = (text: string, online: OnlineIndicator): void => {
    found.push(
      signalFrom(response, { signal: 'exchange-online', value: cleanValue(text), online, hint: true }),
    );
  };
  const signIn = signInTarget(response);
  if (signIn !== null) add(`sign-in redirect: ${signIn}`, 'sign-in');
  for (const name of HOST_HEADERS) {
    const raw = header(response, name);
    const hit = raw === null ? undefined : headerItems(raw).find(isOutlookHost);
    if (hit !== undefined) add(`${name}: ${hit}`, 'outlook-backend');
  }
  for (const name of NAME_HEADERS) {
    const raw = header(response, name);
    if (raw === null) continue;
    const items = headerItems(raw);
    const host = items.find(isOutlookHost);
    if (host !== undefined) add(`${name}: ${host}`, 'outlook-backend');
    const cloud = items.filter((i) => i.length <= 24 && CLOUD_SERVER_NAME.test(i));
    if (cloud.length > 0) add(`${name}: ${cloud.join(', ')}`, 'cloud-server-name');
  }
  for (const name of EDGE_HEADERS) {
    const raw = header(response, name);
    if (raw !== null && raw.trim() !== '') add(`${name}: ${raw}`, 'edge');
  }
  const sku = header(response, 'x-besku');
  if (sku !== null && sku.trim() !== '') add(`x-besku: ${sku}`, 'be-sku');
  const eas = header(response, 'ms-server-activesync');
  const easVersion = eas === null ? null : /^\s*15\.(\d{1,2})\b/.exec(eas);
  if (easVersion !== null && Number(easVersion[1]) >= 20)
    add(`ms-server-activesync: ${eas ?? ''}`, 'activesync-15.20');
  const adError = header(response, 'x-autodiscovery-error');
  if (adError !== null && adError.trim() !== '')
    add(`x-autodiscovery-error: ${adError}`, 'autodiscovery-error');
  const owa = header(response, 'x-owa-version');
  if (owa !== null && headerItems(owa).some((v) => /^15\.0?2\d\.\d/.test(v)))
    add(`x-owa-version: ${owa}`, 'cloud-version');
  const challenge = header(response, 'www-authenticate');
  if (response.status === 401 && challenge !== null && /\bbasic\s+realm\s*=\s*""/i.test(challenge))
    add('www-authenticate: Basic Realm="" (empty realm)', 'empty-basic-realm');
  return found;
}
