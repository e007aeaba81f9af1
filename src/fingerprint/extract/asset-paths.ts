// Versioned static-asset paths in OWA pages.
//   2013+:      /owa/auth/15.1.2507/themes/resources/favicon.ico   → 3 parts, the CU
//   2007/2010:  /owa/8.3.485.1/themes/base/logon.css,
//               /owa/14.3.513.0/themes/resources/logon.css (also under auth/) → 4 parts
// Each regex is anchored on a literal, has bounded repetition only, and requires the closing
// slash, so a 4-part path never reads as a 3-part one and the scan is linear in the body.
import type { ProbeResponse } from '../../probe/types.js';
import { generationOf, normaliseBuildNumber } from '../build-number.js';
import { scanWindow } from '../text.js';
import type { Signal } from '../types.js';
import { signalFrom } from './common.js';

const THREE_PART_PATH = /\/owa\/(?:auth\/)?(\d{1,2}\.\d{1,2}\.\d{1,5})\//gi;
const FOUR_PART_PATH = /\/owa\/(?:auth\/)?(\d{1,2}\.\d{1,2}\.\d{1,5}\.\d{1,5})\//gi;
/** A logon page repeats its path a handful of times; more distinct values than this is junk. */
const MAX_DISTINCT = 4;

function distinctBuilds(body: string, pattern: RegExp): string[] {
  const seen = new Set<string>();
  for (const match of scanWindow(body).matchAll(pattern)) {
    const build = normaliseBuildNumber(match[1] ?? '');
    if (build !== null) seen.add(build);
    if (seen.size >= MAX_DISTINCT) break;
  }
  return [...seen];
}

/** 2013+ asset paths: 3 parts with major 15 (the CU; the security update is not in the path). */
export function extractModernAssetPath(response: ProbeResponse): Signal[] {
  return distinctBuilds(response.body, THREE_PART_PATH)
    .filter((build) => generationOf(build) === '15')
    .map((build) =>
      signalFrom(response, {
        signal: 'owa-asset-path',
        value: build,
        build,
        generations: ['15'],
        proves: true,
      }),
    );
}

/** 2007/2010 asset paths: 4 parts with major 8 or 14, with or without `auth/`. */
export function extractLegacyAssetPath(response: ProbeResponse): Signal[] {
  return distinctBuilds(response.body, FOUR_PART_PATH).flatMap((build) => {
    const generation = generationOf(build);
    if (generation !== '8' && generation !== '14') return [];
    return [
      signalFrom(response, {
        signal: 'owa-legacy-asset-path',
        value: build,
        build,
        generations: [generation],
        proves: true,
      }),
    ];
  });
}
