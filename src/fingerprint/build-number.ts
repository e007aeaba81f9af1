// Which numbers a server response may contribute as a build: the knowledge base's parser
// (src/core/build-number.ts) decides the syntax and the ordering; fingerprinting is stricter
// about what it accepts from hostile text — 3 or 4 parts (CU or update), Windows version fields
// (≤ 65535), and only the Exchange generations with on-premises OWA.
import { compareBuilds, parseBuild } from '../core/build-number.js';

/** Exchange majors that carry a build we can classify: 2007 (8), 2010 (14), 2013 and later (15). */
const KNOWN_MAJORS: ReadonlySet<number> = new Set([8, 14, 15]);
const MAX_COMPONENT = 65535;

/**
 * Normalise a 3- or 4-part Exchange build ("15.02.1748.039" → "15.2.1748.39"). Returns null for
 * anything else: other part counts, junk around the number, components over 65535, or a major
 * that is not an Exchange generation with on-premises OWA (8, 14, 15).
 */
export function normaliseBuildNumber(text: string): string | null {
  const parsed = parseBuild(text);
  if (parsed === null || parsed.parts.length < 3) return null;
  if (parsed.parts.some((p) => p > MAX_COMPONENT)) return null;
  if (!KNOWN_MAJORS.has(parsed.major) || parsed.minor === null || parsed.minor > 9) return null;
  return parsed.text;
}

/** Component-wise integer comparison of normalised builds. */
export const compareBuildNumbers = compareBuilds;

export function partCount(build: string): number {
  return build.split('.').length;
}

/** major.minor.build of a normalised build — what identifies the CU (or SP/RU line for 2007/2010). */
export function cuOf(build: string): string {
  return build.split('.').slice(0, 3).join('.');
}

export type Generation = '8' | '14' | '15';

/** Exchange generation of a normalised build: 8 = 2007, 14 = 2010, 15 = 2013 and later. */
export function generationOf(build: string): Generation | null {
  const major = build.split('.')[0];
  return major === '8' || major === '14' || major === '15' ? major : null;
}
