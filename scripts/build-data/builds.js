// data/builds.json from data-sources/builds.json: every listed build with a clean name, a KB link,
// and — for the March 2021 updates of CUs already out of support — the only fixes they carry.
import { compareBuilds, fail } from './util.js';

// data-sources/README.md ("The March 2021 updates for older CUs"): those updates contain only the
// four ProxyLogon fixes, so their higher revision does not imply the earlier updates of the CU.
export const PROXYLOGON = ['CVE-2021-26855', 'CVE-2021-26857', 'CVE-2021-26858', 'CVE-2021-27065'];
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

export function deriveBuilds(source) {
  const builds = source
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
      if (!builds.some((b) => b.product === product && b.line === line && b.onlyFixes && b.confidence !== 'disputed'))
        fail(`no March 2021 SU found for ${product} ${line}`);
    }
  }
  return builds;
}

/**
 * The published (non-disputed) CU lines: key "product|line" → { product, line, builds (ascending),
 * first }, in build order.
 */
export function linesOf(builds) {
  const lines = new Map();
  for (const b of builds) {
    if (b.confidence === 'disputed') continue;
    const key = `${b.product}|${b.line}`;
    const l = lines.get(key) ?? { product: b.product, line: b.line, builds: [], first: b };
    l.builds.push(b);
    lines.set(key, l);
  }
  return lines;
}
