// The knowledge of issue 14: the CVEs CISA lists as exploited are known and marked, Exchange 2010
// SP3 gets its own fixes, remedies that are settings read "needs build X, then setting Y", and the
// decisions the data makes (CVE-2024-49040, scores) hold. Expected values come from the sources in
// data-sources/ or are stated here from Microsoft's records, not from the classifier.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify } from '../src/classify/index.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import type { ExchangeVerdict } from '../src/core/result-schema.js';

const kb = loadKnowledgeBase({ userDataDir: null });
const TODAY = '2026-11-27';
const exact = (build: string): ExchangeVerdict => classify(kb, build, 'exact', { today: TODAY });
const finding = (build: string, id: string) => exact(build).cves.find((f) => f.id === id);

const kevSource = JSON.parse(readFileSync(new URL('../data-sources/kev.json', import.meta.url), 'utf8')) as {
  entries: { cve: string; dateAdded: string }[];
};

describe('CISA KEV', () => {
  it('every Exchange CVE CISA lists as exploited is known and marked with the day it was added', () => {
    expect(kevSource.entries.length).toBeGreaterThanOrEqual(19);
    for (const e of kevSource.entries) {
      expect(
        kb.cves.find((c) => c.id === e.cve),
        e.cve,
      ).toMatchObject({ kev: true, kevAdded: e.dateAdded });
    }
    expect(
      kb.cves
        .filter((c) => c.kev)
        .map((c) => c.id)
        .sort(),
    ).toEqual(kevSource.entries.map((e) => e.cve).sort());
  });

  it('knows the six KEV CVEs the old data lacked, and the later additions', () => {
    for (const id of [
      'CVE-2018-8581',
      'CVE-2020-0688',
      'CVE-2020-17144',
      'CVE-2021-31196',
      'CVE-2021-33766',
      'CVE-2021-42321',
      'CVE-2023-21529',
      'CVE-2026-42897',
    ])
      expect(kb.cves.find((c) => c.id === id)?.kev, id).toBe(true);
  });
});

describe('Exchange 2010 SP3', () => {
  it('SP3 without rollups lacks the fixes for CVE-2020-0688 and CVE-2020-17144', () => {
    expect(finding('14.3.123.4', 'CVE-2020-0688')).toMatchObject({
      kev: true,
      certainty: 'confirmed',
      fixedIn: '14.3.496.0', // SP3 RU30 (KB4536989)
    });
    expect(finding('14.3.123.4', 'CVE-2020-17144')).toMatchObject({ kev: true, fixedIn: '14.3.509.0' }); // RU31
    expect(finding('14.3.123.4', 'CVE-2021-26857')).toMatchObject({ kev: true, fixedIn: '14.3.513.0' }); // RU32
  });

  it('RU31 has both fixes and lacks the March 2021 one; RU32 has all three', () => {
    const ru31 = exact('14.3.509.0').cves.map((f) => f.id);
    expect(ru31).not.toContain('CVE-2020-0688');
    expect(ru31).not.toContain('CVE-2020-17144');
    expect(ru31).toContain('CVE-2021-26857');
    expect(exact('14.3.513.0').cves).toEqual([]);
  });
});

