// Versioned static-asset paths in OWA pages.
//   2013+:      /owa/auth/15.1.2507/themes/resources/favicon.ico   → 3 parts, the CU
//   2007/2010:  /owa/8.3.485.1/themes/base/logon.css,
//               /owa/14.3.513.0/themes/resources/logon.css (also under auth/) → 4 parts
// Each regex is anchored on a literal, has bounded repetition only, and requires the closing
// slash, so a 4-part path never reads as a 3-part one and the scan is linear in the body.
// A path in an absolute link to another host is that host's, never this server's: phishing kits
// hot-link the real server's assets. Such paths are kept apart (`foreign`) and never give a build.
import type { ProbeResponse } from '../../core/probe-types.js';
import { generationOf, normaliseBuildNumber } from '../build-number.js';
import { scanWindow } from '../../core/text.js';
import type { Signal } from '../types.js';
import { signalFrom } from './common.js';

// The optional `(?:https?:)?//host[:port]` in front is what an absolute link adds.
const LINK_HOST = '(?:(?:https?:)?\\/\\/([a-z0-9.-]{1,253})(?::\\d{1,5})?)?';
const THREE_PART_PATH = new RegExp(
  `${LINK_HOST}\\/owa\\/(?:auth\\/)?(\\d{1,2}\\.\\d{1,2}\\.\\d{1,5})\\/`,
  'gi',
);
const FOUR_PART_PATH = new RegExp(
  `${LINK_HOST}\\/owa\\/(?:auth\\/)?(\\d{1,2}\\.\\d{1,2}\\.\\d{1,5}\\.\\d{1,5})\\/`,
  'gi',
);
/** A logon page repeats its path a handful of times; more distinct values than this is junk. */
const MAX_DISTINCT = 4;

interface FoundPath {
  build: string;
  /** The other host an absolute link points at; null for this server's own paths. */
  foreign: string | null;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return '';
  }
}

function distinctBuilds(response: ProbeResponse, pattern: RegExp): FoundPath[] {
  const own = hostOf(response.url);
  const seen = new Map<string, FoundPath>();
  for (const match of scanWindow(response.body).matchAll(pattern)) {
    const build = normaliseBuildNumber(match[2] ?? '');
    if (build === null) continue;
    const linked = match[1]?.toLowerCase().replace(/\.$/, '');
    const foreign = linked === undefined || linked === own ? null : linked;
    const key = `${build}\u0000${foreign ?? ''}`;
    if (!seen.has(key)) seen.set(key, { build, foreign });
    if (seen.size >= MAX_DISTINCT) break;
  }
  return [...seen.values()];
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
  return distinctBuilds(response, THREE_PART_PATH)
    .filter((f) => generationOf(f.build) === '15')
    .map((f) => pathSignal(response, 'owa-asset-path', f, '15'));
}

/** 2007/2010 asset paths: 4 parts with major 8 or 14, with or without `auth/`. */
export function extractLegacyAssetPath(response: ProbeResponse): Signal[] {
  return distinctBuilds(response, FOUR_PART_PATH).flatMap((f) => {
    const generation = generationOf(f.build);
    if (generation !== '8' && generation !== '14') return [];
    return [pathSignal(response, 'owa-legacy-asset-path', f, generation)];
  });
}
