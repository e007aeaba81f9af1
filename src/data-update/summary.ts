// What a data update did, for the person who ran it: the sources read, the rows skipped as bad
// (listed up to a limit, then counted by kind), new builds, changed KEV flags, what stays out of
// the verdicts, and the new data version.
import type { BuildEntry } from '../classify/data-schema.js';
import { revealControls } from '../core/text.js';
import { formatProblem, ROW_FAULTS, type RowFault, type SkippedRow, type SourceRef } from './errors.js';
import type { KevEntry } from './kev.js';
import type { DerivedRule, KevChange, UnmappedLine } from './merge-cves.js';

export interface UpdateSummary {
  userDataDir: string;
  dryRun: boolean;
  sources: {
    id: string;
    label: string;
    bytes: number;
    rows: number | null;
    catalogVersion: string | null;
    exchangeEntries: number | null;
    /** Rows (KEV: Microsoft Exchange entries) skipped as bad. */
    skipped: number;
    faults: Partial<Record<RowFault, number>>;
    /** Cells cleaned of invisible characters (zero-width spaces, byte-order marks). */
    cleaned: number;
    /** Why a build list does not make the builds current (an old copy, a new build skipped). */
    notCurrent: string | null;
  }[];
  skipped: { total: number; listed: SkippedRowJson[] };
  added: BuildEntry[];
  known: number;
  differing: { build: string; name: string; what: string }[];
  outOfScope: number;
  pruned: number;
  kevChanges: KevChange[];
  kevNotMapped: KevEntry[];
  kevAbsent: string[];
  derivedRules: DerivedRule[];
  unmappedLines: UnmappedLine[];
  notMappedToCves: BuildEntry[];
  previousVersion: string;
  dataVersion: string;
  asOf: string;
  snapshots: { builds: string; kev: string };
}

export interface SkippedRowJson {
  source: string;
  line: number | null;
  entry: string | null;
  fault: RowFault;
  message: string;
}

/** Skipped rows listed in the --json summary; beyond, only counted. */
export const MAX_SKIPPED_JSON = 200;
/** Skipped rows listed in the printed summary; beyond, counted by kind. */
export const MAX_SKIPPED_TEXT = 20;

/** Skipped rows in the order of the sources given, then of their lines. */
export function orderSkipped(sources: readonly SourceRef[], skipped: readonly SkippedRow[]): SkippedRow[] {
  return sources.flatMap((s) =>
    skipped.filter((x) => x.source === s).sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
  );
}

export function faultCounts(skipped: readonly SkippedRow[]): Partial<Record<RowFault, number>> {
  const out: Partial<Record<RowFault, number>> = {};
  for (const x of skipped) out[x.fault] = (out[x.fault] ?? 0) + 1;
  return out;
}

export function skippedSummary(skipped: readonly SkippedRow[]): UpdateSummary['skipped'] {
  return {
    total: skipped.length,
    listed: skipped.slice(0, MAX_SKIPPED_JSON).map((x) => ({
      source: revealControls(x.source.label),
      line: x.line ?? null,
      entry: x.entry ?? null,
      fault: x.fault,
      message: x.message,
    })),
  };
}

function faultList(faults: Partial<Record<RowFault, number>>): string {
  return ROW_FAULTS.filter((f) => (faults[f] ?? 0) > 0)
    .map((f) => `${faults[f] ?? 0} ${f}`)
    .join(', ');
}

const short = (product: string): string => product.replace(/^Exchange Server /, '');

