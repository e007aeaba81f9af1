// classify(): build + precision → the `exchange` object of the result record, memoised per knowledge
// base (the verdicts are deep-frozen and shared). Pure apart from the default for `today`.
import { InputError } from '../core/errors.js';
import type {
  Certainty,
  CveFinding,
  EvidenceSignal,
  ExchangeVerdict,
  PatchLevel,
  Precision,
  ProductName,
} from '../core/result-schema.js';
import { compareFindings } from '../core/cve-order.js';
import { deepFreeze, rememberBounded } from '../core/memo.js';
import { compareBuilds, parseVersionHint } from '../core/build-number.js';
import { selectCandidates } from './candidates.js';
import type { CveEntry } from './data-schema.js';
import { dateAfter, dateWithin, isIsoDay, todayIso } from '../core/time.js';
import { evaluateAll, judgeCandidate, type Candidate, type CveEvaluation } from './evaluate.js';
import { lineKey, type KnowledgeBase } from './knowledge-base.js';

/** What the fingerprint knows about the number: where it came from, and whether it was contradicted. */
export interface VerdictBasis {
  /** The evidence signal that gave the build; a component source makes an unpublished build a lower bound. */
  source?: EvidenceSignal | null;
  /** The version evidence disagreed: judge as given, never current or supported, certainty possible. */
  contradicted?: boolean;
}

/**
 * The verdict for a build, as `judge` derives it, memoised per knowledge base. A scan of thousands
 * of endpoints meets a few dozen distinct inputs, and deriving one evaluates every CVE against
 * every candidate build (~1 ms). The memo is keyed by the knowledge base object itself (a copy
 * with other data, e.g. `{ ...kb, cves }`, gets its own) and by every input the verdict depends
 * on. Every caller receives the same verdict object for the same input, so it is deep-frozen: a
 * caller that needs another verdict builds a new object (`{ ...verdict, … }`).
 */
export function classify(
  kb: KnowledgeBase,
  build: string,
  precision: Precision,
  opts: { today?: string } & VerdictBasis = {},
): ExchangeVerdict {
  const today = opts.today ?? todayIso();
  const source = opts.source ?? null;
  const contradicted = opts.contradicted === true;
  const key = JSON.stringify([today, precision, source, contradicted, build]);
  let memo = verdictMemos.get(kb);
  if (memo === undefined) verdictMemos.set(kb, (memo = new Map<string, ExchangeVerdict>()));
  const known = memo.get(key);
  if (known !== undefined) return known;
  const verdict = deepFreeze(judge(kb, build, precision, { today, source, contradicted }));
  return rememberBounded(memo, key, verdict, MAX_MEMOISED_VERDICTS);
}

/** Distinct inputs remembered per knowledge base; beyond it the oldest is forgotten. */
export const MAX_MEMOISED_VERDICTS = 1024;
const verdictMemos = new WeakMap<KnowledgeBase, Map<string, ExchangeVerdict>>();

/** classify() without the memo: derives a new verdict object on every call. */
export function judge(
  kb: KnowledgeBase,
  build: string,
  precision: Precision,
  opts: { today?: string } & VerdictBasis = {},
): ExchangeVerdict {
  const today = opts.today ?? todayIso();
  if (!isIsoDay(today)) throw new RangeError(`today must be YYYY-MM-DD: ${today}`);
  const parsed = parseVersionHint(build);
  if (parsed === null)
    throw new InputError(`not an Exchange build number: ${JSON.stringify(build.slice(0, 60))}`);
  const contradicted = opts.contradicted === true;
  const sel = selectCandidates(
    kb,
    parsed,
    contradicted && precision === 'exact' ? 'approximate' : precision,
    opts.source ?? null,
  );
  const notes = [...sel.notes];

  const evals = sel.candidates.map((c) => evaluateAll(kb, c));
  const judgements = sel.candidates.map((c, i) => judgeCandidate(kb, c, evals[i] ?? new Map()));
  const cves = aggregateCves(kb, sel.candidates, evals);
  const { patchLevel, certainty } = aggregateLevel(judgements);

  notes.push(...cveNotes(kb, sel.candidates, evals));
  const support = supportOf(kb, sel.product, sel.candidates, today);
  notes.push(...support.notes);
  if (kb.index.supersededProducts.has(sel.product) && patchLevel !== 'vulnerable') {
    notes.push(
      `${sel.product} no longer receives security updates; vulnerabilities found since are not fixed, and often not even listed for it.`,
    );
  }

  const verdict: ExchangeVerdict = {
    product: sel.product,
    build: sel.build,
    precision: sel.precision,
    release: sel.release,
    releaseDate: sel.releaseDate,
    patchLevel,
    certainty,
    supported: support.supported,
    endOfSupport: support.endOfSupport,
    latest: latestOf(kb, sel.product),
    cves,
  };
  if (contradicted) contradict(verdict, notes);
  if (notes.length > 0) verdict.notes = notes;
  if (opts.source !== undefined && opts.source !== null) verdict.buildSource = opts.source;
  if (sel.lowerBound) verdict.lowerBound = true;
  return verdict;
}

