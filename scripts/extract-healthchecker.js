#!/usr/bin/env node
// Extracts the facts owa-audit checks its knowledge base against from Microsoft's CSS-Exchange
// HealthChecker (github.com/microsoft/CSS-Exchange): which update fixes which CVE, the build of
// every update per CU, the CU release dates, and the builds on which Extended Protection can be
// turned on. Data only — no HealthChecker code is copied or run. Run by hand against a local git
// copy of the repository; its output (data-sources/healthchecker.json) is committed:
//
//   node scripts/extract-healthchecker.js <CSS-Exchange git dir> <commit> [out-file]
//
// What is read, and from which file, is written into the output's "files" field.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import console from 'node:console';

const [gitDir, commit, outArg] = process.argv.slice(2);
if (gitDir === undefined || commit === undefined) {
  console.error('usage: extract-healthchecker.js <CSS-Exchange git dir> <commit> [out-file]');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const out = outArg ?? join(here, '../data-sources/healthchecker.json');

const FILES = {
  builds: 'Shared/Get-ExchangeBuildVersionInformation.ps1',
  cves: 'Diagnostics/HealthChecker/Analyzer/Security/Invoke-AnalyzerSecurityCveCheck.ps1',
  ep: 'Shared/IISFunctions/ExtendedProtection/Get-ExtendedProtectionConfigurationResult.ps1',
  epCves: 'Diagnostics/HealthChecker/Analyzer/Security/Invoke-AnalyzerSecurityExtendedProtectionConfigState.ps1',
  sds: 'Diagnostics/HealthChecker/Analyzer/Security/Invoke-AnalyzerSecurityCveAddressedBySerializedDataSigning.ps1',
  sdsState: 'Diagnostics/HealthChecker/Analyzer/Security/Get-SerializedDataSigningState.ps1',
  march2021: 'Diagnostics/HealthChecker/Analyzer/Security/Invoke-AnalyzerSecurityCve-MarchSuSpecial.ps1',
};
const show = (path) =>
  execFileSync('git', ['--git-dir', gitDir, 'show', `${commit}:${path}`], { encoding: 'utf8' }).replace(
    /^\uFEFF/,
    '',
  );
const date = execFileSync('git', ['--git-dir', gitDir, 'show', '-s', '--format=%cs', commit], {
  encoding: 'utf8',
}).trim();
function fail(message) {
  console.error(`extract-healthchecker: ${message}`);
  process.exit(1);
}

// --- build dictionary: version → CU → { cu: build, su: { name: build } } -----------------------
const buildsText = show(FILES.builds);
const dictStart = buildsText.indexOf('function GetExchangeBuildDictionary');
if (dictStart < 0) fail('no GetExchangeBuildDictionary');
const dictText = buildsText.slice(dictStart);
const buildDictionary = {};
let version = null;
let cu = null;
for (const line of dictText.split('\n')) {
  let m = /^\s*"(Exchange(?:2013|2016|2019|SE))"\s*=\s*@\{/.exec(line);
  if (m) {
    version = m[1];
    buildDictionary[version] = {};
    continue;
  }
  m = /^\s*"(RTM|CU\d+)"\s*=\s*\(NewCUAndSUObject "([\d.]+)"/.exec(line);
  if (m && version) {
    cu = m[1];
    buildDictionary[version][cu] = { cu: m[2], su: {} };
    continue;
  }
  m = /^\s*"(\w+(?:SU|HU)\w*)"\s*=\s*"([\d.]+)"/.exec(line);
  if (m && version && cu) buildDictionary[version][cu].su[m[1]] = m[2];
}
for (const v of ['Exchange2013', 'Exchange2016', 'Exchange2019', 'ExchangeSE'])
  if (!buildDictionary[v]) fail(`no ${v} in the build dictionary`);

// --- CU release dates: the $cuLevel / $cuReleaseDate pairs of each version's switch -----------
const cuReleaseDates = {};
const sectionOf = {
  'Exchange Server SE is detected': 'ExchangeSE',
  'Exchange 2019 is detected': 'Exchange2019',
  'Exchange 2016 is detected': 'Exchange2016',
  'Exchange 2013 is detected': 'Exchange2013',
};
let section = null;
let level = null;
for (const line of buildsText.slice(0, dictStart).split('\n')) {
  const s = Object.keys(sectionOf).find((k) => line.includes(k));
  if (s) {
    section = sectionOf[s];
    cuReleaseDates[section] = {};
    continue;
  }
  let m = /\$cuLevel = "(\w+)"/.exec(line);
  if (m) level = m[1];
  m = /\$cuReleaseDate = "(\d\d)\/(\d\d)\/(\d{4})"/.exec(line);
  if (m && section && level) cuReleaseDates[section][level] = `${m[3]}-${m[1]}-${m[2]}`;
}

// --- SU name → CVEs (and the versions each CVE is reported for) --------------------------------
const cveText = show(FILES.cves);
const dictBody = /\$suNameDictionary = @\{([\s\S]*?)\n\s*\}\n/.exec(cveText)?.[1] ?? fail('no $suNameDictionary');
const versionVars = {};
for (const m of cveText.matchAll(/\$(ex\w+) = (@\([^)]*\)|"[^"]*")/g)) {
  versionVars[m[1]] = [...m[2].matchAll(/"([^"]+)"/g)].map((x) => x[1]);
}
const versionsOf = (expr) =>
  [...expr.matchAll(/\$(ex\w+)/g)].flatMap((m) => versionVars[m[1]] ?? fail(`unknown ${m[1]}`));
const suCves = {};
for (const line of dictBody.split('\n')) {
  const m = /^\s*"(\w+)"\s*=\s*(.*)$/.exec(line);
  if (!m) continue;
  const entries = [];
  for (const e of m[2].matchAll(/NewCveEntry\s+(@\([^)]*\)|"[^"]*"|\([^)]*\))\s+(@\([^)]*\)|\$\w+)/g)) {
    const cves = [...e[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]);
    entries.push({ cves, versions: versionsOf(e[2]) });
  }
  if (entries.length === 0) fail(`no CVEs for ${m[1]}`);
  suCves[m[1]] = entries;
}

// CVEs whose fix an Exchange setting override can switch off again: SU + CVE + the overrides.
const overrideCves = [];
for (const block of cveText.split('$cveAndOverrideCheckParamList.Add(').slice(1)) {
  const su = /SUName\s*=\s*"(\w+)"/.exec(block)?.[1];
  const cve = /CVEName\s*=\s*"([\w-]+)"/.exec(block)?.[1];
  if (!su || !cve) fail('cannot read an override check');
  const overrides = [...block.matchAll(/FilterComponentName = "(\w+)"\s*FilterSectionName\s*=\s*"(\w+)"\s*FilterParameterName = "(\w+)"/g)].map(
    (m) => ({ component: m[1], section: m[2], parameter: m[3] }),
  );
  if (overrides.length === 0) fail(`no override for ${cve}`);
  overrideCves.push({ su, cve, overrides });
}

// --- Extended Protection: the CVEs it remedies and the builds that support it -------------------
const epCves = /\$cveList = "([^"]+)"/.exec(show(FILES.epCves))?.[1].split(/,\s*/) ?? fail('no EP CVE list');
const epText = show(FILES.ep);
const epSupport = {};
for (const m of epText.matchAll(/\$ExSetupVersion\.Minor -eq (\d)\) \{\s*\$supportedVersion = ([^}]*?)\n\s*\}/g)) {
  const minor = `15.${m[1]}`;
  const rule = { laterThanBuild: null, minRevisionOfBuild: {} };
  for (const c of m[2].matchAll(/\$ExSetupVersion\.Build -gt (\d+)/g)) rule.laterThanBuild = Number(c[1]);
  for (const c of m[2].matchAll(/\$ExSetupVersion\.Build -eq (\d+) -and \$ExSetupVersion\.Revision -ge (\d+)/g))
    rule.minRevisionOfBuild[c[1]] = Number(c[2]);
  epSupport[minor] = rule;
}
if (Object.keys(epSupport).length !== 3) fail('cannot read the Extended Protection supported builds');

