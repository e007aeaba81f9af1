// Which numbers a server response may contribute as a build: the knowledge base's parser
// (src/core/build-number.ts) decides the syntax and the ordering; fingerprinting is stricter
// about what it accepts from hostile text — 3 or 4 parts (CU or update), Windows version fields
// (≤ 65535), and only the Exchange generations with on-premises OWA.
import { compareBuilds, parseBuild } from '../core/build-number.js';
import { ownCopy } from '../core/text.js';

/** Exchange majors that carry a build we can classify: 2007 (8), 2010 (14), 2013 and later (15). */
const KNOWN_MAJORS: ReadonlySet<number> = new Set([8, 14, 15]);
const MAX_COMPONENT = 65535;

/**
 * Normalise a 3- or 4-part Exchange build ("15.02.1748.039" → "15.2.1748.39"). Returns null for
 * anything else: other part counts, junk around the number, components over 65535, or a major
 * that is not an Exchange generation with on-premises OWA (8, 14, 15).
 */
export function normaliseBuildNumber(text: string): string | null {
  let known = normalised.get(text);
  if (known === undefined) {
    known = normalise(text);
    if (normalised.size >= MAX_NORMALISED) normalised.clear();
    // A copy as the key: a version text cut from a page would keep the page alive (core/text.ts).
    normalised.set(ownCopy(text), known);
  }
  return known;
}

// A scan meets the same few version texts on thousands of endpoints (a page repeats its asset path
// a dozen times): each text is parsed once. A pure function of the text, so the memo changes no
// answer; it is bounded (cleared when full) against hostile servers inventing numbers.
const normalised = new Map<string, string | null>();
const MAX_NORMALISED = 512;

/** Entries in the table of normalised texts (test/fingerprint-memo shows it stays bounded). */
export function normalisedMemoSize(): number {
  return normalised.size;
}

function normalise(text: string): string | null {
  const parsed = parseBuild(text);
  if (parsed === null || parsed.parts.length < 3) return null;
  if (parsed.parts.some((p) => p > MAX_COMPONENT)) return null;
  if (!KNOWN_MAJORS.has(parsed.major) || parsed.minor === null || parsed.minor > 9) return null;
  return parsed.text;
}

/** Component-wise integer comparison of builds ("15.1.2507" < "15.1.2507.6"); throws on junk. */
export const compareBuildNumbers = compareBuilds;

/**
 * compareBuildNumbers for normalised builds (digits and single dots, as normaliseBuildNumber
 * returns them), read in place: same sign, nothing allocated. A shorter number that is a prefix of
 * a longer one sorts first.
 */
export function compareNormalisedBuilds(a: string, b: string): number {
  let i = 0;
  let j = 0;
  for (;;) {
    if (i >= a.length || j >= b.length) return i >= a.length ? (j >= b.length ? 0 : -1) : 1;
    let x = 0;
    for (; i < a.length && a.charCodeAt(i) !== DOT; i++) x = x * 10 + a.charCodeAt(i) - ZERO;
    let y = 0;
    for (; j < b.length && b.charCodeAt(j) !== DOT; j++) y = y * 10 + b.charCodeAt(j) - ZERO;
    if (x !== y) return x - y;
    i++;
    j++;
  }
}

const DOT = 46;
const ZERO = 48;

export function partCount(build: string): number {
  let parts = 1;
  for (let at = build.indexOf('.'); at !== -1; at = build.indexOf('.', at + 1)) parts++;
  return parts;
}

/** major.minor.build of a normalised build — what identifies the CU (or SP/RU line for 2007/2010). */
export function cuOf(build: string): string {
  const second = build.indexOf('.', build.indexOf('.') + 1);
  const third = second === -1 ? -1 : build.indexOf('.', second + 1);
  return third === -1 ? build : build.slice(0, third);
}

export type Generation = '8' | '14' | '15';

/** Exchange generation of a normalised build: 8 = 2007, 14 = 2010, 15 = 2013 and later. */
export function generationOf(build: string): Generation | null {
  const dot = build.indexOf('.');
  const major = dot === -1 ? build : build.slice(0, dot);
  return major === '8' || major === '14' || major === '15' ? major : null;
}
