// Is it Exchange answering, or something that presents as Exchange? Claims follow corroboration:
// on-premises Exchange needs two independent families of evidence, or one response an imitator
// cannot produce cheaply; anything that shows the endpoint is not Exchange refutes it.
//
// Families (one per kind of response, each produced by a different part of Exchange):
//   owa-redirect  /owa/ → this host's /owa/auth/logon.aspx?url=…&reason=…, or → AD FS for /owa/
//   logon-page    the OWA logon page (its markers) served at the logon path by an IIS/ASP.NET stack
//   service       a 401 from EWS/Autodiscover/ActiveSync/MAPI/… carrying Exchange's front-end headers
//   ecp           the export tool manifest (or, in thorough mode, the ECP version directory)
// Strong on its own: the manifest; a service 401 with Exchange's headers; an OWA redirect carrying
// them. An asset path in a page is a hint, never proof; asset paths of another host never count.
// Refutations: a non-IIS application stack (X-Powered-By: Express, PHP, …) on a response that shows
// Exchange; a 200 where Exchange asks for credentials (the honeypot's form on EWS); one request id
// repeated on different requests (C2 profiles replay a constant one).
// Exchange Online indicators count only on an Exchange-shaped response (a redirect or an answer
// from a service path, not an ordinary page).
import type { ProbeResponse } from '../core/probe-types.js';
import { cleanValue } from '../core/text.js';
import {
  exchangeHeadersOf,
  extractSignals,
  isCredentialPath,
  isServiceChallenge,
  isServicePath,
} from './extract/index.js';
import { header, isHtml, lowerPath } from './extract/common.js';
import { perResponse } from './extract/per-response.js';
import type { Signal } from './types.js';

export type EvidenceFamily = 'owa-redirect' | 'logon-page' | 'service' | 'ecp';

export interface Finding {
  text: string;
  url: string;
}

export interface Corroboration {
  families: EvidenceFamily[];
  /** What made one response enough on its own; null when none did. */
  strong: string | null;
  /** Findings that show the endpoint is not Exchange answering. */
  refutations: Finding[];
  /** Hints that were discounted, and why (a page served by another stack, another host's assets, …). */
  discounted: Finding[];
  /** Exchange Online indicators from Exchange-shaped responses. */
  online: Signal[];
  corroborated: boolean;
}

const FAMILY_LABEL: Record<EvidenceFamily, string> = {
  'owa-redirect': "OWA's redirect",
  'logon-page': 'the logon page',
  service: "a 401 from a service path with Exchange's headers",
  ecp: 'the export tool manifest',
};

const LOGON_PATHS = new Set(['/owa/auth/logon.aspx', '/exchweb/bin/auth/owalogon.asp']);
/** Application servers that are never Exchange's IIS/ASP.NET (X-Powered-By or Server). */
const APP_STACK =
  /\b(express|php|next\.js|nuxt|servlet|jsp|werkzeug|django|flask|gunicorn|uvicorn|rails|phusion|kestrel|node\.?js)\b/i;
/** Front web servers that may proxy Exchange, but do not serve its pages themselves. */
const WEB_SERVER = /^\s*(nginx|apache|openresty|lighttpd|caddy|litespeed|tengine)\b/i;

function asp(response: ProbeResponse): boolean {
  const powered = header(response, 'x-powered-by') ?? '';
  return /asp\.net/i.test(powered) || header(response, 'x-aspnet-version') !== null;
}

/** The application stack a response names when it is not Exchange's (X-Powered-By or Server). */
export function foreignAppStack(response: ProbeResponse): string | null {
  const powered = header(response, 'x-powered-by');
  if (powered !== null && APP_STACK.test(powered) && !/asp\.net/i.test(powered))
    return `X-Powered-By: ${cleanValue(powered, 60)}`;
  const server = header(response, 'server');
  if (server !== null && APP_STACK.test(server)) return `Server: ${cleanValue(server, 60)}`;
  return null;
}

/** A page served by a plain web server with no trace of ASP.NET: not OWA's page. */
function foreignWebServer(response: ProbeResponse): string | null {
  const server = header(response, 'server');
  return server !== null && WEB_SERVER.test(server) && !asp(response)
    ? `Server: ${cleanValue(server, 60)}`
    : null;
}

/** Exchange Online's answers: redirects and replies from its service paths, never an ordinary page. */
function onlineShaped(response: ProbeResponse): boolean {
  if (!isServicePath(response) || response.status === 404) return false;
  return !(response.status === 200 && isHtml(response));
}

/** What one response contributes to corroboration: a pure function of the response alone. */
interface ResponseFindings {
  families: readonly EvidenceFamily[];
  strong: string | null;
  refutations: readonly Finding[];
  discounted: readonly Finding[];
  /** Its Exchange Online indicators, when it is Exchange-shaped (else none). */
  online: readonly Signal[];
  /** Its request id, trimmed and lower-cased; null when absent or empty. */
  requestId: string | null;
}

// Each response is examined once (extract/per-response.ts): corroborate() is asked again after
// every response of an endpoint, over all of them so far. What it returns is built afresh each
// call, so nothing a caller holds is shared with what is kept.
const findingsOf = perResponse((r) => examine(r, extractSignals(r)));

