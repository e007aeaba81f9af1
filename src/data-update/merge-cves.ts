// CVE side of an update. KEV flags come from CISA's catalog: set for CVEs the data has (never
// cleared — CISA does not retract exploitation evidence, and a partial catalog must not erase
// it); a KEV Exchange CVE the data lacks is reported, not guessed into a rule. Which update fixes
// which CVE cannot be read from any feed, with one exception the shipped data already applies:
// a CU line released after a CVE's fix is fixed from its first build (CUs are cumulative).
import { isDeepStrictEqual } from 'node:util';
import { compareBuilds } from '../core/build-number.js';
import type { BuildEntry, CveEntry, CveRule } from '../classify/data-schema.js';
import { lineKey, type KnowledgeBase } from '../classify/knowledge-base.js';
import type { ProductName } from '../core/result-schema.js';
import type { KevCatalog, KevEntry } from './kev.js';

export interface KevChange {
  cve: string;
  name: string;
  /** null: it was not known-exploited before. */
  previousAdded: string | null;
  wasKev: boolean;
  dateAdded: string;
}

export interface DerivedRule {
  cve: string;
  rule: CveRule;
}

export interface UnmappedLine {
  cve: string;
  product: ProductName;
  line: string;
}

export interface CveMerge {
  cves: CveEntry[];
  kevChanges: KevChange[];
  /** KEV Exchange CVEs the data has no fixing builds for: not used in verdicts. */
  kevNotMapped: KevEntry[];
  /** Known-exploited in the data but absent from this catalog (kept). */
  kevAbsent: string[];
  derivedRules: DerivedRule[];
  /** New lines released before a CVE's fix: no rule can be derived (verdicts assume unfixed). */
  unmappedLines: UnmappedLine[];
}

export const DERIVED_BASIS = 'line released after the fix; cumulative (derived by owa-audit data update)';

/**
 * `current`: the CVEs as the data has them now (shipped plus the previous overlay); `builds`: the
 * merged builds; `newLines`: lines that did not exist before this update.
 */
export function mergeCves(
  current: readonly CveEntry[],
  builds: readonly BuildEntry[],
  newLines: ReadonlySet<string>,
  kev: KevCatalog | null,
): CveMerge {
  const out: CveMerge = {
    cves: [],
    kevChanges: [],
    kevNotMapped: [],
    kevAbsent: [],
    derivedRules: [],
    unmappedLines: [],
  };
  const firstOfLine = new Map<string, BuildEntry>();
  for (const b of [...builds].sort((x, y) => compareBuilds(x.build, y.build))) {
    const key = lineKey(b.product, b.line);
    if (b.confidence === 'disputed' || !newLines.has(key) || firstOfLine.has(key)) continue;
    firstOfLine.set(key, b);
  }
  const known = new Set(current.map((c) => c.id));
  for (const c of current) {
    const next: CveEntry = { ...c, rules: [...c.rules] };
    const listed = kev?.exchange.get(c.id);
    if (listed !== undefined && (!c.kev || c.kevAdded !== listed.dateAdded)) {
      out.kevChanges.push({
        cve: c.id,
        name: c.name,
        previousAdded: c.kevAdded,
        wasKev: c.kev,
        dateAdded: listed.dateAdded,
      });
      next.kev = true;
      next.kevAdded = listed.dateAdded;
    } else if (kev !== null && listed === undefined && c.kev) {
      out.kevAbsent.push(c.id);
    }
    for (const [key, first] of firstOfLine) {
      if (!c.affects.includes(first.product)) continue;
      const has = (l: { product: ProductName; line: string }): boolean => lineKey(l.product, l.line) === key;
      if (next.rules.some(has) || c.linesWithoutFix.some(has) || (c.configRemedy?.lines ?? []).some(has))
        continue;
      if (first.released.slice(0, 10) >= c.fixDate) {
        const rule: CveRule = {
          product: first.product,
          line: first.line,
          minBuild: first.build,
          update: first.name,
          basis: DERIVED_BASIS,
        };
        next.rules.push(rule);
        out.derivedRules.push({ cve: c.id, rule });
      } else {
        out.unmappedLines.push({ cve: c.id, product: first.product, line: first.line });
      }
    }
    out.cves.push(next);
  }
  if (kev !== null) {
    out.kevNotMapped = [...kev.exchange.values()]
      .filter((e) => !known.has(e.cve))
      .sort((a, b) => a.cve.localeCompare(b.cve));
  }
  return out;
}

const OVERLAY_FIELDS = [
  'name',
  'kev',
  'kevAdded',
  'affects',
  'fixingUpdate',
  'fixDate',
  'rules',
  'linesWithoutFix',
  'configRemedy',
  'notes',
] as const;

/**
 * The overlay's cves.json: per CVE, only the fields that differ from the shipped data (a CVE the
 * shipped data lacks — added by hand to an earlier overlay — keeps every field).
 */
export function cveOverlay(shipped: KnowledgeBase, merged: readonly CveEntry[]): Partial<CveEntry>[] {
  const base = new Map(shipped.cves.map((c) => [c.id, c] as const));
  const out: Partial<CveEntry>[] = [];
  for (const c of merged) {
    const b = base.get(c.id);
    if (b === undefined) {
      out.push(c);
      continue;
    }
    const diff: Partial<CveEntry> = { id: c.id };
    let changed = false;
    for (const field of OVERLAY_FIELDS) {
      if (!isDeepStrictEqual(c[field], b[field])) {
        Object.assign(diff, { [field]: c[field] });
        changed = true;
      }
    }
    if (changed) out.push(diff);
  }
  return out;
}
