// Header signals: X-OWA-Version, X-FEServer, MS-Server-ActiveSync, Server/X-Powered-By.
// Repeated headers arrive joined with ", " (ProbeResponse.headers), so list-valued ones are split.
import type { ProbeResponse } from '../../core/probe-types.js';
import { generationOf, normaliseBuildNumber } from '../build-number.js';
import { cleanValue } from '../../core/text.js';
import type { Signal } from '../types.js';
import { cleanRepeated, header, headerItems, isHtml, lowerPath, signalFrom } from './common.js';
import { isServicePath } from './service-challenge.js';

const NETBIOS_LIKE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/** A component written with a leading zero: "15.02.1748.039" (ExSetup's long form, never the header's). */
const PADDED = /(?:^|\.)0\d/;
const LOGON_PATHS = ['/owa/auth/logon.aspx', '/owa/auth/errorfe.aspx'];

/**
 * Whether Exchange sends X-OWA-Version of this generation on this response. 2007/2010 send it on
 * every OWA page; 2013 and later only on the front end's answers from its service paths (401s,
 * redirects, service replies) — never on the logon page, on an HTML page, on a 404 or off those paths.
 */
export function owaVersionInPlace(response: ProbeResponse, generation: string | null): boolean {
  const path = lowerPath(response);
  if (generation === '8' || generation === '14')
    return path.startsWith('/owa') || path.startsWith('/exchweb/') || isServicePath(response);
  if (!isServicePath(response) || response.status === 404) return false;
  if (LOGON_PATHS.includes(path)) return false;
  return !(response.status === 200 && isHtml(response));
}

/**
 * `X-OWA-Version` (any case). One signal per distinct value. The evidence value is the number as
 * written when it is zero-padded (the tell of a hand-written header), else the normalised build.
 * A value that is not a build is kept as evidence without a number.
 */
export function extractOwaVersionHeader(response: ProbeResponse): Signal[] {
  const raw = header(response, 'x-owa-version');
  if (raw === null) return [];
  const items = headerItems(raw);
  const parsed = items.map((item) => ({ item, build: normaliseBuildNumber(item) }));
  const builds = parsed.filter((p) => p.build !== null);
  if (builds.length === 0) {
    return raw.trim() === ''
      ? []
      : [signalFrom(response, { signal: 'x-owa-version', value: cleanValue(raw), hint: true })];
  }
  return builds.map(({ item, build }) => {
    const b = build ?? '';
    const generation = generationOf(b);
    const padded = PADDED.test(item);
    return signalFrom(response, {
      signal: 'x-owa-version',
      value: padded ? cleanValue(item, 40) : b,
      build: b,
      generations: generation === null ? null : [generation],
      hint: true,
      padded,
      misplaced: !owaVersionInPlace(response, generation),
    });
  });
}

/** Front-end names of `X-FEServer` (several when the request passed several front ends). */
export function feServerNames(response: ProbeResponse): string[] {
  const raw = header(response, 'x-feserver');
  return raw === null ? [] : headerItems(raw).filter((n) => NETBIOS_LIKE.test(n));
}

/** `X-FEServer`: the 2013+ front-end name(s). Marks 2013 or later; a hint, never proof on its own. */
export function extractFeServer(response: ProbeResponse): Signal[] {
  const raw = header(response, 'x-feserver');
  if (raw === null || raw.trim() === '') return [];
  return [
    signalFrom(response, {
      signal: 'x-feserver',
      value: cleanRepeated(headerItems(raw).join(', ')),
      generations: ['15'],
      hint: true,
    }),
  ];
}

/**
 * `MS-Server-ActiveSync`: the major.minor an ActiveSync server claims (Exchange: 8.x … 15.2;
 * Exchange Online 15.20). ActiveSync emulators send it too, so it is a hint only.
 */
export function extractActiveSyncVersion(response: ProbeResponse): Signal[] {
  const raw = header(response, 'ms-server-activesync');
  if (raw === null || raw.trim() === '') return [];
  const major = /^\s*(\d{1,2})\./.exec(raw)?.[1];
  const generation = major === '8' || major === '14' || major === '15' ? major : null;
  return [
    signalFrom(response, {
      signal: 'activesync-version',
      value: cleanRepeated(raw, 40),
      generations: generation === null ? null : [generation],
      hint: true,
    }),
  ];
}

/** Server / X-Powered-By / X-AspNet-Version, for context (and the stack check of corroboration). */
export function extractServerHeader(response: ProbeResponse): Signal[] {
  const parts: string[] = [];
  for (const [name, label] of [
    ['server', 'Server'],
    ['x-powered-by', 'X-Powered-By'],
    ['x-aspnet-version', 'X-AspNet-Version'],
  ] as const) {
    const v = header(response, name);
    if (v !== null && v.trim() !== '') parts.push(`${label}: ${cleanRepeated(v, 80)}`);
  }
  return parts.length === 0
    ? []
    : [signalFrom(response, { signal: 'server-header', value: parts.join('; ') })];
}