describe('remedies that are settings: needs build X, then setting Y', () => {
  // Extended Protection can be turned on from HealthChecker's supported builds: 2016 CU22 >= .30,
  // CU23 >= .11, 2019 CU11 >= .28, CU12 >= .11 (the August 2022 updates), every 2019 CU13 build.
  it.each([
    ['15.1.2375.31', '15.1.2375.31'],
    ['15.1.2375.37', '15.1.2375.31'],
    ['15.2.986.29', '15.2.986.29'],
    ['15.2.986.42', '15.2.986.29'],
    ['15.2.1118.12', '15.2.1118.12'],
    ['15.2.1118.40', '15.2.1118.12'],
    ['15.2.1258.12', '15.2.1258.12'],
    ['15.1.2507.72', '15.1.2507.12'],
  ])('%s: CVE-2024-21410 depends on Extended Protection (possible from %s)', (build, from) => {
    expect(finding(build, 'CVE-2024-21410')).toMatchObject({
      kev: true,
      certainty: 'possible',
      fixedIn: from,
      setting: 'extended-protection',
    });
    expect(exact(build).notes?.join(' ')).toMatch(
      /CVE-2024-21410.*only a setting closes it.*Extended Protection/,
    );
  });

  it.each([
    ['15.1.2507.6', '15.1.2507.12'],
    ['15.1.2507.9', '15.1.2507.12'],
    ['15.1.2375.28', '15.1.2375.31'],
    ['15.2.986.26', '15.2.986.29'],
  ])(
    '%s: Extended Protection cannot be turned on yet, so CVE-2024-21410 is confirmed (install %s first)',
    (build, from) => {
      expect(finding(build, 'CVE-2024-21410')).toMatchObject({
        certainty: 'confirmed',
        fixedIn: from,
        setting: 'extended-protection',
      });
      expect(exact(build).notes?.join(' ')).toMatch(
        new RegExp(`CVE-2024-21410.*needs ${from.replace(/\./g, '\\.')} or later`),
      );
    },
  );

  it('2019 CU14 and later turn Extended Protection on at setup: fixed by the build', () => {
    for (const b of ['15.2.1544.4', '15.2.1748.10']) expect(finding(b, 'CVE-2024-21410')).toBeUndefined();
  });

  it('CUs on which Extended Protection is never supported stay confirmed with no fix', () => {
    expect(finding('15.1.2308.8', 'CVE-2024-21410')).toMatchObject({ certainty: 'confirmed', fixedIn: null });
  });

  it('a setting that setup leaves on makes the build the fix, with a caveat in the data', () => {
    // Serialized data signing is on by default from the November 2023 update.
    expect(finding('15.1.2507.34', 'CVE-2023-36050')).toMatchObject({ fixedIn: '15.1.2507.35' });
    expect(finding('15.1.2507.35', 'CVE-2023-36050')).toBeUndefined();
    expect(kb.cves.find((c) => c.id === 'CVE-2023-36050')?.notes).toMatch(
      /cannot show whether serialized data signing/,
    );
  });

  it('an organisation-wide setting (the AD schema) keeps old CUs possible, not confirmed', () => {
    expect(finding('15.1.1979.3', 'CVE-2021-34470')).toMatchObject({
      certainty: 'possible',
      setting: 'ad-schema',
    });
    expect(finding('15.1.2308.8', 'CVE-2021-34470')).toBeUndefined(); // 2016 CU21 extends the schema
    expect(finding('15.0.1497.18', 'CVE-2021-34470')).toMatchObject({
      certainty: 'confirmed',
      fixedIn: '15.0.1497.23',
    });
  });
});

describe('decisions the data makes', () => {
  it("CVE-2024-49040 is fixed by Nov24SUv2, as Microsoft's CVE record and HealthChecker say", () => {
    expect(finding('15.1.2507.43', 'CVE-2024-49040')).toMatchObject({
      certainty: 'confirmed',
      fixedIn: '15.1.2507.44',
    });
    expect(finding('15.1.2507.44', 'CVE-2024-49040')).toBeUndefined();
    expect(kb.cves.find((c) => c.id === 'CVE-2024-49040')?.notes).toMatch(/Nov24SUv2.*withdrawn/);
  });

  it("the June 2026 CVEs are fixed by the July 2026 updates, as Microsoft's records say", () => {
    expect(finding('15.2.1748.46', 'CVE-2026-45504')).toMatchObject({ fixedIn: '15.2.1748.48' });
    expect(finding('15.2.1748.48', 'CVE-2026-45504')).toBeUndefined();
  });

  it("findings carry Microsoft's score and its CVSS rating, sorted KEV first, then by score", () => {
    const v = exact('15.1.2507.6');
    expect(v.cves.find((f) => f.id === 'CVE-2024-21410')).toMatchObject({ score: 9.8, severity: 'critical' });
    expect(v.cves.find((f) => f.id === 'CVE-2022-21979')).toMatchObject({ score: 4.8, severity: 'medium' });
    const kevEnd = v.cves.findIndex((f) => !f.kev);
    expect(v.cves.slice(kevEnd).every((f) => !f.kev)).toBe(true);
    const rest = v.cves.slice(kevEnd).map((f) => f.score ?? -1);
    expect(rest).toEqual([...rest].sort((a, b) => b - a));
  });

  it('says why a score is empty rather than guessing one', () => {
    const unscored = kb.cves.filter((c) => c.score === null || c.score === undefined);
    expect(unscored.length).toBeGreaterThan(0);
    for (const c of unscored) expect(c.scoreNote, c.id).toMatch(/Left empty rather than guessed/);
    for (const c of kb.cves) expect(c.sources?.length ?? 0, c.id).toBeGreaterThan(0);
  });
});
