// Build numbers as Exchange prints them: 3 parts (the CU) or 4 parts (CU + update), in the short
// form (15.2.1748.39) or Microsoft's zero-padded long form (15.02.1748.039). Components are
// Windows version fields (16-bit), compared as integers, never as strings or decimals.

/** Exchange majors that carry a build we can classify: 2007 (8), 2010 (14), 2013 and later (15). */
const KNOWN_MAJORS: ReadonlySet<number> = new Set([8, 14, 15]);
const MAX_COMPONENT = 65535;
const BUILD_SHAPE = /^\d{1,5}\.\d{1,5}\.\d{1,5}(?:\.\d{1,5})?$/;

/**
 * Normalise a 3- or 4-part Exchange build ("15.02.1748.039" → "15.2.1748.39"). Returns null for
 * anything else: other part counts, junk around the number, components over 65535, or a major
 * that is not an Exchange generation with on-premises OWA (8, 14, 15).
 */
export function normaliseBuildNumber(text: string): string | null {
  const trimmed = text.trim();
  if (!BUILD_SHAPE.test(trimmed)) return null;
  const parts = trimmed.split('.').map((p) => Number.parseInt(p, 10));
  if (parts.some((p) => p > MAX_COMPONENT)) return null;
  const [major, minor] = parts;
  if (major === undefined || !KNOWN_MAJORS.has(major)) return null;
  if (minor === undefined || minor > 9) return null;
  return parts.join('.');
}

export function partCount(build: string): number {
  return build.split('.').length;
}

/** major.minor.build — what identifies the CU (or SP/RU line for 2007/2010). */
export function cuOf(build: string): string {
  return build.split('.').slice(0, 3).join('.');
}

/** Component-wise integer comparison; a missing component counts as lower than any present one. */
export function compareBuildNumbers(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x !== y) return x - y;
  }
  return 0;
}

export type Generation = '8' | '14' | '15';

/** Exchange generation of a normalised build: 8 = 2007, 14 = 2010, 15 = 2013 and later. */
export function generationOf(build: string): Generation | null {
  const major = build.split('.')[0];
  return major === '8' || major === '14' || major === '15' ? major : null;
}
