// The probe plan, as a pure function of what happened so far. The runner (src/probe/run.ts) asks
// `nextStep`, performs the GET, appends the outcome to the history and asks again.
//
// Standard plan (README "Use it responsibly": five plain GETs at most), at most `maxRequests` (5) requests, stopping as soon
// as an installed 4-part build is known or the host is Exchange Online:
//   1. GET /owa/                     → the logon redirect, X-FEServer; 2007/2010 asset paths, X-OWA-Version
//   2. GET /owa/auth/logon.aspx      → markers, 3-part asset path (skipped when step 1's redirect got there)
//      — also to cross-check a lone X-OWA-Version against the page's CU folder (a forged header
//      is caught only against the page), when /owa/ itself did not lead there (SSO, portal)
//   3. GET /autodiscover/autodiscover.xml → 401 with X-OWA-Version since July 2021
//      (EWS, then ActiveSync, instead when Autodiscover is not published — never at the cost of step 4;
//      when nothing looked like Exchange yet, both: /owa/ may sit behind SSO or a portal while a
//      service path still answers)
//   4. GET /ecp/Current/exporttool/…application → 4-part manifest version (2013 and later only)
// Redirects are walked here, one request per hop: same origin, or another origin (the session
// refuses it when out of scope and the runner records the refusal). A URL seen twice in one chain,
// or more than MAX_HOPS hops, ends probing with `redirect-loop`. When /owa/ lands on another origin
// of the same host (http → https), the later steps use that origin.
// Early stop: when neither /owa/ nor Autodiscover, EWS or ActiveSync shows anything of Exchange
// (4 requests), or as soon as something refutes Exchange (an imitation: nothing more to learn).
// Thorough mode (opt-in): when only the CU is known, GET /ecp/<build>/exporttool/…application for
// each published build of that CU, newest first, until one answers 200 — at most
// `maxRequests + candidates` requests in all.
import type { ProbeResponse } from '../core/probe-types.js';
import type { ResultError } from '../core/result-schema.js';
import {
  compareNormalisedBuilds,
  cuOf,
  generationOf,
  normaliseBuildNumber,
  partCount,
} from './build-number.js';
import { AUTHORITATIVE_SOURCES, fingerprint } from './combine.js';
import { extractSignals, looksLikeExchange, redirectOf } from './extract/index.js';
import { lowerPath, parsedUrl, parseUrl } from './extract/common.js';
import type { Fingerprint } from './types.js';

export type ProbeMode = 'standard' | 'thorough';
export type StepPurpose =
  'owa' | 'logon' | 'autodiscover' | 'ews' | 'activesync' | 'exporttool' | 'redirect' | 'ecp-version-dir';

export interface GetStep {
  kind: 'get';
  /** A path on the endpoint's origin, or an absolute URL (redirect hops, another origin of the host). */
  target: string;
  purpose: StepPurpose;
  /** For redirect hops: the URL that redirected. */
  from: string | null;
}
/** Probing must end with this error (a redirect loop). */
export interface FailStep {
  kind: 'fail';
  error: ResultError;
}
export type PlanStep = GetStep | FailStep;

export type PlanEntry =
  | { step: GetStep; kind: 'response'; response: ProbeResponse }
  | { step: GetStep; kind: 'refused'; reason: string }
  | { step: GetStep; kind: 'failed'; error: ResultError };

export interface PlanState {
  mode: ProbeMode;
  /** Request budget of the standard plan (5). Thorough mode adds one per candidate build. */
  maxRequests: number;
  history: readonly PlanEntry[];
  /** Thorough mode: published 4-part builds of a CU ("15.1.2507"), from the knowledge base. */
  candidatesForCu?: ((build3: string) => readonly string[]) | undefined;
  /**
   * The fingerprint of the history's responses, when the caller keeps it (the probe loop computes
   * it once per response and hands the last one to the record); computed here when absent.
   */
  fingerprint?: Fingerprint | undefined;
}

export const PLAN_PATHS = {
  owa: '/owa/',
  logon: '/owa/auth/logon.aspx',
  autodiscover: '/autodiscover/autodiscover.xml',
  ews: '/EWS/Exchange.asmx',
  activesync: '/Microsoft-Server-ActiveSync',
  exporttool: '/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application',
} as const;

export function ecpVersionDirPath(build: string): string {
  return `/ecp/${build}/exporttool/microsoft.exchange.ediscovery.exporttool.application`;
}

/** Hops allowed in one redirect chain before it counts as a loop. */
export const MAX_REDIRECT_HOPS = 4;

const get = (purpose: StepPurpose, target: string, from: string | null = null): GetStep => ({
  kind: 'get',
  target,
  purpose,
  from,
});

/** Requests that reached the session (a refused redirect sent nothing). */
export function requestsSent(history: readonly PlanEntry[]): number {
  let sent = 0;
  for (const e of history) if (e.kind !== 'refused') sent++;
  return sent;
}

