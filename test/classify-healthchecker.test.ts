// The knowledge base held against Microsoft's HealthChecker: for every published 2013–SE build of
// Microsoft's ExchangeBuildNumbers.csv (test/fixtures/classify/ExchangeBuildNumbers-a2c819b.csv),
// and every CVE HealthChecker decides, owa-audit's verdict must equal HealthChecker's — or be one of
// the deliberate differences listed below, each with its reason. A difference nobody listed fails
// the test, and so does a listed one that no longer occurs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify } from '../src/classify/index.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import {
  healthCheckerVerdicts,
  hcVersion,
  type HcVerdict,
  type HealthCheckerTables,
} from './helpers/healthchecker-verdict.js';

const hc = JSON.parse(
  readFileSync(new URL('../data-sources/healthchecker.json', import.meta.url), 'utf8'),
) as HealthCheckerTables;
const kb = loadKnowledgeBase({ userDataDir: null });
const TODAY = '2026-11-27';

/** Microsoft's CSV (CRLF, no quoting): name, build (sometimes in the long form), date, KB, blog. */
const csvBuilds = readFileSync(
  new URL('fixtures/classify/ExchangeBuildNumbers-a2c819b.csv', import.meta.url),
  'utf8',
)
  .split(/\r?\n/)
  .slice(1)
  .filter((l) => l.trim() !== '')
  .map((l) => {
    const [name = '', raw = ''] = l.split(',');
    return { name, build: raw.split('.').map(Number).join('.') };
  })
  .filter((b) => hcVersion(b.build) !== null);

interface Pair {
  build: string;
  name: string;
  cve: string;
  hc: HcVerdict;
  ours: HcVerdict;
}

const pairs: Pair[] = [];
for (const { name, build } of csvBuilds) {
  const v = classify(kb, build, 'exact', { today: TODAY });
  for (const [cve, hcVerdict] of healthCheckerVerdicts(hc, build, name)) {
    const f = v.cves.find((x) => x.id === cve);
    const ours: HcVerdict = f === undefined ? 'fixed' : f.certainty === 'confirmed' ? 'vulnerable' : 'config';
    pairs.push({ build, name, cve, hc: hcVerdict, ours });
  }
}

const OLDER_CU_MARCH_2021 =
  /^Exchange (2013 (SP1|CU21|CU22)|2016 CU([89]|1[0-7])|2019 (RTM|CU[1-6])) Mar21SU$/;

/** The deliberate differences, each with the pairs it covers and why owa-audit differs. */
const EXCEPTIONS: { id: string; why: string; covers: (p: Pair) => boolean }[] = [
  {
    id: 'builds HealthChecker lacks',
    why:
      "HealthChecker's tables lack the March 2021 updates of 2013 SP1 (15.0.847.64) and 2019 RTM " +
      '(15.2.221.18), and every 2019 RTM update, so it reports their fixes as missing; Microsoft lists the builds.',
    covers: (p) => ['15.0.847.64', '15.2.221.18'].includes(p.build) && p.hc === 'vulnerable',
  },
  {
    id: 'March 2021 updates for older CUs',
    why:
      'HealthChecker counts the March 2021 updates of CUs out of support as fixing CVE-2021-26412, -26854 and ' +
      "-27078; Microsoft's announcement and MSRC's affected lines say they carry only the four ProxyLogon fixes.",
    covers: (p) =>
      ['CVE-2021-26412', 'CVE-2021-26854', 'CVE-2021-27078'].includes(p.cve) &&
      OLDER_CU_MARCH_2021.test(p.name) &&
      p.hc === 'fixed' &&
      p.ours === 'vulnerable',
  },
  {
    id: "HealthChecker's March 2021 check lists",
    why:
      "On a March 2021 update of an old CU both ask the owner to check the earlier updates; HealthChecker's list " +
      'for 2016 CU12 omits the July 2019 update (CVE-2019-1084, -1136, -1137) and names "CVE-2018-0858" for CVE-2019-0858.',
    covers: (p) =>
      ['Exchange 2016 CU11 Mar21SU', 'Exchange 2016 CU12 Mar21SU'].includes(p.name) &&
      ['CVE-2019-0858', 'CVE-2019-1084', 'CVE-2019-1136', 'CVE-2019-1137'].includes(p.cve) &&
      p.hc === 'fixed' &&
      p.ours === 'config',
  },
  {
    id: 'January 2019 on Exchange 2019',
    why:
      "HealthChecker's Jan19SU entry names 2013 and 2016 only; MSRC lists Exchange 2019 for CVE-2019-0586 and " +
      '-0588 (fixed by KB4471389 on 2019 RTM).',
    covers: (p) =>
      ['CVE-2019-0586', 'CVE-2019-0588'].includes(p.cve) &&
      /^Exchange 2019 (Preview|RTM|RTM Mar21SU)$/.test(p.name) &&
      p.hc === 'fixed',
  },
  {
    id: 'Download Domains where the feature is missing',
    why:
      'HealthChecker checks CVE-2021-1730 only where Download Domains exist (2016 CU18, 2019 CU7 and later); ' +
      'owa-audit reports the older CUs as affected with no fix on their CU.',
    covers: (p) => p.cve === 'CVE-2021-1730' && p.hc === 'fixed' && p.ours === 'vulnerable',
  },
];

const differences = pairs.filter((p) => p.hc !== p.ours);
const covered = (p: Pair) => EXCEPTIONS.filter((e) => e.covers(p));

describe("owa-audit's verdicts against HealthChecker's", () => {
  it('compares every published 2013–SE build against every CVE HealthChecker decides', () => {
    expect(csvBuilds).toHaveLength(225);
    const cves = new Set(pairs.map((p) => p.cve));
    expect(cves.size).toBeGreaterThanOrEqual(126);
    expect(pairs).toHaveLength(csvBuilds.length * cves.size);
    for (const id of cves)
      expect(
        kb.cves.some((c) => c.id === id),
        id,
      ).toBe(true);
  });

  it('agrees everywhere except the listed deliberate differences', () => {
    const unexplained = differences.filter((p) => covered(p).length !== 1);
    expect(unexplained).toEqual([]);
    for (const e of EXCEPTIONS)
      expect(
        differences.some((p) => e.covers(p)),
        e.id,
      ).toBe(true);
    // The figures the report and README quote.
    expect(differences.length).toBe(118);
    expect(pairs.length - differences.length).toBe(28232);
  });

  it('agrees on CVE-2024-21410 wherever Extended Protection can and cannot be turned on', () => {
    const ep = pairs.filter((p) => p.cve === 'CVE-2024-21410');
    expect(ep.every((p) => p.hc === p.ours)).toBe(true);
    const at = (build: string) => ep.find((p) => p.build === build);
    for (const b of ['15.1.2375.31', '15.2.986.29', '15.2.1118.12'])
      expect(at(b)).toMatchObject({ hc: 'config', ours: 'config' });
    for (const b of ['15.1.2507.6', '15.1.2507.9'])
      expect(at(b)).toMatchObject({ hc: 'vulnerable', ours: 'vulnerable' });
  });
});
