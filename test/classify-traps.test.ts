// One test per trap of issue 3 and brief A: the cases where a naive build lookup gives a wrong or
// dishonest verdict.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.js';
import { classify, dataAgeWarning, dataFreshness } from '../src/classify/index.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import type { ExchangeVerdict } from '../src/core/result-schema.js';

const kb = loadKnowledgeBase();
const TODAY = '2026-11-27';
const exact = (build: string, today = TODAY): ExchangeVerdict => classify(kb, build, 'exact', { today });
const kevIds = (v: ExchangeVerdict): string[] => v.cves.filter((f) => f.kev).map((f) => f.id);
const finding = (v: ExchangeVerdict, id: string) => v.cves.find((f) => f.id === id);
const notes = (v: ExchangeVerdict): string => (v.notes ?? []).join('\n');
const PROXYLOGON = ['CVE-2021-26855', 'CVE-2021-26857', 'CVE-2021-26858', 'CVE-2021-27065'];
const PROXYSHELL = ['CVE-2021-34473', 'CVE-2021-34523', 'CVE-2021-31207'];

describe('number forms', () => {
  it('reads the long form 15.02.1748.039 as 15.2.1748.39', () => {
    const v = classify(kb, '15.02.1748.039', 'exact', { today: TODAY });
    expect(v).toEqual(exact('15.2.1748.39'));
    expect(v.build).toBe('15.2.1748.39');
    expect(v.release).toBe('CU15 Oct25SU');
  });

  it('compares revisions as integers: 1913.10 is Mar20SU, above 1913.9', () => {
    expect(exact('15.1.1913.10').release).toBe('CU15 Mar20SU');
    const v = exact('15.1.1913.11'); // not published: nearest at or below must be .10, not .7
    expect(v.precision).toBe('approximate');
    expect(v.release).toBe('CU15 Mar20SU');
  });

  it('tells SE from 2019 by build >= 2562', () => {
    expect(exact('15.2.2562.17').product).toBe('Exchange Server SE');
    expect(exact('15.2.1748.10').product).toBe('Exchange Server 2019');
    expect(classify(kb, '15.2.2561.1', 'exact', { today: TODAY }).product).toBe('Exchange Server 2019');
  });

  it('takes 3-part input as the CU, not as a build', () => {
    const v = classify(kb, '15.1.2507', 'cu', { today: TODAY });
    expect(v).toMatchObject({
      precision: 'cu',
      build: '15.1.2507',
      release: 'CU23',
      releaseDate: '2022-04-20',
      patchLevel: 'vulnerable',
      certainty: 'possible',
    });
    // ProxyNotShell is fixed from CU23 Nov22SU: some builds of CU23 have it, some do not.
    expect(finding(v, 'CVE-2022-41040')).toMatchObject({ certainty: 'possible', fixedIn: '15.1.2507.16' });
    // 3 parts are a CU even if the caller says "exact".
    expect(classify(kb, '15.1.2507', 'exact', { today: TODAY }).precision).toBe('cu');
  });

  it('a CU whose every build shares a KEV flaw is confirmed even at CU precision', () => {
    const v = classify(kb, '15.1.2044', 'cu', { today: TODAY }); // 2016 CU17: ProxyShell never fixed
    expect(v).toMatchObject({ patchLevel: 'vulnerable', certainty: 'confirmed' });
    for (const id of PROXYSHELL)
      expect(finding(v, id)).toMatchObject({ certainty: 'confirmed', fixedIn: null });
    for (const id of PROXYLOGON) expect(finding(v, id)?.certainty).toBe('possible');
  });

  it('rejects what is no Exchange version', () => {
    expect(() => classify(kb, '15', 'product', { today: TODAY })).toThrow(InputError);
    expect(() => classify(kb, 'abc', 'exact', { today: TODAY })).toThrow(InputError);
    expect(() => classify(kb, '15.1.2507.6', 'exact', { today: '27/11/2026' })).toThrow(RangeError);
  });
});