// --- Serialized data signing: the CVEs it remedies and the updates that bring it ----------------
const sdsCves = [...(/foreach \(\$cve in @\(([^)]*)\)\)/.exec(show(FILES.sds))?.[1] ?? fail('no SDS CVEs')).matchAll(/"([^"]+)"/g)].map((m) => m[1]);
const sdsState = show(FILES.sdsState);
const sdsSus = [...sdsState.matchAll(/-SUName "(\w+)"/g)].map((m) => m[1]);
if (sdsSus.length !== 2) fail('cannot read the serialized data signing updates');

// --- March 2021 updates for CUs out of support: the earlier updates (KB → CVEs) whose installation
// HealthChecker cannot read from the build and asks the owner to check --------------------------
const marchText = show(FILES.march2021);
const marchVars = {};
for (const m of marchText.matchAll(/\$(isE\d\dCU\d+) = \$null\s*\n\s*Test-ExchangeBuildEqualBuild [^\n]*-Version \$(ex\d+) -CU "(CU\d+)"/g)) {
  marchVars[m[1]] = { version: versionVars[m[2]]?.[0] ?? /"([^"]+)"/.exec(marchText.slice(marchText.indexOf(`$${m[2]} =`)))?.[1], cu: m[3] };
}
const march2021OlderCus = {};
for (const m of marchText.matchAll(/if \(\$(isE\d\dCU\d+)\) \{\s*\$KBCveComb = @\{([^}]*)\}/g)) {
  const where = marchVars[m[1]] ?? fail(`unknown ${m[1]}`);
  const kbs = {};
  for (const k of m[2].matchAll(/(KB\d+) = ((?:"[^"]+"(?:,\s*)?)+)/g)) kbs[k[1]] = [...k[2].matchAll(/"([^"]+)"/g)].map((x) => x[1]);
  (march2021OlderCus[where.version] ??= {})[where.cu] = kbs;
}
if (Object.keys(march2021OlderCus).length !== 3) fail('cannot read the March 2021 special check');

const result = {
  source: 'github.com/microsoft/CSS-Exchange',
  commit,
  date,
  files: FILES,
  buildDictionary,
  cuReleaseDates,
  suCves,
  overrideCves,
  extendedProtection: { cves: epCves, supportedBuilds: epSupport },
  serializedDataSigning: { cves: sdsCves, availableFrom: sdsSus[0], enabledByDefaultFrom: sdsSus[1] },
  march2021OlderCus,
};
writeFileSync(out, `${JSON.stringify(result, null, 1)}\n`);
console.log(
  `extract-healthchecker: ${Object.keys(suCves).length} updates, ${overrideCves.length} override checks, ` +
    `${epCves.length} EP CVEs, ${sdsCves.length} SDS CVEs -> ${out}`,
);