function absolute(target: string, origin: string | null): string | null {
  try {
    return origin === null ? new URL(target).href : new URL(target, origin).href;
  } catch {
    return null;
  }
}

function urlOf(entry: PlanEntry, origin: string | null): string | null {
  return entry.kind === 'response'
    ? (parsedUrl(entry.response)?.href ?? null)
    : absolute(entry.step.target, origin);
}

/** Entries of the redirect chain that ends the history: its start and every hop after it. */
function trailingChain(history: readonly PlanEntry[]): PlanEntry[] {
  let start = history.length - 1;
  while (start > 0 && history[start]?.step.purpose === 'redirect') start--;
  return history.slice(start);
}

/** The chain started by the first step with this purpose: that entry and the redirect hops after it. */
function chainOf(history: readonly PlanEntry[], purpose: StepPurpose): PlanEntry[] {
  const start = history.findIndex((e) => e.step.purpose === purpose);
  if (start < 0) return [];
  let end = start + 1;
  while (end < history.length && history[end]?.step.purpose === 'redirect') end++;
  return history.slice(start, end);
}

function finalResponse(chain: readonly PlanEntry[]): ProbeResponse | null {
  const last = chain.at(-1);
  return last?.kind === 'response' ? last.response : null;
}

// The plan asks for the endpoint's host name at every step of the endpoint's probe: the last one
// read is kept at hand.
let lastOrigin: string | null = null;
let lastHostname: string | null = null;

function hostnameOf(origin: string): string | null {
  if (origin !== lastOrigin) {
    lastHostname = parseUrl(origin)?.hostname ?? null;
    lastOrigin = origin;
  }
  return lastHostname;
}

/** A path on the endpoint's origin stays a path; anything else is absolute. */
function targetFor(url: Readonly<URL>, endpointOrigin: string | null): string {
  return url.origin === endpointOrigin ? `${url.pathname}${url.search}` : url.href;
}

/** A page CU folder was seen (to check a version header against), or asking for one was tried. */
function crossChecked(history: readonly PlanEntry[], responses: readonly ProbeResponse[]): boolean {
  if (history.some((e) => e.step.purpose === 'logon')) return true;
  return responses.some((r) =>
    extractSignals(r).some(
      (s) => (s.signal === 'owa-asset-path' || s.signal === 'owa-legacy-asset-path') && s.build !== null,
    ),
  );
}

function isDone(
  fp: Fingerprint,
  history: readonly PlanEntry[],
  responses: readonly ProbeResponse[],
): boolean {
  if (fp.status === 'exchange-online' || fp.refuted) return true;
  return (
    fp.status === 'exchange' &&
    fp.build !== null &&
    partCount(fp.build) === 4 &&
    fp.buildSource !== null &&
    AUTHORITATIVE_SOURCES.has(fp.buildSource) &&
    crossChecked(history, responses)
  );
}

/** An X-OWA-Version number with no page CU folder to compare it with (yet). */
function loneHeader(responses: readonly ProbeResponse[], history: readonly PlanEntry[]): boolean {
  const header = responses.some((r) =>
    extractSignals(r).some((s) => s.signal === 'x-owa-version' && s.build !== null),
  );
  return header && !crossChecked(history, responses);
}

export function nextStep(state: PlanState): PlanStep | null {
  const { history } = state;
  if (history.length === 0) return get('owa', PLAN_PATHS.owa);
  if (history.some((e) => e.kind === 'failed')) return null;

  const responses: ProbeResponse[] = [];
  for (const e of history) if (e.kind === 'response') responses.push(e.response);
  const first = responses[0];
  const endpointOrigin = first === undefined ? null : (parsedUrl(first)?.origin ?? null);
  const fp = state.fingerprint ?? fingerprint(responses);
  if (isDone(fp, history, responses)) return null;
  const sent = requestsSent(history);

  const redirect = followRedirect(history, endpointOrigin, sent < state.maxRequests);
  if (redirect !== null) return redirect;

  const standard =
    sent < state.maxRequests ? standardStep(history, responses, fp, endpointOrigin, state) : null;
  if (standard !== null) return standard;
  return state.mode === 'thorough' ? thoroughStep(history, fp, endpointOrigin, state) : null;
}

function followRedirect(
  history: readonly PlanEntry[],
  endpointOrigin: string | null,
  canSend: boolean,
): PlanStep | null {
  const last = history.at(-1);
  if (last?.kind !== 'response') return null;
  const target = redirectOf(last.response);
  if (target === null) return null;
  // Out of budget: the redirect is simply not followed (no loop can be proven without following).
  if (!canSend) return null;
  const chain = trailingChain(history).map((e) => urlOf(e, endpointOrigin));
  if (chain.includes(target.href)) {
    return {
      kind: 'fail',
      error: {
        code: 'redirect-loop',
        message: `redirect loop: ${last.response.url} leads back to ${target.href}`,
      },
    };
  }
  if (chain.length - 1 >= MAX_REDIRECT_HOPS) {
    return {
      kind: 'fail',
      error: {
        code: 'redirect-loop',
        message: `more than ${MAX_REDIRECT_HOPS} redirects from ${chain[0] ?? ''}`,
      },
    };
  }
  // A redirect to something already fetched outside this chain adds nothing.
  if (history.some((e) => urlOf(e, endpointOrigin) === target.href)) return null;
  return get('redirect', targetFor(target, endpointOrigin), last.response.url);
}

