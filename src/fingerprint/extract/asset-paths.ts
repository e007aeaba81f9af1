// Versioned static-asset paths in OWA pages.
//   2013+:      /owa/auth/15.1.2507/themes/resources/favicon.ico   → 3 parts, the CU
//   2007/2010:  /owa/8.3.485.1/themes/base/logon.css,
//               /owa/14.3.513.0/themes/resources/logon.css (also under auth/) → 4 parts
// Both require the closing slash, so a 4-part path never reads as a 3-part one; the scan is linear
// in the body.
// A path in an absolute link to another host is that host's, never this server's: phishing kits
// hot-link the real server's assets. Such paths are kept apart (`foreign`) and never give a build.
import type { ProbeResponse } from '../../core/probe-types.js';
import { generationOf, normaliseBuildNumber } from '../build-number.js';
import { scanWindow } from '../../core/text.js';
import type { Signal } from '../types.js';
import { parsedUrl, signalFrom } from './common.js';
import { wordAt } from './tags.js';

// Found by the literal `/owa/` (V8 skips from one occurrence to the next; a pattern that starts
// with the optional link host is tried at every character of a 60 kB page), in one pass for both
// part counts. What follows and what precedes an occurrence is read by hand, and yields exactly what
// these two patterns, each run on its own over the body, would match (test/fingerprint-asset-paths
// compares them on every fixture body and on generated ones):
//   (?:(?:https?:)?\/\/([a-z0-9.-]{1,253})(?::\d{1,5})?)?\/owa\/(?:auth\/)?(\d{1,2}\.\d{1,2}\.\d{1,5})\/   /gi
//   (?:(?:https?:)?\/\/([a-z0-9.-]{1,253})(?::\d{1,5})?)?\/owa\/(?:auth\/)?(\d{1,2}\.\d{1,2}\.\d{1,5}\.\d{1,5})\/   /gi
// The optional `(?:https?:)?//host[:port]` in front is what an absolute link adds. Each pattern
// resumes after its previous match, so an occurrence (or a link's `//`) inside it is not seen again.
const MAX_HOST_CHARS = 253;
const MAX_PORT_DIGITS = 5;
/** A logon page repeats its path a handful of times; more distinct values than this is junk. */
const MAX_DISTINCT = 4;

interface FoundPath {
  build: string;
  /** The other host an absolute link points at; null for this server's own paths. */
  foreign: string | null;
}

