// data/meta.json: format, as-of date, the sources behind the data with their versions, known gaps.

// data-sources/README.md: the build list's newest source snapshot is of 2026-08-20.
const AS_OF = '2026-08-20';

export function metaOf({ builds, cves, notIncluded, hc, kevSource }) {
  const kev = cves.filter((c) => c.kev).length;
  const unscored = cves.filter((c) => c.score === null).map((c) => c.id);
  return {
    format: 'owa-audit/data@1',
    asOf: AS_OF,
    description:
      `Exchange Server builds (2010 SP3 to SE Aug26SU, ${builds.length} entries), ${cves.length} CVEs and advisories ` +
      `fixed by Exchange security and hotfix updates since 2016 (${kev} on CISA's KEV list) with their first fixing build ` +
      'per CU line, settings that must be on, KEV flags, Microsoft CVSS scores and lifecycle dates, derived from ' +
      "Microsoft's build list, Microsoft's ExchangeBuildNumbers.csv, CSS-Exchange HealthChecker, Microsoft's CVE records, " +
      'MSRC, eightwone.com and CISA KEV.',
    sources: [
      {
        id: 'mslearn',
        what: 'Microsoft Learn "Exchange Server build numbers and release dates" (via righel/ms-exchange-version-nse)',
        ref: 'c5a7ccffe02c2154eadbb172c90d480ee90b67a7 (2026-08-20)',
      },
      {
        id: 'msdocs2021',
        what: 'MicrosoftDocs/OfficeDocs-Exchange build-numbers-and-release-dates.md',
        ref: '52e8b70f9b7aa92a24a4cb16b70229c1b45d583a (2021-07-12)',
      },
      {
        id: 'gebn',
        what: 'microsoft/Get-ExchangeBuildNumber ExchangeBuildNumbers.csv',
        ref: 'a2c819b81a8f35b910ac65218e9afb4a13a949e4 (2026-08-19)',
      },
      {
        id: 'hc',
        what: 'microsoft/CSS-Exchange HealthChecker: build table, CVE-to-update table, Extended Protection supported builds, setting checks',
        ref: `${hc.commit} (${hc.date})`,
      },
      {
        id: 'eightwone',
        what: 'eightwone.com versions-builds-dates (rows Microsoft lacks; month-only dates)',
        ref: 'via righel, same commit',
      },
      {
        id: 'msrc',
        what: 'MSRC affected products per CVE (righel cves_affected_products_dict.json)',
        ref: 'via righel, same commit',
      },
      {
        id: 'cvelist',
        what: "Microsoft's CVE records (CVEProject/cvelistV5): CVSS v3 base scores, first unaffected builds, CISA's KEV enrichment",
        ref: 'per CVE, commit cited in its sources',
      },
      {
        id: 'kev',
        what: 'CISA KEV known_exploited_vulnerabilities.json, Exchange entries',
        ref: `catalog ${kevSource.catalog}; later additions cited per entry (data-sources/kev.json)`,
      },
    ],
    knownGaps: [
      ...Object.entries(notIncluded.not_included).map(([id, why]) => `${id}: ${why}`),
      `${unscored.length} CVEs have no CVSS score (${unscored.join(', ')}): Microsoft's CVE records of that time carry none, and no other Microsoft source for them was available.`,
      "KEV status after 2025-08-25 is known only from CISA's enrichment of single CVE records and press reports (data-sources/kev.json).",
      'The end day of ESU period 2 for Exchange 2016/2019 (October 2026) was not established.',
      'Pre-2018 interim updates are listed by eightwone.com only, with month dates; the updates of 2016–2017 for CUs that were already superseded are missing from every build list.',
    ],
  };
}
