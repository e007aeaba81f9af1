import { describe, expect, it } from 'vitest';
import { classify, remediation, type Remediation } from '../src/classify/index.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import { firstWithoutExploited } from '../src/classify/remediation.js';
import { evaluateAll, fromEntry, judgeCandidate } from '../src/classify/evaluate.js';
import type { BuildEntry } from '../src/classify/data-schema.js';
import type { Precision } from '../src/core/result-schema.js';

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
    const b = builds(r);
    expect(b[0]).toBe('15.1.2507.72');
    expect(b.at(-1)).toBe('15.2.2562.17');
    expect(b.slice(1, -1).every((x) => x === undefined)).toBe(true);
    expect(r.steps[0]?.update).toEqual({
      name: 'Exchange Server 2016 CU23 Aug26SU',
      build: '15.1.2507.72',
      kb: 'KB5121576',
      url: 'https://support.microsoft.com/help/5121576',
      released: '2026-08-11',
    });
    expect(r.steps[0]?.text).toMatch(/Extended Security Update customers only/);
    // Then the settings no build shows, one step per setting with the CVEs it closes.
    const settings = r.steps.slice(1, -1).map((s) => s.text);
    expect(settings.filter((t) => /Extended Protection/.test(t))).toHaveLength(1);
    expect(settings.find((t) => /Extended Protection/.test(t))).toMatch(
      /CVE-2024-21410.*CVE-2022-24516|CVE-2022-24516.*CVE-2024-21410/,
    );
    expect(settings.join(' ')).toMatch(/Download Domains.*CVE-2021-1730/);
    expect(r.steps.at(-1)?.text).toMatch(/Plan the move to Exchange Server SE/);
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

  it('a current SE server installs nothing; only the settings no build shows remain to check', () => {
    const r = fix('15.2.2562.46');
    expect(r.headline).toMatch(/latest security update known to owa-audit \(data as of 2026-08-20\)/);
    expect(builds(r)).toEqual([undefined, undefined]);
    expect(r.steps.map((s) => s.text).join(' ')).toMatch(
      /Download Domains \(CVE-2021-1730\)|CVE-2021-1730\)$/,
    );
    expect(r.steps.map((s) => s.text).join(' ')).toMatch(/PrepareAllDomains.*CVE-2022-21978/);
    expect(r.checkLocally).toBeNull();
  });

  it('an outdated SE server: install the newest SE update, no migration', () => {
    const r = fix('15.2.2562.43'); // Jun26SU
    expect(builds(r)[0]).toBe('15.2.2562.46');
    expect(builds(r).slice(1)).toEqual([undefined, undefined]);
    expect(r.headline).toMatch(/missing security updates/);
  });

  it('SE RTM lacks the fix for the exploited OWA zero-day CVE-2026-42897', () => {
    const r = fix('15.2.2562.17');
    expect(r.headline).toMatch(/known to exploit \(CVE-2026-42897\)/);
    expect(builds(r)[0]).toBe('15.2.2562.46');
  });

  it('a current but unsupported 2019: the settings no build shows, then the move to SE', () => {
    const r = fix('15.2.1748.49');
    expect(r.headline).toMatch(/out of support since 2025-10-14/);
    expect(builds(r).at(-1)).toBe('15.2.2562.17');
    expect(
      builds(r)
        .slice(0, -1)
        .every((x) => x === undefined),
    ).toBe(true);
    expect(r.steps.map((s) => s.text).join(' ')).toMatch(/TokenCacheModule.*CVE-2023-21709/);
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
      expect(r.headline).toMatch(
        b === '8.3.485.1' ? /no longer receives security updates/ : /only a setting closes on its version/,
      );
      expect(builds(r).at(-1)).toBe('15.2.2562.17');
      expect(builds(r).filter((x) => x !== undefined)).toEqual(['15.2.2562.17']);
    }
    // The final 2013 build still needs the settings of its CVEs: Extended Protection among them.
    expect(
      fix('15.0.1497.48')
        .steps.map((s) => s.text)
        .join(' '),
    ).toMatch(/Extended Protection/);
  });

  it('2013 on an old CU: the final CU and update before replacement', () => {
    expect(builds(fix('15.0.1395.4')).filter((b) => b !== undefined)).toEqual([
      '15.0.1497.2',
      '15.0.1497.48',
      '15.2.2562.17',
    ]);
  });

  it('a possible verdict explains what to read on the server and against which builds', () => {
    const r = fix('15.1.2507', 'cu');
    expect(r.headline).toMatch(/may lack fixes/);
    expect(r.checkLocally).toMatch(/ExSetup\.exe/);
    expect(r.checkLocally).toMatch(
      /lower than 15\.1\.2507\.69 \(CU23 Jun26SU\), fixes for known-exploited vulnerabilities are missing/,
    );
    expect(r.checkLocally).toMatch(/15\.1\.2507\.72 \(CU23 Aug26SU\), the newest update for CU23/);
  });

  it('a possible SE CU verdict names the build that closes the exploited OWA zero-day', () => {
    const r = fix('15.2.2562', 'cu');
    expect(r.checkLocally).toMatch(
      /lower than 15\.2\.2562\.43 \(RTM Jun26SU\), fixes for known-exploited vulnerabilities are missing/,
    );
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
    expect(r.steps[0]).toEqual({
      text: expect.stringMatching(/owa-audit data update/) as string,
      update: null,
    });
    expect(r.steps.slice(1).every((s) => s.update === null && /CVE-/.test(s.text))).toBe(true);
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

describe('firstWithoutExploited (the build to compare ExSetup.exe with)', () => {
  // The reference: the whole judgement of each build, as classify() makes it.
  const byJudgement = (line: readonly BuildEntry[]): BuildEntry | null =>
    line.find((b) => {
      const c = fromEntry(b);
      const evals = evaluateAll(kb, c);
      return !judgeCandidate(kb, c, evals).kevIds.some((id) => evals.get(id)?.state === 'applies');
    }) ?? null;

  it('is, on every line of the shipped data, the first build no known-exploited CVE certainly applies to', () => {
    let lines = 0;
    let withSafe = 0;
    for (const line of kb.index.byLine.values()) {
      const safe = firstWithoutExploited(kb, line);
      expect(safe?.build ?? null).toBe(byJudgement(line)?.build ?? null);
      lines++;
      if (safe !== null && safe !== line[0]) withSafe++;
    }
    // Not vacuous: many lines, and some with a first safe build after the line's first.
    expect(lines).toBeGreaterThan(20);
    expect(withSafe).toBeGreaterThan(3);
  });
});
