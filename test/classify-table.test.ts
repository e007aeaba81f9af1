// Every build of the build list, classified as an exact build, checked against answers the test
// derives itself — from data-sources/builds.json and the rules data/README.md states for
// data/cves.json — not by calling the classifier's own lookups.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify, publishedBuildsOfCu } from '../src/classify/index.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';

interface RefBuild {
  product: string;
  line: string;
  name: string;
  build: string;
  released: string;
  confidence: string;
}
interface Rule {
  product: string;
  line: string;
  minBuild: string;
  strictMinBuild?: string;
}
interface DataCve {
  id: string;
  kev: boolean;
  affects: string[];
  rules: Rule[];
  configRemedy?: { setting?: string; lines: { product: string; line: string; minBuild?: string }[] };
  score?: number | null;
  severity?: string | null;
}

const json = (path: string): unknown => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const refBuilds = json('../data-sources/builds.json') as RefBuild[];
const dataCves = (json('../data/cves.json') as { cves: DataCve[] }).cves;
const published = refBuilds.filter((b) => b.confidence !== 'disputed');
const disputed = refBuilds.filter((b) => b.confidence === 'disputed');

const ints = (b: string): number[] => b.split('.').map((x) => parseInt(x, 10));
function lower(a: string, b: string): boolean {
  const x = ints(a);
  const y = ints(b);
  for (let i = 0; i < 4; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  return false;
}

// data-sources/README.md: the March 2021 updates of CUs already out of support hold only these fixes.
const PROXYLOGON = ['CVE-2021-26855', 'CVE-2021-26857', 'CVE-2021-26858', 'CVE-2021-27065'];
function onlyProxyLogon(b: RefBuild): boolean {
  if (!b.name.endsWith('Mar21SU')) return false;
  const line = b.line;
  if (b.product === 'Exchange Server 2013') return ['SP1', 'CU21', 'CU22'].includes(line);
  if (b.product === 'Exchange Server 2016') return /^CU([89]|1[0-7])$/.test(line);
  if (b.product === 'Exchange Server 2019') return /^(RTM|CU[1-6])$/.test(line);
  return false;
}
const firstOfLine = new Map<string, string>();
for (const b of published) {
  const key = `${b.product}|${b.line}`;
  const cur = firstOfLine.get(key);
  if (cur === undefined || lower(b.build, cur)) firstOfLine.set(key, b.build);
}

type Expected = { certainty: 'confirmed' | 'possible'; fixedIn: string | null; setting?: string } | null;

/**
 * The rules data/README.md states: on line L, B is fixed iff L has a rule and B >= minBuild (a
 * non-cumulative March 2021 update does not prove an earlier fix; a build below a stricter fix is
 * "possible"); on a line whose remedy is a setting, B >= minBuild is "possible" and below it the CVE
 * applies; on any other line of an affected product the CVE applies with no fix.
 */
function expected(b: RefBuild, c: DataCve): Expected {
  if (!c.affects.includes(b.product)) return null;
  const key = `${b.product}|${b.line}`;
  const rule = c.rules.find((r) => `${r.product}|${r.line}` === key);
  if (rule !== undefined) {
    if (lower(b.build, rule.minBuild)) return { certainty: 'confirmed', fixedIn: rule.minBuild };
    const first = firstOfLine.get(key) ?? b.build;
    if (
      onlyProxyLogon(b) &&
      !PROXYLOGON.includes(c.id) &&
      rule.minBuild !== b.build &&
      lower(first, rule.minBuild)
    )
      return { certainty: 'possible', fixedIn: rule.minBuild };
    if (rule.strictMinBuild !== undefined && lower(b.build, rule.strictMinBuild))
      return { certainty: 'possible', fixedIn: rule.strictMinBuild };
    return null;
  }
  const config = c.configRemedy?.lines.find((l) => `${l.product}|${l.line}` === key);
  if (config !== undefined) {
    const setting = c.configRemedy?.setting;
    const from = config.minBuild ?? null;
    const base = setting === undefined ? {} : { setting };
    if (from !== null && lower(b.build, from)) return { certainty: 'confirmed', fixedIn: from, ...base };
    return { certainty: 'possible', fixedIn: from, ...base };
  }
  return { certainty: 'confirmed', fixedIn: null };
}

/** build-data.js drops the product year that eightwone puts before its names ("2016 CU9 + KB4340731"). */
function expectedName(b: RefBuild): string {
  const m = /^20(?:13|16|19) (.*)$/.exec(b.name);
  if (m?.[1] === undefined) return b.name;
  return m[1].startsWith('+ ') ? `${b.line} ${m[1]}` : m[1];
}

const kb = loadKnowledgeBase();
const TODAY = '2026-11-27';

describe('every published build of the build list', () => {
  it('has the same number of builds as the build list', () => {
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

    const want = new Map<string, NonNullable<Expected> & { cve: DataCve }>();
    for (const c of dataCves) {
      const e = expected(b, c);
      if (e !== null) want.set(c.id, { ...e, cve: c });
    }
    expect(v.cves.map((f) => f.id).sort()).toEqual([...want.keys()].sort());
    for (const f of v.cves) {
      const w = want.get(f.id);
      if (w === undefined) continue;
      expect({ id: f.id, certainty: f.certainty, fixedIn: f.fixedIn, setting: f.setting }).toEqual({
        id: f.id,
        certainty: w.certainty,
        fixedIn: w.fixedIn,
        setting: w.setting,
      });
      expect(f.kev).toBe(w.cve.kev);
      expect(f.score).toBe(w.cve.score ?? null);
      expect(f.severity).toBe(w.cve.severity ?? null);
    }

    const kev = [...want.values()].filter((w) => w.cve.kev);
    if (kev.length > 0) {
      expect(v.patchLevel).toBe('vulnerable');
      expect(v.certainty).toBe(kev.some((w) => w.certainty === 'confirmed') ? 'confirmed' : 'possible');
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

describe('every disputed build of the build list', () => {
  it.each(disputed.map((b) => [b.build, b] as const))('%s is never taken as proof', (_build, b) => {
    const v = classify(kb, b.build, 'exact', { today: TODAY });
    expect(v.product).toBe(b.product);
    expect(v.precision).toBe('approximate');
    expect(v.patchLevel).not.toBe('current');
    expect(v.notes?.join(' ')).toMatch(/disagree/);
  });
});
