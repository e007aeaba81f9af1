// Answers from Exchange's service paths. An anonymous request to EWS, Autodiscover, ActiveSync,
// MAPI, RPC or OAB gets a 401 from Exchange (with Exchange's front-end headers since 2013); a C2
// server that copies X-OWA-Version onto every page, or a honeypot that shows its form everywhere,
// answers those paths with a 200.
import type { ProbeResponse } from '../../core/probe-types.js';
import type { Signal } from '../types.js';
import { cleanRepeated, header, headerItems, lowerPath, signalFrom } from './common.js';

const SERVICE_PATH_PREFIXES = [
  '/autodiscover/',
  '/ews/',
  '/microsoft-server-activesync',
  '/owa/',
  '/ecp/',
  '/mapi/',
  '/rpc/',
  '/oab/',
];

/** Paths where Exchange asks an anonymous GET for credentials (never answers 200). */
const CREDENTIAL_PATHS = [
  '/autodiscover/autodiscover.xml',
  '/autodiscover/autodiscover.svc',
  '/ews/',
  '/microsoft-server-activesync',
  '/mapi/',
  '/rpc/',
  '/oab/',
];

/** Front-end headers Exchange puts on its answers (names, lower-case, as shown in evidence). */
const EXCHANGE_HEADERS: readonly [string, string][] = [
  ['x-owa-version', 'X-OWA-Version'],
  ['x-feserver', 'X-FEServer'],
  ['x-failurecontext', 'X-FailureContext'],
  ['x-calculatedbetarget', 'X-CalculatedBETarget'],
  ['x-beserver', 'X-BEServer'],
  ['x-diaginfo', 'X-DiagInfo'],
];

export function isServicePath(response: ProbeResponse): boolean {
  const path = lowerPath(response);
  return SERVICE_PATH_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/** A path where Exchange answers an anonymous GET with 401. */
export function isCredentialPath(response: ProbeResponse): boolean {
  const path = lowerPath(response);
  return CREDENTIAL_PATHS.some((prefix) => path.startsWith(prefix));
}

/**
 * 401 with a WWW-Authenticate challenge on an Exchange service path. A 401 without a challenge is
 * not what Exchange (or any conforming server) sends; a C2 profile might.
 */
export function isServiceChallenge(response: ProbeResponse): boolean {
  if (response.status !== 401 || !isServicePath(response)) return false;
  const challenge = header(response, 'www-authenticate');
  return challenge !== null && challenge.trim() !== '';
}

/** Exchange front-end headers on a response, by display name (plus Exchange's `exchangecookie`). */
export function exchangeHeadersOf(response: ProbeResponse): string[] {
  const found = EXCHANGE_HEADERS.filter(([name]) => (header(response, name) ?? '').trim() !== '').map(
    ([, label]) => label,
  );
  const cookie = header(response, 'set-cookie');
  if (cookie !== null && /(?:^|[\s,;])exchangecookie=/i.test(cookie)) found.push('exchangecookie');
  return found;
}

/** One signal per 401 from a service path: its challenge schemes and the Exchange headers on it. */
export function extractServiceChallenge(response: ProbeResponse): Signal[] {
  if (!isServiceChallenge(response)) return [];
  const challenge = header(response, 'www-authenticate') ?? '';
  const schemes = [
    ...new Set(
      headerItems(challenge)
        .map((c) => /^[A-Za-z-]{1,20}/.exec(c)?.[0] ?? '')
        .filter((c) => c !== '' && !/^(realm|trusted_issuers|token_types|authorization_uri|error)$/i.test(c)),
    ),
  ].join(', ');
  const headers = exchangeHeadersOf(response);
  return [
    signalFrom(response, {
      signal: 'service-challenge',
      value: cleanRepeated(`401 (${schemes})${headers.length === 0 ? '' : `; ${headers.join(', ')}`}`),
    }),
  ];
}