function standardStep(
  history: readonly PlanEntry[],
  responses: readonly ProbeResponse[],
  fp: Fingerprint,
  endpointOrigin: string | null,
  state: PlanState,
): GetStep | null {
  const attempted = (p: StepPurpose): boolean => history.some((e) => e.step.purpose === p);
  const owaChain = chainOf(history, 'owa');
  const owaFinal = finalResponse(owaChain);
  const base = sameHostOrigin(owaFinal, endpointOrigin);
  const at = (path: string): string => (base === endpointOrigin ? path : `${base ?? ''}${path}`);

  const owaLooksExchange = owaChain.some((e) => e.kind === 'response' && looksLikeExchange(e.response));
  const haveLogonPage = responses.some(
    (r) => parsedUrl(r) !== null && lowerPath(r) === PLAN_PATHS.logon && redirectOf(r) === null,
  );
  if (!attempted('logon') && !haveLogonPage && (owaLooksExchange || loneHeader(responses, history)))
    return get('logon', at(PLAN_PATHS.logon));
  if (!attempted('autodiscover')) return get('autodiscover', at(PLAN_PATHS.autodiscover));

  const gaveNothing = (p: StepPurpose): boolean => finalResponse(chainOf(history, p))?.status !== 401;
  const exchangeLike = responses.some(looksLikeExchange);
  if (!exchangeLike) {
    // Last chances before calling it: Autodiscover may simply not be published, and /owa/ may sit
    // behind SSO or a portal while EWS or ActiveSync still answer.
    if (!attempted('ews') && gaveNothing('autodiscover')) return get('ews', at(PLAN_PATHS.ews));
    if (!attempted('activesync') && gaveNothing('ews')) return get('activesync', at(PLAN_PATHS.activesync));
    return null;
  }

  const generation = fp.build === null ? fp.productHint : generationOf(fp.build);
  const legacy = generation === '8' || generation === '14';
  const wantManifest = !attempted('exporttool') && !legacy && fp.status !== 'exchange-online';
  const left = state.maxRequests - requestsSent(history) - (wantManifest ? 1 : 0);
  if (gaveNothing('autodiscover') && left > 0) {
    if (!attempted('ews')) return get('ews', at(PLAN_PATHS.ews));
    if (gaveNothing('ews') && !attempted('activesync')) return get('activesync', at(PLAN_PATHS.activesync));
  }
  return wantManifest ? get('exporttool', at(PLAN_PATHS.exporttool)) : null;
}

/** The origin later steps go to: where /owa/ ended up, if that is the same host; else the endpoint's. */
function sameHostOrigin(owaFinal: ProbeResponse | null, endpointOrigin: string | null): string | null {
  if (owaFinal === null || endpointOrigin === null || redirectOf(owaFinal) !== null) return endpointOrigin;
  const landed = parsedUrl(owaFinal);
  const endpointHost = hostnameOf(endpointOrigin);
  if (landed === null || endpointHost === null) return endpointOrigin;
  return landed.hostname === endpointHost ? landed.origin : endpointOrigin;
}

function thoroughStep(
  history: readonly PlanEntry[],
  fp: Fingerprint,
  endpointOrigin: string | null,
  state: PlanState,
): GetStep | null {
  if (fp.status !== 'exchange' || fp.build === null || state.candidatesForCu === undefined) return null;
  const dirEntries = history.filter((e) => e.step.purpose === 'ecp-version-dir');
  if (dirEntries.some((e) => e.kind === 'response' && e.response.status === 200)) return null;
  const cu = cuOf(fp.build);
  const candidates = [
    ...new Set(
      state
        .candidatesForCu(cu)
        .map((c) => normaliseBuildNumber(c))
        .filter((c): c is string => c !== null && partCount(c) === 4 && cuOf(c) === cu),
    ),
  ].sort((a, b) => compareNormalisedBuilds(b, a));
  if (requestsSent(history) >= state.maxRequests + candidates.length) return null;
  const tried = new Set(dirEntries.map((e) => e.step.target));
  const base = sameHostOrigin(finalResponse(chainOf(history, 'owa')), endpointOrigin);
  for (const build of candidates) {
    const path = ecpVersionDirPath(build);
    const target = base === endpointOrigin ? path : `${base ?? ''}${path}`;
    if (!tried.has(target)) return get('ecp-version-dir', target);
  }
  return null;
}
