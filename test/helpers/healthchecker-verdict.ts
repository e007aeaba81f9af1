// What Microsoft's HealthChecker concludes about one CVE on a server of a given build, restated from
// its tables (data-sources/healthchecker.json) for the comparison test. HealthChecker reads the
// server itself; a build number alone stands for a server in the configuration setup leaves, so:
// - "vulnerable": HealthChecker reports the CVE whatever the configuration;
// - "fixed": it does not report it unless an administrator turned a protection off;
// - "config": it reports it unless an administrator turned a setting on (Extended Protection before
//   2019 CU14, Download Domains, the AD schema/domain preparation, the registry switch of 2013).
// The rules are those of HealthChecker's Security analyzers, cited per function below.

export type HcVerdict = 'vulnerable' | 'fixed' | 'config';
type Version = 'Exchange2013' | 'Exchange2016' | 'Exchange2019' | 'ExchangeSE';

export interface HealthCheckerTables {
  buildDictionary: Record<string, Record<string, { cu: string; su: Record<string, string> }>>;
  cuReleaseDates: Record<string, Record<string, string>>;
  suCves: Record<string, { cves: string[]; versions: string[] }[]>;
  overrideCves: { su: string; cve: string }[];
  extendedProtection: {
    cves: string[];
    supportedBuilds: Record<string, { laterThanBuild: number; minRevisionOfBuild: Record<string, number> }>;
  };
  serializedDataSigning: { cves: string[]; availableFrom: string; enabledByDefaultFrom: string };
  march2021OlderCus: Record<string, Record<string, Record<string, string[]>>>;
}

