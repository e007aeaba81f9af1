#!/usr/bin/env node
// Derives the project's own knowledge base (data/*.json) from the reference dataset in
// ../shared/reference/data/. Run by hand when the reference changes; its output is committed and
// ships in the package — the tool never reads the reference at run time.
//
//   node scripts/build-data.js [reference-dir] [out-dir]
//
// The output is deterministic (sorted, stable key order) so that re-running it without changes in
// the reference produces no diff. Everything curated by hand below cites the reference text it
// encodes; nothing else is typed in.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import console from 'node:console';

const here = dirname(fileURLToPath(import.meta.url));
const refDir = resolve(process.argv[2] ?? join(here, '../../shared/reference/data'));
const outDir = resolve(process.argv[3] ?? join(here, '../data'));

const AS_OF = '2026-08-20'; // DATASET.md: righel automatic update 2026-08-20 is the newest source snapshot

const read = (name) => JSON.parse(readFileSync(join(refDir, name), 'utf8'));
const refBuilds = read('builds.json');
const refCves = read('cves.json');
const refLifecycle = read('lifecycle.json');
const refNotIncluded = read('cves_not_included.json');

const parts = (b) => b.split('.').map(Number);
function compareBuilds(a, b) {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}
const cu = (b) => b.split('.').slice(0, 3).join('.');
function fail(message) {
  console.error(`build-data: ${message}`);
  process.exit(1);
}

// --- builds -----------------------------------------------------------------------------------

// DATASET.md "Classification caveats": the March 2021 SUs for CUs that were already out of support
// contain only the four ProxyLogon fixes, so their higher revision does not imply earlier SUs.
const PROXYLOGON = ['CVE-2021-26855', 'CVE-2021-26857', 'CVE-2021-26858', 'CVE-2021-27065'];
const MARCH_2021_OLDER_CU_LINES = {
  'Exchange Server 2013': ['SP1', 'CU21', 'CU22'],
  'Exchange Server 2016': ['CU8', 'CU9', 'CU10', 'CU11', 'CU12', 'CU13', 'CU14', 'CU15', 'CU16', 'CU17'],
  'Exchange Server 2019': ['RTM', 'CU1', 'CU2', 'CU3', 'CU4', 'CU5', 'CU6'],
};

// eightwone-only rows carry the product year in the name ("2016 CU9 + KB4340731", "2019 + KB4471389");
// the product is a field of its own, so names follow the "CU23 Nov24SUv2" style of the others.
function cleanName(name, line) {
  const m = /^20(?:13|16|19) (.*)$/.exec(name);
  if (!m) return name;
  return m[1].startsWith('+ ') ? `${line} ${m[1]}` : m[1];
}

// Microsoft's support site resolves /help/<number> to the KB article of an update.
const kbUrl = (kb) => (kb ? `https://support.microsoft.com/help/${kb.replace(/^KB/, '')}` : null);

const builds = refBuilds
  .map((b) => {
    const onlyFixes =
      b.name.endsWith('Mar21SU') && (MARCH_2021_OLDER_CU_LINES[b.product] ?? []).includes(b.line)
        ? PROXYLOGON
        : undefined;
    const entry = {
      build: b.build,
      product: b.product,
      line: b.line,
      name: cleanName(b.name, b.line),
      kind: b.kind,
      released: b.released,
      kb: b.kb ?? null,
      url: kbUrl(b.kb),
      confidence: b.confidence,
      sources: [...b.source].sort(),
    };
    if (b.dispute) entry.dispute = b.dispute;
    if (b.date_note) entry.dateNote = b.date_note;
    if (b.hc_also_named) entry.alsoNamed = b.hc_also_named;
    if (onlyFixes) entry.onlyFixes = onlyFixes;
    return entry;
  })
  .sort((a, b) => compareBuilds(a.build, b.build));

for (const [product, lines] of Object.entries(MARCH_2021_OLDER_CU_LINES)) {
  for (const line of lines) {
    if (
      !builds.some(
        (b) => b.product === product && b.line === line && b.onlyFixes && b.confidence !== 'disputed',
      )
    ) {
      fail(`no March 2021 SU found for ${product} ${line}`);
    }
  }
}

// --- CVEs -------------------------------------------------------------------------------------

// cves.json notes for CVE-2024-21410: on 2016 CU23 and 2019 CU13 (the lines MSRC lists) the remedy
// is to turn Extended Protection on, which a build number cannot show.
const CONFIG_REMEDIES = {
  'CVE-2024-21410': {
    lines: [
      { product: 'Exchange Server 2016', line: 'CU23' },
      { product: 'Exchange Server 2019', line: 'CU13' },
    ],
    text:
      'Turn on Extended Protection on every Exchange server (Microsoft ExchangeExtendedProtectionManagement.ps1 script; ' +
      'possible from the August 2022 security update onward). A build number cannot show whether it is on.',
  },
};

const nonDisputedLines = new Map(); // "product|line" -> first build
for (const b of builds) {
  if (b.confidence === 'disputed') continue;
  const key = `${b.product}|${b.line}`;
  if (!nonDisputedLines.has(key)) nonDisputedLines.set(key, b);
}

const splitLine = (s) => {
  const m = /^(Exchange Server (?:2007|2010|2013|2016|2019|SE)) (\S+)$/.exec(s);
  if (!m) fail(`cannot split line "${s}"`);
  return { product: m[1], line: m[2] };
};

