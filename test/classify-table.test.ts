// Every build of the reference dataset, classified as an exact build, checked against answers the
// test derives itself from the reference JSON (test/fixtures/classify/reference, copied verbatim
// from ../shared/reference/data) — not by calling the classifier's own lookups.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify, loadKnowledgeBase, publishedBuildsOfCu } from '../src/classify/index.js';

interface RefBuild {
  product: string;
  line: string;
  name: string;
  build: string;
  released: string;
  confidence: string;
}
interface RefCve {
  cve: string;
  kev: boolean;
  affects: string[];
  rules: { product: string; line: string; min_build: string }[];
  lines_without_fix: string[];
  fixed_in_strict?: string[];
}

const ref = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`fixtures/classify/reference/${name}`, import.meta.url), 'utf8'));
const refBuilds = ref('builds.json') as RefBuild[];
const refCves = ref('cves.json') as RefCve[];
const published = refBuilds.filter((b) => b.confidence !== 'disputed');
const disputed = refBuilds.filter((b) => b.confidence === 'disputed');

const ints = (b: string): number[] => b.split('.').map((x) => parseInt(x, 10));
function lower(a: string, b: string): boolean {
  const x = ints(a);
  const y = ints(b);
  for (let i = 0; i < 4; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  return false;
}

/** The rule stated in cves.json: on line L, B is fixed iff L has a rule and B >= min_build. */
function applies(b: RefBuild, c: RefCve): { applies: boolean; fixedIn: string | null } {
  if (!c.affects.includes(b.product)) return { applies: false, fixedIn: null };
  const rule = c.rules.find((r) => r.product === b.product && r.line === b.line);
  if (rule !== undefined) return { applies: lower(b.build, rule.min_build), fixedIn: rule.min_build };
  // Listed as never fixed — or not listed at all (the 2019 Preview line, older than every fix).
  return { applies: true, fixedIn: null };
}

/** build-data.js drops the product year that eightwone puts before its names ("2016 CU9 + KB4340731"). */
function expectedName(b: RefBuild): string {
  const m = /^20(?:13|16|19) (.*)$/.exec(b.name);
  if (m?.[1] === undefined) return b.name;
  return m[1].startsWith('+ ') ? `${b.line} ${m[1]}` : m[1];
}

/** cves.json notes on CVE-2024-21410: on these lines only Extended Protection (a setting) fixes it. */
const CONFIG_ONLY = new Set([
  'CVE-2024-21410|Exchange Server 2016|CU23',
  'CVE-2024-21410|Exchange Server 2019|CU13',
]);

const kb = loadKnowledgeBase();
const TODAY = '2026-11-27';

describe('every published build of the reference data', () => {
  it('has the same number of builds as the reference', () => {
    expect(kb.builds.length).toBe(refBuilds.length);
    expect(published.length).toBeGreaterThan(350);
  });

  it.each(published.map((b) => [b.build, b] as const))('%s', (_build, b) => {
    const v = classify(kb, b.build, 'exact', { today: TODAY });
    expect(v.product).toBe(b.product);
    expect(v.build).toBe(b.build);
    expect(v.precision).toBe('exact');
    expect(v.release).toBe(expectedName(b));
    expect(v.releaseDate).toBe(b.released);

    const expectedKev = refCves
      .filter((c) => c.kev && applies(b, c).applies)
      .map((c) => c.cve)
      .sort();
    const gotKev = v.cves
      .filter((f) => f.kev)
      .map((f) => f.id)
      .sort();
    expect(gotKev).toEqual(expectedKev);

    for (const f of v.cves) {
      const c = refCves.find((x) => x.cve === f.id);
      expect(c, f.id).toBeDefined();
      if (c === undefined) continue;
      const a = applies(b, c);
      if (a.applies) {
        expect(f.fixedIn).toBe(a.fixedIn);
        expect(f.certainty).toBe(
          CONFIG_ONLY.has(`${c.cve}|${b.product}|${b.line}`) ? 'possible' : 'confirmed',
        );
      } else {
        // Only extra finding allowed: between the fix and HealthChecker's stricter fix.
        const strict = (c.fixed_in_strict ?? []).find(
          (s) => s.split('.').slice(0, 3).join('.') === b.build.split('.').slice(0, 3).join('.'),
        );
        expect(strict, `${f.id} should not apply to ${b.build}`).toBeDefined();
        expect(lower(b.build, strict ?? '0')).toBe(true);
        expect(f.certainty).toBe('possible');
      }
    }
    // Every non-KEV CVE the reference says applies is listed too.
    for (const c of refCves) if (applies(b, c).applies) expect(v.cves.map((f) => f.id)).toContain(c.cve);

    if (expectedKev.length > 0) {
      expect(v.patchLevel).toBe('vulnerable');
      const sure = expectedKev.some((id) => !CONFIG_ONLY.has(`${id}|${b.product}|${b.line}`));
      expect(v.certainty).toBe(sure ? 'confirmed' : 'possible');
    } else {
      expect(['outdated', 'current']).toContain(v.patchLevel);
      expect(v.certainty).toBe('confirmed');
    }
  });

  it('calls current only the newest build of a line that got the last update wave', () => {
    const current = published
      .filter((b) => classify(kb, b.build, 'exact', { today: TODAY }).patchLevel === 'current')
      .map((b) => b.build);
    expect(current.sort()).toEqual(['15.2.1544.44', '15.2.1748.49', '15.2.2562.46']);
  });

  it('reports the newest published build of each product as latest', () => {
    const newest = new Map<string, string>();
    for (const b of published) {
      const cur = newest.get(b.product);
      if (cur === undefined || lower(cur, b.build)) newest.set(b.product, b.build);
    }
    for (const [product, build] of newest) {
      const sample = published.find((b) => b.product === product);
      expect(sample).toBeDefined();
      if (sample !== undefined)
        expect(classify(kb, sample.build, 'exact', { today: TODAY }).latest).toBe(build);
    }
    expect(newest.get('Exchange Server SE')).toBe('15.2.2562.46');
  });

  it('lists every build of a CU for thorough mode, ascending, disputed ones included', () => {
    const byCu = new Map<string, string[]>();
    for (const b of refBuilds) {
      const cu = b.build.split('.').slice(0, 3).join('.');
      byCu.set(cu, [...(byCu.get(cu) ?? []), b.build]);
    }
    for (const [cu, builds] of byCu) {
      const expected = [...builds].sort((x, y) => (lower(x, y) ? -1 : lower(y, x) ? 1 : 0));
      expect(publishedBuildsOfCu(kb, cu)).toEqual(expected);
      expect(publishedBuildsOfCu(kb, `${cu}.999`)).toEqual(expected);
    }
    expect(publishedBuildsOfCu(kb, '15.1.1415')).toContain('15.1.1415.8');
    expect(publishedBuildsOfCu(kb, '15.1')).toEqual([]);
  });
});

describe('every disputed build of the reference data', () => {
  it.each(disputed.map((b) => [b.build, b] as const))('%s is never taken as proof', (_build, b) => {
    const v = classify(kb, b.build, 'exact', { today: TODAY });
    expect(v.product).toBe(b.product);
    expect(v.precision).toBe('approximate');
    expect(v.patchLevel).not.toBe('current');
    expect(v.notes?.join(' ')).toMatch(/disagree/);
  });
});