function size(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function list(items: readonly string[], max = 12): string {
  return items.length <= max
    ? items.join(', ')
    : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

export function formatUpdateSummary(s: UpdateSummary): string {
  const out: string[] = [];
  out.push(`${s.dryRun ? 'Checked (dry run, nothing written)' : 'Updated'}: ${s.sources.length} source(s).`);
  for (const src of s.sources) {
    const what = [
      src.exchangeEntries !== null
        ? `catalog ${src.catalogVersion ?? '?'}, ${src.rows ?? 0} entries, ${src.exchangeEntries} Microsoft Exchange`
        : `${src.rows ?? 0} rows`,
    ];
    if (src.skipped > 0) what.push(`${src.skipped} skipped: ${faultList(src.faults)}`);
    if (src.cleaned > 0) what.push(`${src.cleaned} cell(s) cleaned of invisible characters`);
    out.push(`  ${src.id.padEnd(8)} ${revealControls(src.label)}  (${what.join('; ')}, ${size(src.bytes)})`);
    if (src.notCurrent !== null)
      out.push(`           not taken as current: ${src.notCurrent}; the builds' as-of date stays`);
  }
  if (s.skipped.total > 0) {
    out.push('', `Skipped as bad, the rest used (${s.skipped.total}):`);
    const listed = s.skipped.listed.slice(0, MAX_SKIPPED_TEXT);
    for (const x of listed) {
      out.push(
        `  ${formatProblem({ source: { label: x.source, remote: false }, line: x.line ?? undefined, entry: x.entry ?? undefined, message: x.message })}`,
      );
    }
    if (s.skipped.total > listed.length) {
      const all: Partial<Record<RowFault, number>> = {};
      for (const src of s.sources)
        for (const f of ROW_FAULTS)
          if (src.faults[f] !== undefined) all[f] = (all[f] ?? 0) + (src.faults[f] ?? 0);
      out.push(`  … and ${s.skipped.total - listed.length} more (in all: ${faultList(all)}).`);
    }
  }
  out.push('');
  const published = s.added.filter((b) => b.confidence !== 'disputed');
  const disputed = s.added.filter((b) => b.confidence === 'disputed');
  out.push(published.length === 0 ? 'New builds: none.' : `New builds (${published.length}):`);
  for (const b of published) {
    out.push(
      `  ${short(b.product).padEnd(5)} ${b.name.padEnd(16)} ${b.build.padEnd(14)} ${b.released}  ${b.kb ?? '-'}  (${b.sources.join(', ')})`,
    );
  }
  for (const b of disputed)
    out.push(`  disputed: ${short(b.product)} ${b.build} — ${b.dispute ?? ''}; never taken as proof`);
  if (s.derivedRules.length > 0) {
    const lines = [...new Set(s.derivedRules.map((d) => `${short(d.rule.product)} ${d.rule.line}`))];
    const ids = new Set(s.derivedRules.map((d) => d.cve)).size;
    out.push(
      `  New CU line(s) ${lines.join(', ')}: fixed from the first build for ${ids} CVE(s) fixed before they came out (CUs are cumulative).`,
    );
  }
  out.push('');
  const kevNew = s.kevChanges.filter((k) => !k.wasKev);
  const kevDated = s.kevChanges.filter((k) => k.wasKev);
  out.push(
    kevNew.length === 0 && kevDated.length === 0
      ? 'KEV flags: no change.'
      : `KEV flags changed (${s.kevChanges.length}):`,
  );
  for (const k of kevNew)
    out.push(`  ${k.cve}  now known exploited (CISA added it ${k.dateAdded})  ${k.name}`);
  for (const k of kevDated) out.push(`  ${k.cve}  KEV date ${k.previousAdded ?? '?'} → ${k.dateAdded}`);
  if (s.kevAbsent.length > 0) {
    out.push(`  Kept as known exploited although this catalog does not list them: ${list(s.kevAbsent)}.`);
  }

  const notUsed: string[] = [];
  if (s.notMappedToCves.length > 0) {
    notUsed.push(
      `  ${s.notMappedToCves.length} new security update(s) not yet mapped to CVEs: ${list(s.notMappedToCves.map((b) => `${short(b.product)} ${b.name}`))}.\n` +
        '    They count as the newest update of their line (older builds become outdated); which CVEs they fix is not in the data.',
    );
  }
  if (s.kevNotMapped.length > 0) {
    notUsed.push(
      `  In KEV, not mapped to fixing builds — not used in verdicts: ${list(s.kevNotMapped.map((k) => k.cve))}.`,
    );
  }
  for (const u of s.unmappedLines)
    notUsed.push(`  ${u.cve}: no fix known for ${u.product} ${u.line} (released before the fix).`);
  if (notUsed.length > 0) out.push('', 'Not used in verdicts:', ...notUsed);

  const skipped = [`${s.known} row(s) already in the data`];
  if (s.differing.length > 0)
    skipped.push(`${s.differing.length} of them differ in date or KB (the data's values kept)`);
  if (s.outOfScope > 0)
    skipped.push(`${s.outOfScope} older than the data covers (Exchange 2007, Exchange 2010 before SP3)`);
  if (s.pruned > 0)
    skipped.push(`${s.pruned} earlier addition(s) now in the shipped data, dropped from the user data`);
  out.push('', `Unchanged: ${skipped.join('; ')}.`);
  for (const d of s.differing.slice(0, 5)) out.push(`  ${d.build} ${d.name}: ${d.what}`);

  out.push(
    '',
    `Knowledge base ${s.dataVersion} (as of ${s.asOf}; builds ${s.snapshots.builds}, KEV ${s.snapshots.kev})` +
      (s.previousVersion === s.dataVersion ? ', unchanged.' : `, was ${s.previousVersion}.`),
    s.dryRun ? `Nothing was written to ${s.userDataDir}.` : `User data: ${s.userDataDir}`,
  );
  return `${out.join('\n')}\n`;
}
