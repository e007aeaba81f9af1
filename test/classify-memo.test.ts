// classify() is memoised per knowledge base (a scan meets a few dozen distinct inputs among
// thousands of endpoints): the memoised verdict must be exactly the one derived afresh, for every
// input that matters, and no caller may change the shared object.
import { describe, expect, it } from 'vitest';
import { classify, judge, MAX_MEMOISED_VERDICTS } from '../src/classify/classify.js';
import { cuOf } from '../src/classify/index.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import { PROFILE_IDS, getProfile } from '../src/fleet/catalogue.js';
import type { EvidenceSignal, Precision } from '../src/core/result-schema.js';

const kb = loadKnowledgeBase();
const TODAY = '2026-11-27';

interface Input {
  build: string;
  precision: Precision;
  source: EvidenceSignal | null;
  contradicted: boolean;
}

const SOURCES: (EvidenceSignal | null)[] = [
  'x-owa-version',
  'exporttool-manifest',
  'owa-legacy-asset-path',
  'ecp-version-dir',
  null,
];

/** Every build the knowledge base lists (exact, and its CU), the fleet's builds, the product hints. */
function inputs(): Input[] {
  const out: Input[] = [];
  kb.builds.forEach((b, i) => {
    // Every third build (each CU is met), sources and contradiction taking turns.
    if (i % 3 !== 0) return;
    const source = SOURCES[i % SOURCES.length] ?? null;
    out.push({ build: b.build, precision: 'exact', source, contradicted: i % 2 === 0 });
    const cu = cuOf(b.build);
    if (cu !== null)
      out.push({ build: cu, precision: 'cu', source: 'owa-asset-path', contradicted: i % 5 === 0 });
  });
  for (const id of PROFILE_IDS) {
    const { build, precision } = getProfile(id).expect;
    if (build === undefined || precision === undefined) continue;
    for (const source of SOURCES)
      for (const contradicted of [false, true]) out.push({ build, precision, source, contradicted });
  }
  for (const hint of ['8', '14'])
    out.push({ build: hint, precision: 'product', source: null, contradicted: false });
  return out;
}

describe('classify() memoised per knowledge base', () => {
  const all = inputs();

  it('gives the verdict judge() derives afresh, for every build of the data and of the fleet', () => {
    expect(all.length).toBeGreaterThan(200);
    for (const x of all) {
      const opts = { today: TODAY, source: x.source, contradicted: x.contradicted };
      const fresh = judge(kb, x.build, x.precision, opts);
      const first = classify(kb, x.build, x.precision, opts);
      expect(first, JSON.stringify(x)).toEqual(fresh);
      // The second call is answered by the memo: the same object, still equal.
      const again = classify(kb, x.build, x.precision, opts);
      expect(again).toBe(first);
      expect(again).toEqual(fresh);
    }
  });

  it('keys on every input: another day, source or contradiction gives its own verdict', () => {
    const base = { today: TODAY, source: 'exporttool-manifest' as const, contradicted: false };
    const v = classify(kb, '15.1.2242.5', 'exact', base);
    // Exchange 2016 left support in October 2025: a day before that is another verdict.
    const earlier = { ...base, today: '2025-06-01' };
    const later = classify(kb, '15.1.2242.5', 'exact', earlier);
    expect(later).not.toBe(v);
    expect(later).toEqual(judge(kb, '15.1.2242.5', 'exact', earlier));
    expect(later.supported).not.toBe(v.supported);
    const header = classify(kb, '15.1.2242.5', 'exact', { ...base, source: 'x-owa-version' });
    expect(header.lowerBound).toBeUndefined();
    expect(v.lowerBound).toBe(true);
    const contradicted = classify(kb, '15.1.2242.5', 'exact', { ...base, contradicted: true });
    expect(contradicted.contradicted).toBe(true);
    expect(v.contradicted).toBeUndefined();
    expect(classify(kb, '15.1.2242', 'cu', base)).not.toBe(v);
  });

  it('keeps one memo per knowledge base object: a copy with other data is judged with its data', () => {
    const v = classify(kb, '15.1.2242.5', 'exact', { today: TODAY, source: 'x-owa-version' });
    expect(v.cves.length).toBeGreaterThan(0);
    const noCves = { ...kb, cves: [] };
    const w = classify(noCves, '15.1.2242.5', 'exact', { today: TODAY, source: 'x-owa-version' });
    expect(w.cves).toEqual([]);
  });

  it('hands out a deep-frozen verdict: nobody can change what other records share', () => {
    const v = classify(kb, '15.2.1544.4', 'exact', { today: TODAY, source: 'x-owa-version' });
    expect(Object.isFrozen(v)).toBe(true);
    expect(Object.isFrozen(v.cves)).toBe(true);
    for (const c of v.cves) expect(Object.isFrozen(c)).toBe(true);
    expect(() => {
      (v as { patchLevel: string }).patchLevel = 'current';
    }).toThrow(TypeError);
    expect(() => v.cves.push(v.cves[0] ?? ({} as never))).toThrow(TypeError);
    expect(() => v.notes?.push('changed') ?? v.cves.pop()).toThrow(TypeError);
  });

  it('is bounded: past its size the oldest input is derived again, the newest still remembered', () => {
    const own = { ...kb };
    const day = (i: number): string =>
      new Date(Date.UTC(2030, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const at = (i: number) => classify(own, '8.3.83.6', 'exact', { today: day(i) });
    const first = at(0);
    for (let i = 1; i <= MAX_MEMOISED_VERDICTS; i++) at(i);
    expect(at(MAX_MEMOISED_VERDICTS)).toBe(at(MAX_MEMOISED_VERDICTS));
    const again = at(0);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('does not remember failures: a bad build throws every time', () => {
    for (let i = 0; i < 2; i++)
      expect(() => classify(kb, 'not-a-build', 'exact', { today: TODAY })).toThrow();
  });
});