describe('a 4-part build that is not published', () => {
  it('is treated as approximate against the published builds of its CU at or below it', () => {
    const v = exact('15.1.2507.15'); // between Oct22SU (.13) and Nov22SU (.16)
    expect(v.precision).toBe('approximate');
    expect(v.release).toBe('CU23 Oct22SU');
    expect(notes(v)).toMatch(/not a published build/);
    expect(notes(v)).toMatch(/CU23 Oct22SU \(15\.1\.2507\.13\)/);
    // All candidates are below Nov22SU: ProxyNotShell applies to all of them.
    expect(finding(v, 'CVE-2022-41082')?.certainty).toBe('confirmed');
    expect(v).toMatchObject({ patchLevel: 'vulnerable', certainty: 'confirmed' });
  });

  it('below the first build of its CU is judged as that first build', () => {
    const v = exact('15.2.1748.5');
    expect(v.precision).toBe('approximate');
    expect(v.release).toBe('CU15');
    expect(notes(v)).toMatch(/below the first published build/);
  });

  it('the caller may ask for approximate even for a published number', () => {
    const v = classify(kb, '15.1.2507.16', 'approximate', { today: TODAY });
    expect(v.precision).toBe('approximate');
    expect(finding(v, 'CVE-2022-41040')?.certainty).toBe('possible');
  });
});

describe('March 2021 updates for older CUs (higher revision, earlier fixes missing)', () => {
  it('CU17 Mar21SU fixes ProxyLogon only; everything later stays open', () => {
    const v = exact('15.1.2044.13');
    expect(v.release).toBe('CU17 Mar21SU');
    for (const id of PROXYLOGON) expect(kevIds(v)).not.toContain(id);
    for (const id of PROXYSHELL)
      expect(finding(v, id)).toMatchObject({ certainty: 'confirmed', fixedIn: null });
    expect(v).toMatchObject({ patchLevel: 'vulnerable', certainty: 'confirmed' });
    expect(notes(v)).toMatch(/only the ProxyLogon fixes/);
  });

  it('the update before it (Dec20SU) still has ProxyLogon', () => {
    for (const id of PROXYLOGON)
      expect(finding(exact('15.1.2044.12'), id)).toMatchObject({
        certainty: 'confirmed',
        fixedIn: '15.1.2044.13',
      });
  });

  it('does not take the Mar21SU revision as proof of an earlier update of the same CU', () => {
    // The overlay adds a KEV CVE whose fix on CU17 is Dec20SU (.12): by revision, .13 is above it.
    const overlay = loadKnowledgeBase({
      userDataDir: fileURLToPath(new URL('fixtures/classify/overlay-partial', import.meta.url)),
    });
    const at = (b: string) =>
      classify(overlay, b, 'exact', { today: TODAY }).cves.find((f) => f.id === 'CVE-2099-0001');
    expect(at('15.1.2044.8')).toMatchObject({ certainty: 'confirmed', fixedIn: '15.1.2044.12' });
    expect(at('15.1.2044.12')).toBeUndefined();
    expect(at('15.1.2044.13')).toMatchObject({ kev: true, certainty: 'possible', fixedIn: '15.1.2044.12' });
    // CU18 Mar21SU was a regular, cumulative update (CU18 was still supported): no doubt there.
    expect(at('15.1.2106.13')).toBeUndefined();
    const v = classify(overlay, '15.1.2044.13', 'exact', { today: TODAY });
    expect((v.notes ?? []).join(' ')).toMatch(/CVE-2099-0001 was fixed by 15\.1\.2044\.12/);
  });
});

