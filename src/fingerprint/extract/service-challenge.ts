// An authentication challenge from an Exchange service path: the shape that lets a version header
// count as proof. A C2 that copies X-OWA-Version onto every page does not answer 401 with a
// challenge on /autodiscover/ or /EWS/; Exchange does (since the July 2021 updates, with the header).
import type { ProbeResponse } from '../../probe/types.js';
import { header, lowerPath } from './common.js';

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

export function isServicePath(response: ProbeResponse): boolean {
  const path = lowerPath(response);
  return SERVICE_PATH_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/** 401 with a WWW-Authenticate challenge on an Exchange service path. */
export function isServiceChallenge(response: ProbeResponse): boolean {
  if (response.status !== 401) return false;
  const challenge = header(response, 'www-authenticate');
  return challenge !== null && challenge.trim() !== '' && isServicePath(response);
}
