// Remedies that are settings rather than builds (data-sources/settings.json), modelled once: for a
// CVE's remedy, the first build of each CU line from which the setting closes it, and whether setup
// leaves the setting on there. cves.js turns a setting that is on by default into a rule (fixed
// unless someone turned it off) and one that is off into a configuration line ("possible").
import { compareBuilds, fail } from './util.js';

/** The first build of a line whose name is "<line> <update>" or that is also known by that name. */
export function buildOfUpdate(l, update) {
  return l.builds.find((b) => b.name === `${l.line} ${update}` || (b.alsoNamed ?? []).includes(update)) ?? null;
}

/** Earliest release day of an update on any line (its day of release). */
export function updateDay(lines, update) {
  let day = null;
  for (const l of lines.values()) {
    const b = buildOfUpdate(l, update);
    if (b !== null && b.released.length === 10 && (day === null || b.released < day)) day = b.released;
  }
  return day;
}

/**
 * Extended Protection, from HealthChecker's supported-build rule: per major.minor, every CU above a
 * given build number, and on listed CUs from a given revision on.
 */
function epFirstBuild(l, supported) {
  const [major, minor, cu] = l.first.build.split('.').map(Number);
  const rule = supported[`${major}.${minor}`];
  if (rule === undefined) return null;
  if (cu > rule.laterThanBuild) return l.first;
  const minRevision = rule.minRevisionOfBuild[String(cu)];
  if (minRevision === undefined) return null;
  return l.builds.find((b) => Number(b.build.split('.')[3]) >= minRevision) ?? null;
}

const lineNumber = (l) => l.first.build;

/** Does a selector { products, before?, fromLine? } pick this line? */
function selects(sel, l, lines) {
  if (!sel.products.includes(l.product)) return false;
  const boundary = (name) => {
    const b = lines.get(`${l.product}|${name}`);
    if (b === undefined) fail(`remedy selector names ${l.product} ${name}, which is not a line`);
    return lineNumber(b);
  };
  if (sel.before !== undefined && compareBuilds(lineNumber(l), boundary(sel.before)) >= 0) return false;
  if (sel.fromLine !== undefined && compareBuilds(lineNumber(l), boundary(sel.fromLine)) < 0) return false;
  return true;
}

/**
 * From which build of a line the remedy applies: an update's build on the lines that got it, and
 * the first build of lines released after that update (CUs are cumulative); "first": every build.
 */
function fromBuild(spec, l, lines) {
  if (spec.from === 'first') return l.first;
  if (spec.fromUpdate === undefined) fail(`remedy needs "from": "first" or "fromUpdate"`);
  const b = buildOfUpdate(l, spec.fromUpdate);
  if (b !== null) return b;
  const day = updateDay(lines, spec.fromUpdate);
  if (day === null) fail(`no build of update ${spec.fromUpdate}`);
  return l.first.released >= day ? l.first : null;
}

/**
 * key "product|line" → { build, defaultOn } for the lines of the affected products on which the
 * remedy's setting can close the CVE.
 */
export function remedyLines(cve, setting, affectedLines, lines, hc) {
  const out = new Map();
  const onByDefault = (l) =>
    setting.default === 'on' ||
    (setting.onByDefault ?? []).some(
      (d) =>
        d.product === l.product &&
        (d.fromLine === undefined ||
          compareBuilds(lineNumber(l), lineNumber(lines.get(`${d.product}|${d.fromLine}`) ?? fail(`no ${d.product} ${d.fromLine}`))) >= 0),
    );
  for (const l of affectedLines) {
    let build = null;
    if (setting.availability === 'healthchecker') {
      build = epFirstBuild(l, hc.extendedProtection.supportedBuilds);
    } else if (cve.remedy.lines !== undefined) {
      const sel = cve.remedy.lines.find((s) => selects(s, l, lines));
      if (sel !== undefined) build = fromBuild(sel, l, lines);
    } else {
      build = fromBuild(cve.remedy, l, lines);
    }
    if (build !== null) out.set(`${l.product}|${l.line}`, { build, defaultOn: onByDefault(l) });
  }
  return out;
}
