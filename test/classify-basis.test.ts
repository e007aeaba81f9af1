// What the fingerprint knows about a number changes what it proves (issue 13): a component version
// that is no published build is a lower bound of the installed update; contradicted version
// evidence is never called current or supported, and nothing about it is certain.
import { describe, expect, it } from 'vitest';
import { classify } from '../src/classify/index.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import type { ExchangeVerdict } from '../src/core/result-schema.js';

const kb = loadKnowledgeBase();
const TODAY = '2026-11-27';
const PROXYSHELL = ['CVE-2021-34473', 'CVE-2021-34523', 'CVE-2021-31207'];
const certaintyOf = (v: ExchangeVerdict, id: string): string | undefined =>
  v.cves.find((c) => c.id === id)?.certainty;

describe('a component version that is no published build is a lower bound', () => {
  // Captured fragment C: the export tool manifest says 15.1.2242.5; CU20 RTM is 15.1.2242.4, and
  // the fixes for ProxyShell came with CU20's April and May 2021 updates.
  const manifest = classify(kb, '15.1.2242.5', 'exact', { today: TODAY, source: 'exporttool-manifest' });

  it('covers the CU20 update the component belongs to and every later one', () => {
    expect(manifest).toMatchObject({
      product: 'Exchange Server 2016',
      build: '15.1.2242.5',
      precision: 'approximate',
      release: 'CU20',
      lowerBound: true,
      buildSource: 'exporttool-manifest',
    });
    // Every update of CU20 misses later known-exploited fixes (CU20 is no longer serviced).
    expect(manifest).toMatchObject({ patchLevel: 'vulnerable', certainty: 'confirmed' });
    expect(manifest.notes?.join(' ')).toContain('lower bound');
  });

  it('so ProxyShell is possible, not confirmed: the installed update may carry its fixes', () => {
    for (const id of PROXYSHELL) expect(certaintyOf(manifest, id), id).toBe('possible');
  });

  it('the same number from X-OWA-Version is the installed build: judged at or below it, ProxyShell confirmed', () => {
    const header = classify(kb, '15.1.2242.5', 'exact', { today: TODAY, source: 'x-owa-version' });
    expect(header).toMatchObject({ precision: 'approximate', release: 'CU20', buildSource: 'x-owa-version' });
    expect(header.lowerBound).toBeUndefined();
    for (const id of PROXYSHELL) expect(certaintyOf(header, id), id).toBe('confirmed');
  });

  it('a component version equal to a published build stays exact', () => {
    const v = classify(kb, '15.1.2375.7', 'exact', { today: TODAY, source: 'exporttool-manifest' });
    expect(v).toMatchObject({ precision: 'exact', release: 'CU22' });
    expect(v.lowerBound).toBeUndefined();
  });
});

describe('contradicted version evidence', () => {
  it('is never current nor supported, and every judgement is only possible', () => {
    // SE Aug26SU would be current and supported on clean evidence.
    const clean = classify(kb, '15.2.2562.46', 'exact', { today: TODAY });
    expect(clean).toMatchObject({ patchLevel: 'current', supported: true, certainty: 'confirmed' });
    // Contradicted: judged as approximate, i.e. any published SE build up to it — SE RTM's builds
    // before Jun26SU miss CVE-2026-42897 (KEV), so the verdict is vulnerable, possibly.
    const v = classify(kb, '15.2.2562.46', 'exact', { today: TODAY, contradicted: true });
    expect(v).toMatchObject({
      precision: 'approximate',
      patchLevel: 'vulnerable',
      supported: false,
      certainty: 'possible',
      contradicted: true,
    });
    expect(v.notes?.[0]).toContain('version evidence disagrees');
  });

  it('judged by the older build (the page CU of a forged header): vulnerable or outdated, possible, every CVE possible', () => {
    const v = classify(kb, '15.2.1748', 'cu', { today: TODAY, source: 'owa-asset-path', contradicted: true });
    expect(v).toMatchObject({ product: 'Exchange Server 2019', precision: 'cu', supported: false });
    expect(['vulnerable', 'outdated']).toContain(v.patchLevel);
    expect(v.certainty).toBe('possible');
    expect(v.cves.every((c) => c.certainty === 'possible')).toBe(true);
  });
});
