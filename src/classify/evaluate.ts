// Per-candidate judgement: does a CVE apply to one candidate build, and what patch level does that
// candidate have? Pure functions over the knowledge base; classify() aggregates them.
import type { PatchLevel, ProductName } from '../core/result-schema.js';
import { compareBuilds } from '../core/build-number.js';
import type { BuildEntry, CveEntry } from './data-schema.js';
import { lineKey, type KnowledgeBase } from './knowledge-base.js';

/**
 * What the host might be running:
 * - published: a build from the data;
 * - older: older than anything in the data for its product (2007, 2010 before SP3, …);
 * - newer-revision: a higher revision than any published build of a CU that is still serviced;
 * - newer-line: a CU newer than any CU of its product in the data.
 */
export type CandidateOrigin = 'published' | 'older' | 'newer-revision' | 'newer-line';

export interface Candidate {
  build: string;
  product: ProductName;
  /** CU line ("CU23", "SP3"); null when the data cannot place the build on a line. */
  line: string | null;
  entry: BuildEntry | null;
  origin: CandidateOrigin;
}

export type CveState = 'applies' | 'maybe' | 'fixed' | 'not-affected';

/**
 * Why a CVE applies or may apply: below the first fixing build; a line that never got a fix; a
 * setting that no build number shows; below the first build on which that setting can close it; a non-cumulative update (March 2021 for older CUs) that does not show
 * the earlier fixing update; a build between the fix and the stricter fix one source requires; a
 * CU newer than the data; a line older than the data.
 */
export type CveReason =
  | 'below-fix'
  | 'never-fixed'
  | 'config'
  | 'config-below'
  | 'partial-update'
  | 'strict-fix'
  | 'newer-line'
  | 'older-line';

export interface CveEvaluation {
  state: CveState;
  fixedIn: string | null;
  reason: CveReason | null;
}

const NOT_AFFECTED: CveEvaluation = { state: 'not-affected', fixedIn: null, reason: null };

export function fromEntry(entry: BuildEntry): Candidate {
  return { build: entry.build, product: entry.product, line: entry.line, entry, origin: 'published' };
}

/** The rule in cves.json: on line L, build B is fixed iff L has a rule and B >= its first fixing build. */
export function evaluateCve(kb: KnowledgeBase, cve: CveEntry, c: Candidate): CveEvaluation {
  if (!cve.affects.includes(c.product)) return NOT_AFFECTED;
  if (c.origin === 'newer-line') {
    // A later CU is cumulative: it carries every fix its product's newest CU has. What the newest
    // build still lacks may or may not be fixed in it.
    const newest = kb.index.byProduct.get(c.product)?.at(-1);
    if (newest === undefined) return { state: 'maybe', fixedIn: null, reason: 'newer-line' };
    const e = evaluateCve(kb, cve, fromEntry(newest));
    return e.state === 'applies' || e.state === 'maybe'
      ? { state: 'maybe', fixedIn: e.fixedIn, reason: 'newer-line' }
      : e;
  }
  if (c.line === null) return { state: 'applies', fixedIn: null, reason: 'older-line' };
  const key = lineKey(c.product, c.line);
  const rule = kb.index.rules.get(cve.id)?.get(key);
  if (rule !== undefined) {
    if (compareBuilds(c.build, rule.minBuild) < 0)
      return { state: 'applies', fixedIn: rule.minBuild, reason: 'below-fix' };
    const only = c.entry?.onlyFixes;
    if (only !== undefined && !only.includes(cve.id) && rule.minBuild !== c.build) {
      // The fix came with an earlier update of this CU; this update does not include it.
      const first = kb.index.byLine.get(key)?.[0]?.build;
      if (first === undefined || compareBuilds(rule.minBuild, first) > 0) {
        return { state: 'maybe', fixedIn: rule.minBuild, reason: 'partial-update' };
      }
    }
    if (rule.strictMinBuild !== undefined && compareBuilds(c.build, rule.strictMinBuild) < 0) {
      return { state: 'maybe', fixedIn: rule.strictMinBuild, reason: 'strict-fix' };
    }
    return { state: 'fixed', fixedIn: rule.minBuild, reason: null };
  }
  const settingFrom = kb.index.configLines.get(cve.id)?.get(key);
  if (settingFrom !== undefined) {
    // Needs build X, then setting Y: below X the setting cannot close it yet.
    if (settingFrom !== null && compareBuilds(c.build, settingFrom) < 0)
      return { state: 'applies', fixedIn: settingFrom, reason: 'config-below' };
    return { state: 'maybe', fixedIn: settingFrom, reason: 'config' };
  }
  if (kb.index.withoutFix.get(cve.id)?.has(key) === true)
    return { state: 'applies', fixedIn: null, reason: 'never-fixed' };
  // An affected product's line the CVE data does not name: older than the data, never fixed.
  return { state: 'applies', fixedIn: null, reason: 'older-line' };
}

export interface CandidateJudgement {
  level: PatchLevel;
  /** For vulnerable: a KEV CVE certainly applies (not only "maybe"). */
  sure: boolean;
  /** KEV CVEs that apply or may apply. */
  kevIds: string[];
}

/** Newest published build of a candidate's line, or null. */
export function newestOfLine(kb: KnowledgeBase, product: ProductName, line: string): BuildEntry | null {
  return kb.index.byLine.get(lineKey(product, line))?.at(-1) ?? null;
}

/**
 * vulnerable when a KEV CVE applies or may apply; unknown for builds newer than the data; outdated
 * when the product no longer gets updates, the line stopped getting them, or a newer build of the
 * line exists; current otherwise.
 */
export function judgeCandidate(
  kb: KnowledgeBase,
  c: Candidate,
  evals: ReadonlyMap<string, CveEvaluation>,
): CandidateJudgement {
  const kevIds: string[] = [];
  let sure = false;
  for (const cve of kb.cves) {
    if (!cve.kev) continue;
    const e = evals.get(cve.id);
    if (e === undefined || (e.state !== 'applies' && e.state !== 'maybe')) continue;
    kevIds.push(cve.id);
    if (e.state === 'applies') sure = true;
  }
  if (kevIds.length > 0) return { level: 'vulnerable', sure, kevIds };
  const level = ((): PatchLevel => {
    if (kb.index.supersededProducts.has(c.product)) return 'outdated';
    if (c.origin === 'newer-revision' || c.origin === 'newer-line') return 'unknown';
    if (c.origin === 'older' || c.line === null) return 'outdated';
    if (!kb.index.servicedLines.has(lineKey(c.product, c.line))) return 'outdated';
    const newest = newestOfLine(kb, c.product, c.line);
    return newest !== null && compareBuilds(c.build, newest.build) < 0 ? 'outdated' : 'current';
  })();
  return { level, sure: true, kevIds };
}

/** Evaluations of every CVE for one candidate, keyed by CVE id (affecting CVEs only). */
export function evaluateAll(kb: KnowledgeBase, c: Candidate): Map<string, CveEvaluation> {
  const out = new Map<string, CveEvaluation>();
  for (const cve of kb.cves) {
    const e = evaluateCve(kb, cve, c);
    if (e.state !== 'not-affected') out.set(cve.id, e);
  }
  return out;
}