/**
 * Contradicted evidence: nothing is asserted beyond what the older build allows — never current,
 * never supported, every judgement possible only.
 */
function contradict(v: ExchangeVerdict, notes: string[]): void {
  v.contradicted = true;
  notes.unshift(
    'The version evidence disagrees (see the conflict evidence): the verdict is judged by the older build and claims no more than it allows.',
  );
  if (v.patchLevel === 'current') {
    v.patchLevel = 'unknown';
    notes.push('Not shown as current: the evidence for a newer build is contradicted.');
  }
  if (v.supported) {
    v.supported = false;
    notes.push('Not shown as supported: the version evidence is contradicted; check the server.');
  }
  v.certainty = 'possible';
  v.cves = v.cves.map((c) => ({ ...c, certainty: 'possible' }));
}

function latestOf(kb: KnowledgeBase, product: ProductName): string | null {
  return (
    kb.index.byProduct.get(product)?.at(-1)?.build ??
    kb.index.productInfo.get(product)?.finalBuild?.build ??
    null
  );
}

const SEVERITY: Record<PatchLevel, number> = { current: 0, unknown: 1, outdated: 2, vulnerable: 3 };

/** The worst level over the candidates; confirmed only when every candidate has it for certain. */
function aggregateLevel(js: readonly { level: PatchLevel; sure: boolean }[]): {
  patchLevel: PatchLevel;
  certainty: Certainty;
} {
  const first = js[0];
  if (first === undefined) return { patchLevel: 'unknown', certainty: 'possible' };
  const worst = js.reduce<PatchLevel>((w, j) => (SEVERITY[j.level] > SEVERITY[w] ? j.level : w), first.level);
  if (worst === 'unknown') return { patchLevel: 'unknown', certainty: 'possible' };
  const all = js.every((j) => j.level === worst && (worst !== 'vulnerable' || j.sure));
  return { patchLevel: worst, certainty: all ? 'confirmed' : 'possible' };
}

function aggregateCves(
  kb: KnowledgeBase,
  candidates: readonly Candidate[],
  evals: readonly Map<string, CveEvaluation>[],
): CveFinding[] {
  const findings: CveFinding[] = [];
  for (const cve of kb.cves) {
    const states = evals.map((m) => m.get(cve.id));
    const hits = states.filter((e) => e !== undefined && (e.state === 'applies' || e.state === 'maybe'));
    if (hits.length === 0) continue;
    const confirmed = hits.length === candidates.length && hits.every((e) => e?.state === 'applies');
    const finding: CveFinding = {
      id: cve.id,
      kev: cve.kev,
      certainty: confirmed ? 'confirmed' : 'possible',
      fixedIn: fixedInFor(kb, cve, candidates, states),
      name: cve.name,
      score: cve.score ?? null,
      severity: cve.severity ?? null,
    };
    const setting = cve.configRemedy?.setting;
    if (setting !== undefined && hits.some((e) => e?.reason === 'config' || e?.reason === 'config-below'))
      finding.setting = setting;
    findings.push(finding);
  }
  return findings.sort(compareFindings);
}

/**
 * The first fixing build on the host's CU line. When the candidates span several lines (product
 * precision), the fix on the product's newest line that has one: the build to reach.
 */