function hostOf(response: ProbeResponse): string {
  return (
    parsedUrl(response)
      ?.hostname.toLowerCase()
      .replace(/^\[|\]$/g, '') ?? ''
  );
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHostChar = (c: number): boolean =>
  isDigit(c) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 46 || c === 45;

/** Length of the run of digits at `at` (at most `max + 1` counted). */
function digitsAt(body: string, at: number, max: number): number {
  let n = 0;
  while (n <= max && isDigit(body.charCodeAt(at + n))) n++;
  return n;
}

/** One `digits.` component of at most `max` digits at `at`: where the next one starts, or -1. */
function componentAt(body: string, at: number, max: number): number {
  const n = digitsAt(body, at, max);
  return n < 1 || n > max || body.charCodeAt(at + n) !== 46 ? -1 : at + n + 1;
}

/** The version after `/owa/` at `from`, and where its closing slash ends; null when there is none. */
function versionAt(body: string, from: number): { text: string; parts: 3 | 4; end: number } | null {
  const v = wordAt(body, from, 'auth/') ? from + 5 : from;
  const second = componentAt(body, v, 2);
  const at = second === -1 ? -1 : componentAt(body, second, 2);
  if (at === -1) return null;
  const third = digitsAt(body, at, MAX_PORT_DIGITS);
  if (third < 1 || third > 5) return null;
  const end = at + third;
  if (body.charCodeAt(end) === 47) return { text: body.slice(v, end), parts: 3, end: end + 1 };
  if (body.charCodeAt(end) !== 46) return null;
  const fourth = digitsAt(body, end + 1, 5);
  if (fourth < 1 || fourth > 5 || body.charCodeAt(end + 1 + fourth) !== 47) return null;
  return { text: body.slice(v, end + 1 + fourth), parts: 4, end: end + 2 + fourth };
}

/**
 * The host of an absolute link (`//host[:port]`) ending where `/owa/` starts at `at`, as the
 * patterns' optional prefix reads it; null when there is none or its `//` lies before `floor`
 * (inside the pattern's previous match).
 */
function linkHostBefore(body: string, at: number, floor: number): string | null {
  let hostEnd = at;
  let port = 0;
  while (port <= MAX_PORT_DIGITS && isDigit(body.charCodeAt(at - port - 1))) port++;
  if (port >= 1 && port <= MAX_PORT_DIGITS && body.charCodeAt(at - port - 1) === 58) hostEnd = at - port - 1;
  let start = hostEnd;
  while (hostEnd - start <= MAX_HOST_CHARS && start > 0 && isHostChar(body.charCodeAt(start - 1))) start--;
  const length = hostEnd - start;
  if (length < 1 || length > MAX_HOST_CHARS || start - 2 < floor) return null;
  if (body.charCodeAt(start - 1) !== 47 || body.charCodeAt(start - 2) !== 47) return null;
  return body.slice(start, hostEnd);
}

const OWA = /\/owa\//gi;

/**
 * Where the next `/owa/` (any case) starts at or after `from`; -1 when there is none. test(), not
 * exec(): no match array per occurrence.
 */
function nextOwa(body: string, from: number): number {
  OWA.lastIndex = from;
  return OWA.test(body) ? OWA.lastIndex - 5 : -1;
}

/** This response's asset paths, 3-part and 4-part, each at most MAX_DISTINCT (build, host) pairs. */
function distinctBuilds(response: ProbeResponse): { 3: FoundPath[]; 4: FoundPath[] } {
  const body = scanWindow(response.body);
  const found = { 3: new Map<string, FoundPath>(), 4: new Map<string, FoundPath>() };
  const resumeAt = { 3: 0, 4: 0 };
  let own: string | null = null;
  // Occurrences may overlap ("/owa/owa/15.1.2/"): each search resumes one character on.
  for (let at = nextOwa(body, 0); at !== -1; at = nextOwa(body, at + 1)) {
    const version = versionAt(body, at + 5);
    if (version === null) continue;
    const { parts } = version;
    const seen = found[parts];
    if (at < resumeAt[parts] || seen.size >= MAX_DISTINCT) continue;
    const linked = linkHostBefore(body, at, resumeAt[parts])?.toLowerCase().replace(/\.$/, '');
    resumeAt[parts] = version.end;
    const build = normaliseBuildNumber(version.text);
    if (build === null) continue;
    if (linked !== undefined) own ??= hostOf(response);
    const foreign = linked === undefined || linked === own ? null : linked;
    const key = `${build}\u0000${foreign ?? ''}`;
    if (!seen.has(key)) seen.set(key, { build, foreign });
    if (found[3].size >= MAX_DISTINCT && found[4].size >= MAX_DISTINCT) break;
  }
  return { 3: [...found[3].values()], 4: [...found[4].values()] };
}

function pathSignal(
  response: ProbeResponse,
  signal: 'owa-asset-path' | 'owa-legacy-asset-path',
  found: FoundPath,
  generation: '8' | '14' | '15',
): Signal {
  return signalFrom(response, {
    signal,
    value: found.foreign === null ? found.build : `${found.build} (linked from ${found.foreign})`,
    build: found.foreign === null ? found.build : null,
    generations: [generation],
    hint: true,
    ...(found.foreign === null ? {} : { foreign: found.foreign }),
  });
}

/** 2013+ asset paths: 3 parts with major 15 (the CU; the security update is not in the path). */
export function extractModernAssetPath(response: ProbeResponse): Signal[] {
  return modernPaths(distinctBuilds(response)[3], response);
}

function modernPaths(found: readonly FoundPath[], response: ProbeResponse): Signal[] {
  return found
    .filter((f) => generationOf(f.build) === '15')
    .map((f) => pathSignal(response, 'owa-asset-path', f, '15'));
}

/** 2007/2010 asset paths: 4 parts with major 8 or 14, with or without `auth/`. */
export function extractLegacyAssetPath(response: ProbeResponse): Signal[] {
  return legacyPaths(distinctBuilds(response)[4], response);
}

function legacyPaths(found: readonly FoundPath[], response: ProbeResponse): Signal[] {
  return found.flatMap((f) => {
    const generation = generationOf(f.build);
    if (generation !== '8' && generation !== '14') return [];
    return [pathSignal(response, 'owa-legacy-asset-path', f, generation)];
  });
}

/** Both kinds in one pass over the body: the 2013+ paths, then the 2007/2010 ones. */
export function extractAssetPaths(response: ProbeResponse): Signal[] {
  const found = distinctBuilds(response);
  return [...modernPaths(found[3], response), ...legacyPaths(found[4], response)];
}