describe('CUs that never received a fix', () => {
  it('2016 CU18 Mar21SU: ProxyShell has no fix on CU18', () => {
    const v = exact('15.1.2106.13');
    for (const id of PROXYSHELL)
      expect(finding(v, id)).toMatchObject({ kev: true, certainty: 'confirmed', fixedIn: null });
    for (const id of PROXYLOGON) expect(kevIds(v)).not.toContain(id);
  });

  it('2019 Preview, listed by no CVE rule, is treated as never fixed', () => {
    const v = exact('15.2.196.0');
    expect(kevIds(v)).toEqual(expect.arrayContaining([...PROXYLOGON, ...PROXYSHELL]));
    expect(finding(v, 'CVE-2021-26855')?.fixedIn).toBeNull();
  });

  it('a fix that is configuration only stays possible even at the newest build', () => {
    const v = exact('15.1.2507.72'); // 2016 CU23 Aug26SU, the last 2016 build
    expect(kevIds(v)).toEqual(['CVE-2024-21410']);
    expect(finding(v, 'CVE-2024-21410')).toMatchObject({
      certainty: 'possible',
      fixedIn: '15.1.2507.12',
      setting: 'extended-protection',
    });
    expect(v).toMatchObject({ patchLevel: 'vulnerable', certainty: 'possible' });
    expect(notes(v)).toMatch(/Extended Protection/);
    // 2019 CU14 is fixed by the build (Extended Protection on by default).
    expect(kevIds(exact('15.2.1544.4'))).not.toContain('CVE-2024-21410');
  });

  it("CVE-2023-21707 is fixed by Mar23SU (Microsoft's CVE record and HealthChecker), not Feb23SU", () => {
    expect(finding(exact('15.1.2507.21'), 'CVE-2023-21707')).toMatchObject({
      certainty: 'confirmed',
      fixedIn: '15.1.2507.23',
    });
    expect(finding(exact('15.1.2507.23'), 'CVE-2023-21707')).toBeUndefined();
  });
});

describe('disputed builds', () => {
  it.each([
    ['15.1.1415.8', '15.1.1415.10'],
    ['15.1.1415.9', '15.1.1415.10'],
    ['15.1.1466.13', '15.1.1466.16'],
    ['15.1.1466.15', '15.1.1466.16'],
  ])('%s is not proof of Mar21SU: ProxyLogon is possible', (build, canonical) => {
    const v = exact(build);
    expect(v.precision).toBe('approximate');
    for (const id of PROXYLOGON)
      expect(finding(v, id)).toMatchObject({ kev: true, certainty: 'possible', fixedIn: canonical });
    expect(notes(v)).toMatch(new RegExp(`Microsoft's build list gives ${canonical.replace(/\./g, '\\.')}`));
  });

  it('the Microsoft build of the same update is proof', () => {
    const v = exact('15.1.1415.10');
    expect(v.precision).toBe('exact');
    for (const id of PROXYLOGON) expect(kevIds(v)).not.toContain(id);
  });

  it('names the disputed update as disputed', () => {
    expect(exact('15.1.1415.8').release).toBe('CU8 Mar21SU (disputed)');
    expect(exact('14.3.266.1').release).toBe('SP3 RU11 (disputed)');
    expect(exact('15.2.858.2').release).toBe('CU9 (disputed)');
  });
});

describe('builds newer than the data', () => {
  it.each(['15.2.2562.50', '15.2.2700.5', '15.2.1748.60', '15.2.1544.50'])(
    '%s is unknown, never current',
    (build) => {
      const v = exact(build);
      expect(v.patchLevel).toBe('unknown');
      expect(v.certainty).toBe('possible');
      expect(notes(v)).toMatch(/newer/);
      expect(notes(v)).toMatch(/2026-08-20/);
    },
  );

  it('a new CU is newer than the data too', () => {
    expect(classify(kb, '15.2.2700', 'cu', { today: TODAY }).patchLevel).toBe('unknown');
  });

  it('a higher revision on a CU that stopped getting updates is not "newer": that CU is superseded', () => {
    const v = exact('15.2.1258.45'); // 2019 CU13 ended with Nov24SUv2 (.39)
    expect(v.patchLevel).not.toBe('unknown');
    expect(v.patchLevel).not.toBe('current');
    expect(v.release).toBe('CU13 Nov24SUv2');
  });

  it('a later 2016 build still carries what no 2016 build fixes', () => {
    const v = exact('15.1.2507.80');
    expect(kevIds(v)).toEqual(['CVE-2024-21410']);
    expect(v.patchLevel).toBe('vulnerable');
    expect(v.certainty).toBe('possible');
  });
});

