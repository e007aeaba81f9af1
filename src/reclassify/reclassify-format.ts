// What `owa-audit reclassify` prints: one block per endpoint whose verdict changed, then a count.
import type { ReclassifyResult } from './reclassify-run.js';
import type { VerdictChange } from './reclassify.js';

function level(v: VerdictChange['before']): string {
  return v.certainty === 'possible' && v.patchLevel !== 'unknown'
    ? `${v.patchLevel} (possible)`
    : v.patchLevel;
}

export function formatChange(c: VerdictChange): string[] {
  const head = `${c.target}  ${c.key}  ${c.build ?? '(no build)'}`;
  const lines = [head];
  if (c.patchLevelChanged) lines.push(`    patch level: ${level(c.before)} → ${level(c.after)}`);
  if (c.releaseChanged) {
    const r = (v: VerdictChange['before']): string => `${v.release ?? 'unknown update'} [${v.precision}]`;
    lines.push(`    release: ${r(c.before)} → ${r(c.after)}`);
  }
  if (c.kevNow.length > 0) lines.push(`    now known exploited (KEV): ${c.kevNow.join(', ')}`);
  if (c.kevNoLonger.length > 0) lines.push(`    no longer a KEV finding: ${c.kevNoLonger.join(', ')}`);
  if (c.cvesAdded.length > 0) lines.push(`    CVEs added: ${c.cvesAdded.join(', ')}`);
  if (c.cvesRemoved.length > 0) lines.push(`    CVEs removed: ${c.cvesRemoved.join(', ')}`);
  return lines;
}

export function formatReclassify(r: ReclassifyResult, dryRun: boolean): string {
  const out: string[] = [];
  const was = r.previousDataVersion === null ? 'no recorded data version' : r.previousDataVersion;
  out.push(`Re-judged ${r.runDir} with knowledge base ${r.dataVersion} (the run had ${was}).`);
  for (const c of r.changes) out.push(...formatChange(c));
  const patch = r.changes.filter((c) => c.patchLevelChanged).length;
  const release = r.changes.filter((c) => c.releaseChanged).length;
  const cve = r.changes.filter(
    (c) => c.cvesAdded.length + c.cvesRemoved.length + c.kevNow.length + c.kevNoLonger.length > 0,
  ).length;
  out.push(
    `${r.rejudged} Exchange endpoint(s) re-judged: ${r.changes.length} changed ` +
      `(${patch} patch level, ${release} release, ${cve} CVE/KEV), ${r.rejudged - r.changes.length} unchanged; ` +
      `${r.untouched} record(s) without a verdict left as they were.`,
  );
  for (const f of r.failures) out.push(`Kept the old verdict of ${f.key}: ${f.message}`);
  if (dryRun) out.push('Dry run: nothing was written.');
  else if (r.written.length > 0 || r.reports !== null) {
    const files = [...r.written];
    if (r.reports !== null) {
      files.push(...[r.reports.html, r.reports.pdf, r.reports.csv].filter((p): p is string => p !== null));
      for (const o of r.reports.owners) files.push(...[o.html, o.pdf].filter((p): p is string => p !== null));
    }
    out.push('Written:', ...files.map((f) => `  ${f}`));
  }
  return `${out.join('\n')}\n`;
}
