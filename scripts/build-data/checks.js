// Cross-checks of the derived CVE data against independent sources; any disagreement that is not
// listed here as known stops the build, so a slip in the catalogue cannot reach data/.
import { compareBuilds, fail } from './util.js';

const HC_PRODUCT = {
  Exchange2013: 'Exchange Server 2013',
  Exchange2016: 'Exchange Server 2016',
  Exchange2019: 'Exchange Server 2019',
  ExchangeSE: 'Exchange Server SE',
};
const hcLine = (version, cu) => (version === 'Exchange2013' && cu === 'CU4' ? 'SP1' : cu);

/**
 * Where Microsoft's build list and HealthChecker's table name different builds for the same update
 * (data-sources/README.md, "Disputed builds"): owa-audit follows Microsoft's list.
 */
const HC_BUILD_DIFFERENCES = new Map([
  ['15.1.1415.8', '15.1.1415.10'],
  ['15.1.1466.13', '15.1.1466.16'],
]);

/**
 * HealthChecker counts the March 2021 updates of CUs out of support as fixing all seven March 2021
 * CVEs; Microsoft's announcement of those updates and MSRC's affected lines say they carry only the
 * four ProxyLogon fixes, so on those CUs the other three have no fix.
 */
const HC_MARCH_2021_OLDER = new Set(['CVE-2021-26412', 'CVE-2021-26854', 'CVE-2021-27078']);

/** HealthChecker's first fixing build per CU line, for every CVE its tables map to updates. */
export function healthCheckerFixes(hc) {
  const fixes = new Map(); // cve → Map(lineKey → build)
  const add = (cve, su, versions) => {
    for (const v of versions) {
      for (const [cu, entry] of Object.entries(hc.buildDictionary[v] ?? {})) {
        const build = entry.su[su];
        if (build === undefined) continue;
        const m = fixes.get(cve) ?? new Map();
        const key = `${HC_PRODUCT[v]}|${hcLine(v, cu)}`;
        const prev = m.get(key);
        // A CVE listed under two updates (CVE-2023-21707): HealthChecker needs the later one.
        if (prev === undefined || compareBuilds(prev, build) < 0) m.set(key, build);
        fixes.set(cve, m);
      }
    }
  };
  for (const [su, entries] of Object.entries(hc.suCves)) for (const e of entries) for (const c of e.cves) add(c, su, e.versions);
  for (const o of hc.overrideCves) add(o.cve, o.su, Object.keys(hc.buildDictionary));
  return fixes;
}

/** Every first fixing build HealthChecker names must be the one derived here. */
export function checkAgainstHealthChecker(cves, hc) {
  const byId = new Map(cves.map((c) => [c.id, c]));
  let compared = 0;
  for (const [id, lines] of healthCheckerFixes(hc)) {
    const c = byId.get(id);
    if (c === undefined) fail(`HealthChecker knows ${id}; the catalogue does not`);
    for (const [key, build] of lines) {
      const rule = c.rules.find((r) => `${r.product}|${r.line}` === key);
      if (HC_MARCH_2021_OLDER.has(id) && rule === undefined && c.linesWithoutFix.some((w) => `${w.product}|${w.line}` === key))
        continue;
      const expected = HC_BUILD_DIFFERENCES.get(build) ?? build;
      if (rule?.minBuild !== expected)
        fail(`${id}: HealthChecker's first fixing build on ${key} is ${build}, the derived one ${rule?.minBuild ?? 'none'}`);
      compared++;
    }
  }
  return compared;
}

/** Every Exchange CVE on CISA's KEV list must be in the data and marked. */
export function checkKev(cves, kev) {
  for (const e of kev.entries) {
    const c = cves.find((x) => x.id === e.cve);
    if (c === undefined || !c.kev || c.kevAdded !== e.dateAdded) fail(`KEV ${e.cve} is not known and marked`);
  }
}

const MSRC_PRODUCT = (build) => {
  if (build.startsWith('14.')) return 'Exchange Server 2010';
  if (build.startsWith('15.0.')) return 'Exchange Server 2013';
  if (build.startsWith('15.1.')) return 'Exchange Server 2016';
  if (build.startsWith('15.2.')) return Number(build.split('.')[2]) >= 2562 ? 'Exchange Server SE' : 'Exchange Server 2019';
  return null;
};

/**
 * Every CU line MSRC lists as affected by a CVE (its 3-part build) must be judged: a fix, a setting
 * or "never fixed" — never silently not affected.
 */
export function checkAgainstMsrc(cves, msrc, lines) {
  const lineOfCu = new Map();
  for (const l of lines.values()) lineOfCu.set(l.first.build.split('.').slice(0, 3).join('.'), l);
  let checked = 0;
  for (const c of cves) {
    for (const cu of Object.keys(msrc[c.id] ?? {})) {
      const product = MSRC_PRODUCT(cu);
      if (product === null || product === 'Exchange Server 2007') continue;
      if (!c.affects.includes(product)) fail(`${c.id}: MSRC lists ${product} (${cu}); the catalogue's affects does not`);
      const l = lineOfCu.get(cu);
      if (l === undefined) continue; // a base version MSRC uses for a whole product (15.0.516, 14.0.639)
      const key = `${l.product}|${l.line}`;
      const judged =
        c.rules.some((r) => `${r.product}|${r.line}` === key) ||
        c.linesWithoutFix.some((w) => `${w.product}|${w.line}` === key) ||
        (c.configRemedy?.lines ?? []).some((w) => `${w.product}|${w.line}` === key);
      if (!judged) fail(`${c.id}: MSRC lists ${key}; the data does not judge it`);
      checked++;
    }
  }
  return checked;
}
