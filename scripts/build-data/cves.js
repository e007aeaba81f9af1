// data/cves.json from the project's CVE catalogue (data-sources/cves.json): per CVE the first fixing
// build on every CU line of the affected products, the lines where only a setting closes it, the
// lines that never got a fix, its KEV flag and Microsoft's CVSS score.
import { baseScore, severityOf } from './cvss.js';
import { buildOfUpdate, remedyLines, updateDay } from './remedies.js';
import { compareBuilds, fail, onOrAfter } from './util.js';

const FIRST_UPDATE = 'first update on this line that contains the fix';
const RELEASED_AFTER = 'line released after the fix';

/** A line released after the fix carries it (CUs are cumulative); a month-only date needs a later month. */
const releasedAfter = (released, fixDay) =>
  released.length === 10 ? released > fixDay : released.slice(0, 7) > fixDay.slice(0, 7);

function ruleOf(l, b, update, basis) {
  return { product: l.product, line: l.line, minBuild: b.build, update, basis };
}

/** Rules from a CVE's fixedBy specs: by update name, by CU, or the first listed build after a day. */
function fixRules(cve, affectedLines) {
  const rules = new Map();
  for (const spec of cve.fixedBy) {
    for (const l of affectedLines) {
      if (!spec.products.includes(l.product)) continue;
      const key = `${l.product}|${l.line}`;
      if (rules.has(key)) continue;
      if (spec.update !== undefined && /^CU\d+$/.test(spec.update)) {
        if (l.line === spec.update) rules.set(key, ruleOf(l, l.first, l.line, spec.basis ?? 'the CU carries the fix'));
      } else if (spec.update !== undefined) {
        const b = buildOfUpdate(l, spec.update);
        // The March 2021 updates of CUs out of support carry only the ProxyLogon fixes (builds.js).
        if (b !== null && (b.onlyFixes === undefined || b.onlyFixes.includes(cve.id)))
          rules.set(key, ruleOf(l, b, b.name, spec.basis ?? FIRST_UPDATE));
      } else if (spec.firstBuildFrom !== undefined) {
        const b = l.builds.find((x) => onOrAfter(x.released, spec.firstBuildFrom));
        if (b !== undefined && b !== l.first)
          rules.set(key, ruleOf(l, b, b.name, spec.basis ?? FIRST_UPDATE));
      } else {
        fail(`${cve.id}: a fixedBy entry needs "update" or "firstBuildFrom"`);
      }
    }
  }
  return rules;
}

/**
 * The day the fix first shipped: the earliest day-dated rule build or update the remedy needs; for
 * a remedy that is a setting alone, the day Microsoft published the CVE.
 */
function fixDayOf(cve, rules, lines) {
  const days = [...rules.values()]
    .map((r) => lines.get(`${r.product}|${r.line}`).builds.find((b) => b.build === r.minBuild).released)
    .filter((d) => d.length === 10);
  for (const spec of cve.fixedBy) if (spec.firstBuildFrom !== undefined) days.push(spec.firstBuildFrom);
  const updates = [cve.remedy?.fromUpdate, ...(cve.remedy?.lines ?? []).map((s) => s.fromUpdate)];
  for (const u of updates) {
    const d = u === undefined ? null : updateDay(lines, u);
    if (d !== null) days.push(d);
  }
  return days.sort()[0] ?? cve.published;
}

function cvssOf(cve) {
  if (cve.cvss === null) {
    if (!cve.cvssNote) fail(`${cve.id}: no score and no note saying why`);
    return { score: null, severity: null, cvssVector: null };
  }
  const computed = baseScore(cve.cvss.vector);
  if (computed === null) fail(`${cve.id}: not a CVSS v3 base vector: ${cve.cvss.vector}`);
  if (computed !== cve.cvss.score)
    fail(`${cve.id}: score ${cve.cvss.score} does not match its vector (${computed}): a transcription error?`);
  return { score: cve.cvss.score, severity: severityOf(cve.cvss.score), cvssVector: cve.cvss.vector };
}

function caveatOf(setting) {
  return `A build number cannot show whether ${setting.name} is as it should be: ${setting.text} ${setting.check}`;
}

export function deriveCve(cve, { lines, settings, hc, kev }) {
  const affectedLines = [...lines.values()].filter((l) => cve.affects.includes(l.product));
  const rules = fixRules(cve, affectedLines);
  const setting = cve.remedy === undefined ? null : (settings.get(cve.remedy.setting) ?? fail(`${cve.id}: unknown setting`));
  const remedy = setting === null ? null : remedyLines(cve, setting, affectedLines, lines, hc);
  const fixDate = fixDayOf(cve, rules, lines);
  const config = [];
  const withoutFix = [];
  for (const l of affectedLines) {
    const key = `${l.product}|${l.line}`;
    if (rules.has(key)) continue;
    const r = remedy?.get(key);
    if (r !== undefined && r.defaultOn) {
      rules.set(key, {
        ...ruleOf(l, r.build, r.build.name, `${setting.name} is on by default from this build`),
        setting: setting.id,
      });
    } else if (r !== undefined) {
      config.push({ product: l.product, line: l.line, minBuild: r.build.build });
    } else if (releasedAfter(l.first.released, fixDate)) {
      rules.set(key, ruleOf(l, l.first, l.first.name, RELEASED_AFTER));
    } else if (l.first.released === fixDate) {
      fail(`${cve.id}: ${key} was released on the day of the fix; say in the catalogue whether it has it`);
    } else {
      withoutFix.push({ product: l.product, line: l.line });
    }
  }
  const order = (a, b) => compareBuilds(lines.get(`${a.product}|${a.line}`).first.build, lines.get(`${b.product}|${b.line}`).first.build);
  const listed = kev.get(cve.id);
  const entry = {
    id: cve.id,
    name: cve.name,
    kev: listed !== undefined,
    kevAdded: listed?.dateAdded ?? null,
    affects: cve.affects,
    fixingUpdate: fixingUpdateOf(cve, setting),
    fixDate,
    rules: [...rules.values()].sort(order),
    linesWithoutFix: withoutFix.sort(order),
    notes: [cve.notes, [...rules.values()].some((r) => r.setting !== undefined) ? caveatOf(setting) : '']
      .filter(Boolean)
      .join(' '),
    ...cvssOf(cve),
    sources: cve.sources,
  };
  if (cve.title) entry.title = cve.title;
  if (cve.cvss === null) entry.scoreNote = cve.cvssNote;
  if (config.length > 0) {
    entry.configRemedy = { setting: setting.id, lines: config.sort(order), text: `${setting.text} ${setting.check}` };
  }
  return entry;
}

function fixingUpdateOf(cve, setting) {
  const names = cve.fixedBy.map((s) =>
    s.update !== undefined
      ? `${s.products.includes('Exchange Server 2010') && s.products.length === 1 ? '2010 SP3 ' : ''}${s.update}`
      : `updates from ${s.firstBuildFrom}`,
  );
  if (cve.remedy?.fromUpdate !== undefined && !names.includes(cve.remedy.fromUpdate)) names.push(cve.remedy.fromUpdate);
  if (setting !== null) names.push(`${setting.name}${setting.default === 'on' ? ' (on by default)' : ''}`);
  return names.join(' + ') || 'see notes';
}