function examine(r: ProbeResponse, signals: readonly Signal[]): ResponseFindings {
  const families = new Set<EvidenceFamily>();
  const refutations: Finding[] = [];
  const discounted: Finding[] = [];
  const id = header(r, 'request-id')?.trim().toLowerCase();
  const out = {
    families: [] as EvidenceFamily[],
    strong: null as string | null,
    refutations,
    discounted,
    online: onlineShaped(r) ? signals.filter((s) => s.online !== null) : [],
    requestId: id === undefined || id === '' ? null : id,
  };
  const done = (): ResponseFindings => {
    out.families = [...families];
    return out;
  };
  const has = (name: Signal['signal']): boolean =>
    signals.some((s) => s.signal === name && s.foreign === undefined);
  const hints = signals.filter((s) => s.hint && s.online === null);
  // Read only when a finding needs them (most responses give none).
  const urlOf = (): string => hints[0]?.url ?? cleanValue(r.url);
  let exchangeHeaders: string[] | null = null;
  const exchangeHeadersOn = (): string[] => (exchangeHeaders ??= exchangeHeadersOf(r));

  const app = foreignAppStack(r);
  if (app !== null && hints.length > 0)
    refutations.push({ url: urlOf(), text: `${app} served ${describe(hints)}: not Exchange's IIS/ASP.NET` });
  if (r.status === 200 && isCredentialPath(r))
    refutations.push({
      url: cleanValue(r.url),
      text: `${lowerPath(r)} answered 200${hints.length > 0 ? ` with ${describe(hints)}` : ''} where Exchange asks for credentials (401)`,
    });
  for (const s of signals)
    if (s.foreign !== undefined)
      discounted.push({ url: s.url, text: `asset path ${s.value}: another host's, never this server's` });
  for (const s of signals)
    if (s.signal === 'x-owa-version' && s.misplaced === true)
      discounted.push({
        url: s.url,
        text: `X-OWA-Version ${s.value} on a ${r.status} ${lowerPath(r)}, where Exchange never sends it`,
      });
  if (app !== null) return done();

  if (has('owa-redirect') || has('owa-sso-redirect')) {
    families.add('owa-redirect');
    const headers = exchangeHeadersOn();
    if (headers.length > 0) out.strong ??= `OWA's redirect carrying ${headers.join(', ')}`;
  }
  if (has('logon-page-marker')) {
    const web = foreignWebServer(r);
    if (!LOGON_PATHS.has(lowerPath(r)))
      discounted.push({
        url: urlOf(),
        text: `a logon page served at ${lowerPath(r)} (Exchange serves it at /owa/auth/logon.aspx)`,
      });
    else if (web !== null) discounted.push({ url: urlOf(), text: `a logon page served by ${web}` });
    else families.add('logon-page');
  }
  if (isServiceChallenge(r) && exchangeHeadersOn().length > 0) {
    families.add('service');
    out.strong ??= `a 401 from ${lowerPath(r)} carrying ${exchangeHeadersOn().join(', ')}`;
  }
  if (has('exporttool-manifest') || has('ecp-version-dir')) {
    families.add('ecp');
    out.strong ??= 'the export tool manifest';
  }
  return done();
}

/** The first hint, short: what made the response look like Exchange. */
function describe(hints: readonly Signal[]): string {
  const first = hints[0];
  return first === undefined ? 'nothing of Exchange' : `${first.signal} ${cleanValue(first.value, 50)}`;
}

/** A request id Exchange makes new per request, seen on two different requests. */
function repeatedRequestId(responses: readonly ProbeResponse[]): Finding | null {
  const seen = new Map<string, string>();
  for (const r of responses) {
    const id = findingsOf(r).requestId;
    if (id === null) continue;
    const first = seen.get(id);
    if (first !== undefined && first !== r.url)
      return {
        url: cleanValue(r.url),
        text: `request-id ${cleanValue(id, 40)} repeated on different requests (Exchange makes a new one per request)`,
      };
    seen.set(id, r.url);
  }
  return null;
}

export function corroborate(responses: readonly ProbeResponse[]): Corroboration {
  const families = new Set<EvidenceFamily>();
  let strong: string | null = null;
  const refutations: Finding[] = [];
  const discounted: Finding[] = [];
  const online: Signal[] = [];
  for (const r of responses) {
    const f = findingsOf(r);
    for (const s of f.online) online.push(s);
    for (const fam of f.families) families.add(fam);
    strong ??= f.strong;
    for (const x of f.refutations) refutations.push({ url: x.url, text: x.text });
    for (const x of f.discounted) discounted.push({ url: x.url, text: x.text });
  }
  const repeated = repeatedRequestId(responses);
  if (repeated !== null) refutations.push(repeated);
  return {
    families: [...families],
    strong,
    refutations,
    discounted,
    online,
    corroborated: refutations.length === 0 && (strong !== null || families.size >= 2),
  };
}

/** "the logon page and OWA's redirect" — for the evidence notes. */
export function familyText(families: readonly EvidenceFamily[]): string {
  return families.length === 0 ? 'no family of evidence' : families.map((f) => FAMILY_LABEL[f]).join(' and ');
}