const cves = refCves.map((c) => {
  const strict = new Map((c.fixed_in_strict ?? []).map((b) => [cu(b), b]));
  const rules = c.rules.map((r) => {
    const rule = {
      product: r.product,
      line: r.line,
      minBuild: r.min_build,
      update: r.update,
      basis: r.basis,
    };
    const s = strict.get(cu(r.min_build));
    if (s && compareBuilds(s, r.min_build) > 0) rule.strictMinBuild = s;
    if (!builds.some((b) => b.build === r.min_build && b.confidence !== 'disputed'))
      fail(`${c.cve}: min_build ${r.min_build} not a build`);
    return rule;
  });
  const withoutFix = c.lines_without_fix.map(splitLine);
  // Lines of an affected product that the reference lists neither as fixed nor as never fixed
  // (only the 2019 Preview line): they predate every fix and never received one.
  for (const [key, first] of nonDisputedLines) {
    const [product, line] = key.split('|');
    if (!c.affects.includes(product)) continue;
    const known =
      rules.some((r) => r.product === product && r.line === line) ||
      withoutFix.some((w) => w.product === product && w.line === line);
    if (known) continue;
    if (first.released >= c.fix_date) fail(`${c.cve}: ${key} released after the fix but has no rule`);
    withoutFix.push({ product, line });
  }
  const entry = {
    id: c.cve,
    name: c.name,
    kev: c.kev,
    kevAdded: c.kev_added ?? null,
    affects: c.affects,
    fixingUpdate: c.fixing_update,
    fixDate: c.fix_date,
    rules,
    linesWithoutFix: withoutFix,
    notes: c.notes,
  };
  if (CONFIG_REMEDIES[c.cve]) entry.configRemedy = CONFIG_REMEDIES[c.cve];
  return entry;
});

// --- lifecycle --------------------------------------------------------------------------------

const versionsOf = {
  'Exchange Server 2007': '8.x',
  'Exchange Server 2010': '14.x',
  'Exchange Server 2013': '15.0',
  'Exchange Server 2016': '15.1',
  'Exchange Server 2019': '15.2 (build < 2562)',
  'Exchange Server SE': '15.2 (build >= 2562)',
};
const eligibleLines = (s) => [...s.matchAll(/CU\d+/g)].map((m) => m[0]);
const monthOrDay = (s) => (/^\d{4}-\d{2}(-\d{2})?/.exec(s) ?? fail(`bad date ${s}`))[0];

const products = refLifecycle.map((p) => {
  const entry = {
    product: p.product,
    versions: versionsOf[p.product],
    released: p.release,
    mainstreamEnd: p.mainstream_end,
    extendedEnd: p.extended_end,
    esu: (p.esu ?? []).map((e) => {
      const esu = {
        period: e.period,
        start: monthOrDay(e.start),
        end: monthOrDay(e.end),
        eligibleLines: eligibleLines(e.eligible),
      };
      if (e.end.length > 10) esu.endNote = e.end.slice(e.end.indexOf('(') + 1, -1);
      if (e.confidence) esu.confidence = e.confidence;
      return esu;
    }),
    confidence: p.confidence,
    notes: [p.notes, p.policy].filter(Boolean),
  };
  // exchange-fingerprinting.md §0: 2007 is older than the build list; its last rollup is known.
  if (p.product === 'Exchange Server 2007') entry.finalBuild = { build: '8.3.517.0', name: 'SP3 RU23' };
  return entry;
});

// --- meta -------------------------------------------------------------------------------------

const meta = {
  format: 'owa-audit/data@1',
  asOf: AS_OF,
  description:
    'Exchange Server builds (2010 SP3 to SE Aug26SU), 31 CVEs with their first fixing build per CU line, KEV flags and ' +
    "lifecycle dates, derived from Microsoft's build list, Microsoft's ExchangeBuildNumbers.csv, CSS-Exchange " +
    'HealthChecker, eightwone.com, MSRC and CISA KEV.',
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
      what: 'microsoft/CSS-Exchange HealthChecker build and CVE tables',
      ref: 'f88378b1e7a252e413cb2e579e88411393737c11 (2026-04-02)',
    },
    {
      id: 'eightwone',
      what: 'eightwone.com versions-builds-dates (rows Microsoft lacks; month-only dates)',
      ref: 'via righel, same commit',
    },
    {
      id: 'msrc',
      what: 'MSRC affected products (righel cves_affected_products_dict.json)',
      ref: 'via righel, same commit',
    },
    {
      id: 'kev',
      what: 'CISA KEV known_exploited_vulnerabilities.json',
      ref: 'cisagov/kev-data eacf03ec6637cc7be6d3d4ed50785493da5126a2 (2025-08-25); CVE-2023-21529 (2026-04-13) from press quoting CISA',
    },
  ],
  knownGaps: [
    ...Object.entries(refNotIncluded.not_included).map(([id, why]) => `${id}: ${why}`),
    'KEV status after 2025-08-25 is known only for CVE-2023-21529 (press reports).',
    'The end day of ESU period 2 for Exchange 2016/2019 (October 2026) was not established.',
    'Pre-2018 interim updates are listed by eightwone.com only, with month dates.',
  ],
};

// --- write ------------------------------------------------------------------------------------

mkdirSync(outDir, { recursive: true });
const write = (name, value) => writeFileSync(join(outDir, name), `${JSON.stringify(value, null, 1)}\n`);
write('meta.json', meta);
write('builds.json', { builds });
write('cves.json', { cves });
write('lifecycle.json', { products });
console.log(
  `build-data: ${builds.length} builds, ${cves.length} CVEs, ${products.length} products -> ${outDir}`,
);
