// Exchange build numbers: major.minor.build.revision, also printed zero-padded by Microsoft
// ("15.02.1748.039"). Components compare as integers, never as text: 1913.10 is newer than 1913.9.
import { rememberBounded } from './memo.js';
import type { ProductName } from './result-schema.js';

export interface ParsedBuild {
  /** The components as integers, 1 to 4 of them. */
  parts: number[];
  /** Normalised text: no zero padding ("15.2.1748.39"). */
  text: string;
  major: number;
  minor: number | null;
  /** The third component: identifies the CU on 2013 and later. */
  build: number | null;
  /** The fourth component: the SU/HU level on that CU. */
  revision: number | null;
}

// Bounded: at most 4 components of at most 6 digits, ASCII digits only. Anything else is junk.
const BUILD_RE = /^[0-9]{1,6}(?:\.[0-9]{1,6}){0,3}$/;

function parseParts(text: string, minParts: number): ParsedBuild | null {
  if (typeof text !== 'string' || text.length > 40) return null;
  const trimmed = text.trim();
  if (!BUILD_RE.test(trimmed)) return null;
  const parts = trimmed.split('.').map(Number);
  if (parts.length < minParts) return null;
  return {
    parts,
    text: parts.join('.'),
    major: parts[0] ?? 0,
    minor: parts[1] ?? null,
    build: parts[2] ?? null,
    revision: parts[3] ?? null,
  };
}

/** Parses a build of 2 to 4 components ("15.1", "15.1.2507", "15.02.1748.039"); null for anything else. */
export function parseBuild(text: string): ParsedBuild | null {
  return parseParts(text, 2);
}

/**
 * Like parseBuild but also accepts a bare major version ("8", "14"), which is what a product-level
 * fingerprint can give.
 */
export function parseVersionHint(text: string): ParsedBuild | null {
  return parseParts(text, 1);
}

/** "15.02.1748.039" → "15.2.1748.39"; null when the text is not a build number. */
export function normaliseBuild(text: string): string | null {
  return parseVersionHint(text)?.text ?? null;
}

/**
 * Component-wise integer comparison; a shorter number that is a prefix of a longer one sorts first
 * ("15.1.2507" < "15.1.2507.6"). Throws on text that is not a build number.
 */
export function compareBuilds(a: string, b: string): number {
  const x = comparedParts(a);
  const y = comparedParts(b);
  if (x === null || y === null)
    throw new TypeError(`not a build number: ${JSON.stringify(x === null ? a : b)}`);
  return compareParts(x, y);
}

// The components of each text compareBuilds was given. Classifying one build compares it with the
// fixing build of every CVE of its line, and sorting compares the same few hundred texts again and
// again: parsing them each time was the scan's costliest function of its own (39 ms of self time
// in a profiled 600-host scan). Bounded: the texts include what scanned servers said.
const COMPARED = new Map<string, readonly number[] | null>();
const COMPARED_MAX = 4096;

function comparedParts(text: string): readonly number[] | null {
  const known = COMPARED.get(text);
  if (known !== undefined) return known;
  const parts = parseVersionHint(text)?.parts ?? null;
  return rememberBounded(COMPARED, text, parts === null ? null : Object.freeze(parts), COMPARED_MAX);
}

export function compareParts(x: readonly number[], y: readonly number[]): number {
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** First build component of Exchange Server SE: 15.2 builds from 2562 on are SE, below are 2019. */
export const SE_FIRST_BUILD = 2562;

/**
 * The product a version belongs to: 8.x 2007, 14.x 2010, 15.0 2013, 15.1 2016, 15.2 2019 or SE.
 * "15.2" without a build component cannot tell 2019 from SE and yields 2019 (the classifier notes
 * the ambiguity); a bare "15" yields null, as does any version Exchange never used.
 */
export function productOfBuild(build: string): ProductName | null {
  const p = parseVersionHint(build);
  if (p === null) return null;
  if (p.major === 8 && (p.minor === null || p.minor <= 3)) return 'Exchange Server 2007';
  if (p.major === 14 && (p.minor === null || p.minor <= 3)) return 'Exchange Server 2010';
  if (p.major !== 15 || p.minor === null) return null;
  if (p.minor === 0) return 'Exchange Server 2013';
  if (p.minor === 1) return 'Exchange Server 2016';
  if (p.minor === 2)
    return p.build !== null && p.build >= SE_FIRST_BUILD ? 'Exchange Server SE' : 'Exchange Server 2019';
  return null;
}

/** "15.1.2507.6" → "15.1.2507": the CU a build belongs to (2013+), or the rollup (2007/2010). */
export function cuOf(build: string): string | null {
  const p = parseVersionHint(build);
  return p !== null && p.parts.length >= 3 ? p.parts.slice(0, 3).join('.') : null;
}
