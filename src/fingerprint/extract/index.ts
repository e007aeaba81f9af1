// All signals of one response, computed once per response object.
import type { ProbeResponse } from '../../core/probe-types.js';
import type { Signal } from '../types.js';
import { extractAssetPaths } from './asset-paths.js';
import {
  extractActiveSyncVersion,
  extractFeServer,
  extractOwaVersionHeader,
  extractServerHeader,
} from './headers.js';
import { extractLogonMarkers, extractLogonTitle } from './logon-page.js';
import { extractEcpVersionDir, extractExporttoolManifest } from './manifest.js';
import { extractExchangeOnline } from './online.js';
import { extractOwaRedirect, extractOwaSsoRedirect } from './redirect.js';
import { extractServiceChallenge, isServiceChallenge } from './service-challenge.js';
import { perResponse } from './per-response.js';

export { extractAssetPaths, extractLegacyAssetPath, extractModernAssetPath } from './asset-paths.js';
export {
  extractActiveSyncVersion,
  extractFeServer,
  extractOwaVersionHeader,
  extractServerHeader,
  feServerNames,
  owaVersionInPlace,
} from './headers.js';
export { extractExchangeOnline, DECISIVE_ONLINE, EXCHANGE_ONLINE_APP_ID } from './online.js';
export { extractLogonMarkers, extractLogonTitle } from './logon-page.js';
export { extractEcpVersionDir, extractExporttoolManifest, isExporttoolManifest } from './manifest.js';
export {
  extractOwaRedirect,
  extractOwaSsoRedirect,
  isRedirectStatus,
  redirectOf,
  redirectTarget,
} from './redirect.js';
export {
  exchangeHeadersOf,
  extractServiceChallenge,
  isCredentialPath,
  isServiceChallenge,
  isServicePath,
} from './service-challenge.js';

const EXTRACTORS: readonly ((r: ProbeResponse) => Signal[])[] = [
  extractOwaRedirect,
  extractOwaSsoRedirect,
  extractFeServer,
  extractOwaVersionHeader,
  extractExchangeOnline,
  extractActiveSyncVersion,
  extractServiceChallenge,
  extractLogonMarkers,
  extractLogonTitle,
  extractAssetPaths,
  extractExporttoolManifest,
  extractEcpVersionDir,
  extractServerHeader,
];

/** All signals of one response, in extractor order; read once per response (per-response.ts). */
export const extractSignals: (response: ProbeResponse) => readonly Signal[] = perResponse((response) => {
  const signals: Signal[] = [];
  for (const extract of EXTRACTORS) for (const s of extract(response)) signals.push(s);
  return signals;
});

/**
 * Whether a response shows anything of Exchange at all (a hint, not proof): any Exchange hint, or
 * an answer from an Exchange service path that asks for credentials.
 */
export function looksLikeExchange(response: ProbeResponse): boolean {
  return extractSignals(response).some((s) => s.hint) || isServiceChallenge(response);
}
