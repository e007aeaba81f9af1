// Header signals: X-OWA-Version, X-FEServer, Server/X-Powered-By, and the Exchange Online marks.
import type { ProbeResponse } from '../../probe/types.js';
import { generationOf, normaliseBuildNumber } from '../build-number.js';
import { cleanValue } from '../text.js';
import type { OnlineIndicator, Signal } from '../types.js';
import { header, signalFrom } from './common.js';
import { isServiceChallenge } from './service-challenge.js';

/** Repeated headers arrive joined with ", "; more than a few copies is noise. */
const MAX_HEADER_ITEMS = 4;
const NETBIOS_LIKE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/**
 * `X-OWA-Version` (any case, padded or long form). One signal per distinct value; a value that is
 * not a build is kept as evidence without a number. It proves Exchange only when it rides on an
 * authentication challenge from an Exchange service path.
 */
export function extractOwaVersionHeader(response: ProbeResponse): Signal[] {
  const raw = header(response, 'x-owa-version');
  if (raw === null) return [];
  const onChallenge = isServiceChallenge(response);
  const items = [
    ...new Set(
      raw
        .split(',')
        .slice(0, MAX_HEADER_ITEMS)
        .map((v) => v.trim()),
    ),
  ].filter((v) => v !== '');
  const parsed = items.map((item) => ({ item, build: normaliseBuildNumber(item) }));
  const builds = parsed.filter((p) => p.build !== null);
  if (builds.length === 0) {
    return raw.trim() === ''
      ? []
      : [signalFrom(response, { signal: 'x-owa-version', value: cleanValue(raw) })];
  }
  return builds.map(({ build }) => {
    const b = build ?? '';
    const generation = generationOf(b);
    return signalFrom(response, {
      signal: 'x-owa-version',
      value: b,
      build: b,
      generations: generation === null ? null : [generation],
      proves: onChallenge,
    });
  });
}

/**
 * `X-FEServer`: the 2013+ front-end name. Marks 2013 or later; proves Exchange only on an
 * authentication challenge from an Exchange service path.
 */
export function extractFeServer(response: ProbeResponse): Signal[] {
  const raw = header(response, 'x-feserver');
  if (raw === null || raw.trim() === '') return [];
  const value = cleanValue(raw);
  return [
    signalFrom(response, {
      signal: 'x-feserver',
      value,
      generations: ['15'],
      proves: NETBIOS_LIKE.test(raw.trim()) && isServiceChallenge(response),
    }),
  ];
}

/** Server / X-Powered-By / X-AspNet-Version, for context only. */
export function extractServerHeader(response: ProbeResponse): Signal[] {
  const parts: string[] = [];
  for (const [name, label] of [
    ['server', 'Server'],
    ['x-powered-by', 'X-Powered-By'],
    ['x-aspnet-version', 'X-AspNet-Version'],
  ] as const) {
    const v = header(response, name);
    if (v !== null && v.trim() !== '') parts.push(`${label}: ${cleanValue(v, 80)}`);
  }
  return parts.length === 0
    ? []
    : [signalFrom(response, { signal: 'server-header', value: parts.join('; ') })];
}

// Exchange Online back-end names: GV1P191MB2243, BY2PR03MB027, BY2PR03CA011, GV3P280CU004 —
// region, pod, role, number. An on-premises NetBIOS name of this exact shape would be a coincidence,
// which is why one indicator alone never decides.
const CLOUD_SERVER_NAME = /^[a-z]{2,4}\d{0,2}pr?\d{2,4}[a-z]{2}\d{2,5}$/i;
const BACKEND_HEADERS = [
  'x-calculatedbetarget',
  'x-calculatedfetarget',
  'x-beserver',
  'x-feserver',
  'x-diaginfo',
];
const SERVER_NAME_HEADERS = new Set(['x-beserver', 'x-feserver', 'x-diaginfo']);

function isOutlookHost(value: string): boolean {
  const v = value.trim().toLowerCase().replace(/\.$/, '');
  return v === 'outlook.com' || v.endsWith('.outlook.com');
}

/** Exchange Online marks: `*.outlook.com` back-end targets, cloud server names, `X-BeSku`. */
export function extractExchangeOnline(response: ProbeResponse): Signal[] {
  const found: Signal[] = [];
  const add = (name: string, raw: string, online: OnlineIndicator): void => {
    found.push(
      signalFrom(response, { signal: 'exchange-online', value: cleanValue(`${name}: ${raw}`), online }),
    );
  };
  for (const name of BACKEND_HEADERS) {
    const raw = header(response, name);
    if (raw === null) continue;
    const first = raw.split(',')[0]?.trim() ?? '';
    if (isOutlookHost(first)) add(name, first, 'outlook-backend');
    else if (SERVER_NAME_HEADERS.has(name) && first.length <= 24 && CLOUD_SERVER_NAME.test(first)) {
      add(name, first, 'cloud-server-name');
    }
  }
  const sku = header(response, 'x-besku');
  if (sku !== null && sku.trim() !== '') add('x-besku', sku, 'be-sku');
  return found;
}
