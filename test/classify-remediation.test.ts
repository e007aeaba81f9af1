import { describe, expect, it } from 'vitest';
import { classify, loadKnowledgeBase, remediation, type Remediation } from '../src/classify/index.js';
import type { Precision } from '../src/results/schema.js';

const kb = loadKnowledgeBase();
const TODAY = '2026-11-27';
const fix = (build: string, precision: Precision = 'exact'): Remediation =>
  remediation(kb, classify(kb, build, precision, { today: TODAY }));
const builds = (r: Remediation): (string | undefined)[] => r.steps.map((s) => s.update?.build);

describe('remediation', () => {
  it('an exposed 2016 CU23: install its newest update first, then Extended Protection, then plan SE', () => {
    const r = fix('15.1.2507.6');
    expect(r.headline).toMatch(/known to exploit/);
    expect(r.headline).toMatch(/update it now/);
    expect(builds(r)).toEqual(['15.1.2507.72', undefined, '15.2.2562.17']);
    expect(r.steps[0]?.update).toEqual({
      name: 'Exchange Server 2016 CU23 Aug26SU',
      build: '15.1.2507.72',
      kb: 'KB5121576',
      url: 'https://support.microsoft.com/help/5121576',
      released: '2026-08-11',
    });
    expect(r.steps[0]?.text).toMatch(/Extended Security Update customers only/);
    expect(r.steps[1]?.text).toMatch(/Extended Protection.*CVE-2024-21410/);
    expect(r.steps[2]?.text).toMatch(/Plan the move to Exchange Server SE/);
  });

  it('a CU that no longer gets updates: install the current CU, then its newest update', () => {
    const r = fix('15.2.922.7'); // 2019 CU10
    expect(builds(r).slice(0, 2)).toEqual(['15.2.1748.10', '15.2.1748.49']);
    expect(r.steps[0]?.text).toMatch(
      /CU10 no longer receives security updates, and some exploited vulnerabilities were never fixed on it/,
    );
  });

  it('the newest 2016 build: nothing to install, the setting and the migration remain', () => {
    const r = fix('15.1.2507.72');
    expect(r.steps.every((s) => s.update?.build !== '15.1.2507.72')).toBe(true);
    expect(r.headline).toMatch(/only a setting closes/);
    expect(r.steps[0]?.text).toMatch(/Extended Protection/);
    expect(r.checkLocally).toMatch(/Extended Protection/);
  });

  it('a current SE server needs nothing', () => {
    const r = fix('15.2.2562.46');
    expect(r).toEqual({
      headline: expect.stringMatching(
        /latest security update known to owa-audit \(data as of 2026-08-20\)/,
      ) as string,
      steps: [],
      checkLocally: null,
    });
  });

  it('an outdated SE server: install the newest SE update, no migration', () => {
    const r = fix('15.2.2562.17');
    expect(builds(r)).toEqual(['15.2.2562.46']);
    expect(r.headline).toMatch(/missing security updates/);
  });

  it('a current but unsupported 2019: plan the move to SE', () => {
    const r = fix('15.2.1748.49');
    expect(r.headline).toMatch(/out of support since 2025-10-14/);
    expect(builds(r)).toEqual(['15.2.2562.17']);
  });

  it('Exchange 2010 before SP3: final update first, then replacement; no ESU wording', () => {
    const r = fix('14.2.247.5');
    expect(builds(r)).toEqual(['14.3.123.4', '14.3.513.0', '15.2.2562.17']);
    expect(r.steps.map((s) => s.text).join(' ')).not.toMatch(/Extended Security Update/);
    expect(r.steps[2]?.text).toMatch(/move the mailboxes to Exchange Server SE/);
  });

  it('Exchange 2007 and final 2013: replace', () => {
    for (const b of ['8.3.485.1', '15.0.1497.48']) {
      const r = fix(b);
      expect(r.headline).toMatch(/no longer receives security updates/);
      expect(builds(r)).toEqual(['15.2.2562.17']);
    }
  });

  it('2013 on an old CU: the final CU and update before replacement', () => {
    expect(builds(fix('15.0.1395.4'))).toEqual(['15.0.1497.2', '15.0.1497.48', '15.2.2562.17']);
  });

  it('a possible verdict explains what to read on the server and against which builds', () => {
    const r = fix('15.1.2507', 'cu');
    expect(r.headline).toMatch(/may lack fixes/);
    expect(r.checkLocally).toMatch(/ExSetup\.exe/);
    expect(r.checkLocally).toMatch(
      /lower than 15\.1\.2507\.21 \(CU23 Feb23SU\), fixes for known-exploited vulnerabilities are missing/,
    );
    expect(r.checkLocally).toMatch(/15\.1\.2507\.72 \(CU23 Aug26SU\), the newest update for CU23/);
  });

  it('a possible SE CU verdict does not invent exploited vulnerabilities', () => {
    const r = fix('15.2.2562', 'cu');
    expect(r.checkLocally).not.toMatch(/known-exploited/);
    expect(r.checkLocally).toMatch(/lower than 15\.2\.2562\.46/);
  });

  it('a disputed build asks for the local check; a CU with unfixable flaws says a newer CU is needed', () => {
    const r = fix('15.1.1415.8');
    expect(r.checkLocally).toMatch(/No update for CU8 fixes every known-exploited vulnerability/);
    expect(builds(r).slice(0, 2)).toEqual(['15.1.2507.6', '15.1.2507.72']);
  });

  it('a build newer than the data: update the data', () => {
    const r = fix('15.2.2562.50');
    expect(r.headline).toMatch(/newer than owa-audit's knowledge base/);
    expect(r.steps).toEqual([
      { text: expect.stringMatching(/owa-audit data update/) as string, update: null },
    ]);
    expect(r.checkLocally).toBeNull();
  });

  it('a confirmed verdict without doubt has no local check', () => {
    expect(fix('15.1.2044.13').checkLocally).toBeNull();
  });

  it('product precision: reach the newest CU and update', () => {
    const r = fix('15.2', 'product');
    expect(builds(r).slice(0, 2)).toEqual(['15.2.1748.10', '15.2.1748.49']);
    expect(r.checkLocally).toMatch(/Compare it with 15\.2\.1748\.49/);
  });
});