const nums = (b: string): number[] => b.split('.').map(Number);
function cmp(a: string, b: string): number {
  const x = nums(a);
  const y = nums(b);
  for (let i = 0; i < 4; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** HealthChecker's major version of a build (SE from 15.2.2562). */
export function hcVersion(build: string): Version | null {
  const [major, minor, cu] = nums(build);
  if (major !== 15) return null;
  if (minor === 0) return 'Exchange2013';
  if (minor === 1) return 'Exchange2016';
  if (minor === 2) return (cu ?? 0) >= 2562 ? 'ExchangeSE' : 'Exchange2019';
  return null;
}

/**
 * HealthChecker's CU level of a build (Get-ExchangeBuildVersionInformation): the newest CU whose
 * build is at or below it; below every listed CU, the oldest CU of its release-date table.
 */
function cuLevel(hc: HealthCheckerTables, v: Version, build: string): string {
  let best: string | null = null;
  let bestBuild = '';
  for (const [cu, e] of Object.entries(hc.buildDictionary[v] ?? {})) {
    if (cmp(e.cu, build) <= 0 && (best === null || cmp(e.cu, bestBuild) > 0)) {
      best = cu;
      bestBuild = e.cu;
    }
  }
  if (best !== null) return best;
  const dates = Object.entries(hc.cuReleaseDates[v] ?? {}).sort((a, b) => a[1].localeCompare(b[1]));
  return dates[0]?.[0] ?? 'RTM';
}

/**
 * Test-ExchangeBuildGreaterOrEqualThanSecurityPatch (Shared/CompareExchangeBuildLevel.ps1): no build
 * of the update for this version → not vulnerable; at or above the update on the newest CU that got
 * it → installed; else the update of the build's own CU decides, and a CU without it is vulnerable.
 */
function hasUpdate(hc: HealthCheckerTables, v: Version, build: string, su: string): boolean {
  const builds = Object.entries(hc.buildDictionary[v] ?? {})
    .filter(([, e]) => e.su[su] !== undefined)
    .map(([cu, e]) => ({ cu, build: e.su[su] ?? '' }));
  if (builds.length === 0) return true;
  const newest = builds.reduce((a, b) => (cmp(a.build, b.build) >= 0 ? a : b));
  if (cmp(build, newest.build) >= 0) return true;
  const own = builds.find((b) => b.cu === cuLevel(hc, v, build));
  return own !== undefined && cmp(build, own.build) >= 0;
}

/** Get-ExtendedProtectionConfigurationResult.ps1: the builds on which Extended Protection is supported. */
function epSupported(hc: HealthCheckerTables, build: string): boolean {
  const [major, minor, cu, rev] = nums(build);
  const rule = hc.extendedProtection.supportedBuilds[`${major}.${minor}`];
  if (rule === undefined || cu === undefined || rev === undefined) return false;
  if (cu > rule.laterThanBuild) return true;
  const min = rule.minRevisionOfBuild[String(cu)];
  return min !== undefined && rev >= min;
}

const atLeastCu = (hc: HealthCheckerTables, v: Version, build: string, cu: string): boolean => {
  const e = hc.buildDictionary[v]?.[cu];
  return e !== undefined && cmp(build, e.cu) >= 0;
};

/** Every CVE HealthChecker decides, with its verdict for a server of this build (2013 and later). */
export function healthCheckerVerdicts(
  hc: HealthCheckerTables,
  build: string,
  name: string,
): Map<string, HcVerdict> {
  const v = hcVersion(build);
  const out = new Map<string, HcVerdict>();
  if (v === null) return out;
  const set = (id: string, verdict: HcVerdict): void => {
    // A CVE listed under two updates is reported when either says so (CVE-2023-21707).
    if (out.get(id) !== 'vulnerable') out.set(id, verdict);
  };

  // Invoke-AnalyzerSecurityCveCheck.ps1: the update-to-CVE table. Updates from years before the
  // CU's release year are skipped (a later CU carries them); a CVE not listed for the version is not
  // reported.
  const cuYear = Number((hc.cuReleaseDates[v]?.[cuLevel(hc, v, build)] ?? '2000').slice(2, 4));
  for (const [su, entries] of Object.entries(hc.suCves)) {
    for (const e of entries) {
      for (const id of e.cves) {
        if (!e.versions.includes(v)) {
          if (!out.has(id)) out.set(id, 'fixed');
          continue;
        }
        const skipped = Number(su.slice(3, 5)) < cuYear;
        set(id, !skipped && !hasUpdate(hc, v, build, su) ? 'vulnerable' : 'fixed');
      }
    }
  }
  // The CVEs whose fix an override can switch off: in setup's configuration, the update decides.
  for (const o of hc.overrideCves) set(o.cve, hasUpdate(hc, v, build, o.su) ? 'fixed' : 'vulnerable');

  // Invoke-AnalyzerSecurityExtendedProtectionConfigState.ps1: reported unless Extended Protection is
  // supported and on; setup turns it on from 2019 CU14 (and SE).
  const epOnByDefault = v === 'ExchangeSE' || (v === 'Exchange2019' && atLeastCu(hc, v, build, 'CU14'));
  for (const id of hc.extendedProtection.cves)
    out.set(id, !epSupported(hc, build) ? 'vulnerable' : epOnByDefault ? 'fixed' : 'config');

  // Invoke-AnalyzerSecurityCveAddressedBySerializedDataSigning.ps1 and Get-SerializedDataSigningState.ps1:
  // on by default from Nov23SU on 2016/2019/SE; on 2013 a registry switch from Jan23SU.
  const sds = hc.serializedDataSigning;
  for (const id of sds.cves) {
    if (v === 'Exchange2013')
      out.set(id, hasUpdate(hc, v, build, sds.availableFrom) ? 'config' : 'vulnerable');
    else out.set(id, hasUpdate(hc, v, build, sds.enabledByDefaultFrom) ? 'fixed' : 'vulnerable');
  }

  // Invoke-AnalyzerSecurityCve-2021-34470.ps1: 2013 below 1497.23 by build, else the AD schema;
  // 2016 below CU21 and 2019 below CU10 the AD schema; later CUs extend it at setup.
  if (v === 'Exchange2013')
    out.set('CVE-2021-34470', cmp(build, '15.0.1497.23') < 0 ? 'vulnerable' : 'config');
  else if (
    (v === 'Exchange2016' && !atLeastCu(hc, v, build, 'CU21')) ||
    (v === 'Exchange2019' && !atLeastCu(hc, v, build, 'CU10'))
  )
    out.set('CVE-2021-34470', 'config');
  else out.set('CVE-2021-34470', 'fixed');

  // Invoke-AnalyzerSecurityCve-2021-1730.ps1: Download Domains, where the feature exists.
  const downloadDomains =
    v === 'ExchangeSE' ||
    (v === 'Exchange2016' && atLeastCu(hc, v, build, 'CU18')) ||
    (v === 'Exchange2019' && atLeastCu(hc, v, build, 'CU7'));
  out.set('CVE-2021-1730', downloadDomains ? 'config' : 'fixed');

  // Invoke-AnalyzerSecurityCve-2022-21978.ps1: the domains' permissions, on every version.
  out.set('CVE-2022-21978', 'config');

  // Invoke-AnalyzerSecurityADV24199947.ps1: Mar24SU, and no override (setup's configuration).
  out.set('ADV24199947', hasUpdate(hc, v, build, 'Mar24SU') ? 'fixed' : 'vulnerable');

  // Invoke-AnalyzerSecurityCve-MarchSuSpecial.ps1: on a March 2021 update of a CU out of support it
  // cannot tell whether the earlier updates are installed and asks the owner to check.
  if (name.endsWith('Mar21SU')) {
    const kbs = hc.march2021OlderCus[v]?.[cuLevel(hc, v, build)] ?? {};
    for (const ids of Object.values(kbs))
      for (const id of ids) if (out.get(id) === 'fixed') out.set(id, 'config');
  }
  return out;
}