function fixedInFor(
  kb: KnowledgeBase,
  cve: CveEntry,
  candidates: readonly Candidate[],
  states: readonly (CveEvaluation | undefined)[],
): string | null {
  const lines = new Set(candidates.map((c) => (c.line === null ? null : lineKey(c.product, c.line))));
  if (lines.size === 1) {
    const hit = states.find((e) => e !== undefined && (e.state === 'applies' || e.state === 'maybe'));
    return hit?.fixedIn ?? null;
  }
  const product = candidates[0]?.product;
  let best: string | null = null;
  for (const r of cve.rules) {
    if (r.product === product && (best === null || compareBuilds(r.minBuild, best) > 0)) best = r.minBuild;
  }
  return best;
}

/** Plain-language caveats about CVE judgements that a build number cannot settle. */
function cveNotes(
  kb: KnowledgeBase,
  candidates: readonly Candidate[],
  evals: readonly Map<string, CveEvaluation>[],
): string[] {
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const cve of kb.cves) {
    for (const m of evals) {
      const e = m.get(cve.id);
      if (e === undefined || seen.has(cve.id)) continue;
      const remedy = cve.configRemedy;
      if (e.reason === 'config' && remedy !== undefined) {
        notes.push(`${cve.id} (${cve.name}): on this version only a setting closes it. ${remedy.text}`);
        seen.add(cve.id);
      } else if (e.reason === 'config-below' && remedy !== undefined && e.fixedIn !== null) {
        notes.push(
          `${cve.id} (${cve.name}): needs ${e.fixedIn} or later, and then a setting no build number shows. ${remedy.text}`,
        );
        seen.add(cve.id);
      } else if (e.reason === 'strict-fix' && e.fixedIn !== null) {
        notes.push(
          `${cve.id}: Microsoft's HealthChecker requires ${e.fixedIn} for the complete fix; a lower build may still be affected.`,
        );
        seen.add(cve.id);
      } else if (e.reason === 'partial-update' && e.fixedIn !== null) {
        notes.push(
          `${cve.id} was fixed by ${e.fixedIn}; the March 2021 update installed here does not show whether that earlier update is installed.`,
        );
        seen.add(cve.id);
      }
    }
  }
  if (candidates.some((c) => c.product === 'Exchange Server 2007')) {
    notes.push(
      'The knowledge base has no vulnerability data for Exchange Server 2007: no CVE list is shown, which does not mean none applies.',
    );
  }
  return notes;
}

interface Support {
  supported: boolean;
  endOfSupport: string | null;
  notes: string[];
}

/**
 * supported: today is on or before the extended end (SE has none). Extended Security Updates do not
 * make a product supported again; the notes say whether the host's CU could be covered by them.
 */
function supportOf(
  kb: KnowledgeBase,
  product: ProductName,
  candidates: readonly Candidate[],
  today: string,
): Support {
  const info = kb.index.productInfo.get(product);
  if (info === undefined)
    return { supported: false, endOfSupport: null, notes: [`No lifecycle data for ${product}.`] };
  const end = info.extendedEnd;
  if (end === null) return { supported: true, endOfSupport: null, notes: [] };
  if (today <= end) return { supported: true, endOfSupport: end, notes: [] };
  const notes = [`${product} reached the end of support on ${end}.`];
  const lines = new Set(candidates.map((c) => c.line));
  for (const esu of info.esu) {
    const eligible = esu.eligibleLines.filter((l) => lines.has(l));
    if (eligible.length === 0) continue;
    const span = `${esu.start} to ${esu.end}${esu.endNote === undefined ? '' : `; ${esu.endNote}`}`;
    if (dateWithin(today, esu.start, esu.end)) {
      notes.push(
        `Microsoft sells Extended Security Updates for ${eligible.join('/')} (period ${esu.period}, ${span}); only customers who bought them receive its updates.`,
      );
    } else if (dateAfter(today, esu.end) && esu === info.esu.at(-1)) {
      notes.push(
        `The last Extended Security Update period known to the data (period ${esu.period}, ${span}) has ended.`,
      );
    }
  }
  if (
    candidates.some((c) => c.line !== null && kb.index.servicedLines.has(lineKey(c.product, c.line))) &&
    info.esu.length > 0
  ) {
    const newest = kb.index.byProduct.get(product)?.at(-1);
    if (newest !== undefined && newest.released > end) {
      notes.push(
        `Updates for ${product} released after ${end} (such as ${newest.name}) reach Extended Security Update customers only.`,
      );
    }
  }
  return { supported: false, endOfSupport: end, notes };
}