describe('builds older than the data', () => {
  it('Exchange 2007: product, end of life, and a note that CVE knowledge is missing', () => {
    const v = exact('8.3.485.1');
    expect(v).toMatchObject({
      product: 'Exchange Server 2007',
      precision: 'approximate',
      supported: false,
      endOfSupport: '2017-04-11',
      cves: [],
      latest: '8.3.517.0',
    });
    expect(v.patchLevel).toBe('outdated');
    expect(notes(v)).toMatch(/no vulnerability data for Exchange Server 2007/);
    expect(classify(kb, '8', 'product', { today: TODAY })).toMatchObject({
      product: 'Exchange Server 2007',
      build: null,
      patchLevel: 'outdated',
    });
    // Its last update is known even though the build list starts with 2010.
    expect(exact('8.3.517.0')).toMatchObject({
      precision: 'exact',
      release: 'SP3 RU23',
      patchLevel: 'outdated',
    });
  });

  it.each(['14.2.247.5', '14.1.438.0', '14.0.639.21', '14.3.100.0'])(
    'Exchange 2010 before SP3 RU32 (%s) has CVE-2021-26857',
    (build) => {
      const v = exact(build);
      expect(v.product).toBe('Exchange Server 2010');
      expect(finding(v, 'CVE-2021-26857')).toMatchObject({ kev: true, certainty: 'confirmed' });
      expect(v).toMatchObject({ patchLevel: 'vulnerable', supported: false, endOfSupport: '2020-10-13' });
    },
  );

  it('Exchange 2010 SP3 RU32 is fixed but out of support: outdated, not current', () => {
    const v = exact('14.3.513.0');
    expect(kevIds(v)).toEqual([]);
    expect(v.patchLevel).toBe('outdated');
    expect(notes(v)).toMatch(/no longer receives security updates/);
  });

  it('the final Exchange 2013 update is never current: CVE-2024-21410 stays open until Extended Protection is on', () => {
    const v = exact('15.0.1497.48');
    expect(v).toMatchObject({
      release: 'CU23 Mar23SU',
      patchLevel: 'vulnerable',
      certainty: 'possible',
      supported: false,
    });
    expect(v.cves.filter((f) => f.kev).map((f) => [f.id, f.certainty])).toEqual([
      ['CVE-2024-21410', 'possible'],
    ]);
  });

  it('a 2013 CU between known CUs is judged like the CU below it', () => {
    const v = classify(kb, '15.0.1400', 'cu', { today: TODAY });
    expect(v.product).toBe('Exchange Server 2013');
    expect(notes(v)).toMatch(/judged like the CU below it \(CU21/);
  });
});

describe('product precision', () => {
  it('15.1 covers every 2016 build', () => {
    const v = classify(kb, '15.1', 'product', { today: TODAY });
    expect(v).toMatchObject({
      product: 'Exchange Server 2016',
      build: null,
      precision: 'product',
      release: null,
      patchLevel: 'vulnerable',
      certainty: 'possible',
    });
    expect(finding(v, 'CVE-2021-26855')).toMatchObject({ certainty: 'possible', fixedIn: '15.1.2507.6' });
  });

  it('14 is Exchange 2010', () => {
    expect(classify(kb, '14', 'product', { today: TODAY })).toMatchObject({
      product: 'Exchange Server 2010',
      build: null,
      latest: '14.3.513.0',
    });
  });

  it('15.2 cannot tell 2019 from SE and says so', () => {
    const v = classify(kb, '15.2', 'product', { today: TODAY });
    expect(v.product).toBe('Exchange Server 2019');
    expect(notes(v)).toMatch(/cannot be told apart/);
  });

  it('a 4-part number with product precision keeps only the product', () => {
    expect(classify(kb, '15.1.2507.6', 'product', { today: TODAY })).toMatchObject({
      build: null,
      precision: 'product',
    });
  });
});

describe('support and lifecycle', () => {
  it('supported until the extended end, not after', () => {
    expect(exact('15.1.2507.6', '2025-10-14')).toMatchObject({ supported: true, endOfSupport: '2025-10-14' });
    expect(exact('15.1.2507.6', '2025-10-15')).toMatchObject({
      supported: false,
      endOfSupport: '2025-10-14',
    });
  });

  it('SE has no end date', () => {
    expect(exact('15.2.2562.46')).toMatchObject({
      supported: true,
      endOfSupport: null,
      patchLevel: 'current',
      certainty: 'confirmed',
    });
  });

  it('mentions ESU for eligible CUs while a period runs, and not for others', () => {
    expect(notes(exact('15.1.2507.66', '2026-01-15'))).toMatch(
      /Extended Security Updates for CU23 \(period 1/,
    );
    expect(notes(exact('15.1.2375.37', '2026-01-15'))).not.toMatch(/Extended Security Updates for/);
    expect(notes(exact('15.2.1748.49', '2026-06-15'))).toMatch(/period 2/);
    expect(notes(exact('15.2.1748.49', '2026-11-27'))).toMatch(/has ended/);
  });

  it('2019 CU15 Aug26SU has every update but is out of support', () => {
    expect(exact('15.2.1748.49')).toMatchObject({
      patchLevel: 'current',
      supported: false,
      latest: '15.2.1748.49',
    });
  });
});

describe('knowledge base and freshness', () => {
  it('records the as-of date and a content-hashed data version', () => {
    expect(kb.asOf).toBe('2026-08-20');
    expect(kb.dataVersion).toMatch(/^2026-08-20\+[0-9a-f]{8}$/);
    expect(loadKnowledgeBase()).toBe(kb);
  });

  it('is stale after 90 days', () => {
    expect(dataFreshness(kb, '2026-11-27')).toMatchObject({ asOf: '2026-08-20', ageDays: 99, stale: true });
    expect(dataFreshness(kb, '2026-11-27').message).toMatch(/99 days old/);
    expect(dataFreshness(kb, '2026-11-18')).toMatchObject({ ageDays: 90, stale: false, message: null });
    expect(dataFreshness(kb, '2026-11-19')).toMatchObject({ ageDays: 91, stale: true });
    expect(dataFreshness(kb, '2026-09-01').stale).toBe(false);
  });

  it('has one wording for the data-age warning, used by every command and the reports', () => {
    expect(dataAgeWarning('2026-08-20', '2026-11-27')).toBe(
      'The vulnerability data is 99 days old (as of 2026-08-20): security updates and exploited vulnerabilities ' +
        'published since then are unknown to it, so recent builds may be judged "unknown" and a server shown as ' +
        '"current" may already be behind. Refresh it with `owa-audit data update` (`owa-audit reclassify <run-dir>` ' +
        'then re-judges a finished run).',
    );
    expect(dataFreshness(kb, '2026-11-27').message).toBe(dataAgeWarning(kb.asOf, '2026-11-27'));
    expect(dataAgeWarning('2026-08-20', '2026-11-18')).toBeNull();
    expect(dataAgeWarning(null, '2026-11-27')).toBe(
      'The run does not record the date of its vulnerability data; verdicts may miss recent updates.',
    );
    expect(dataAgeWarning('last summer', '2026-11-27')).toBe(dataAgeWarning(null, '2026-11-27'));
  });

  it('a user overlay changes KEV flags, the as-of date and the data version', () => {
    const overlay = loadKnowledgeBase({
      userDataDir: fileURLToPath(new URL('fixtures/classify/overlay-partial', import.meta.url)),
    });
    expect(overlay.asOf).toBe('2026-09-30');
    expect(overlay.dataVersion).not.toBe(kb.dataVersion);
    expect(overlay.cves.find((c) => c.id === 'CVE-2023-21706')).toMatchObject({
      kev: true,
      kevAdded: '2099-01-02',
      name: 'Remote code execution',
    });
    expect(kb.cves.find((c) => c.id === 'CVE-2023-21706')?.kev).toBe(false);
  });

  it('names the file and field of a broken overlay', () => {
    const dir = fileURLToPath(new URL('fixtures/classify/overlay-broken', import.meta.url));
    expect(() => loadKnowledgeBase({ userDataDir: dir })).toThrow(InputError);
    try {
      loadKnowledgeBase({ userDataDir: dir });
    } catch (e) {
      expect(e instanceof InputError && e.format()).toMatch(
        /overlay-broken\/builds\.json: builds\.0\.build: /,
      );
    }
  });
});
