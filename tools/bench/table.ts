// The summary printed at the end of a bench run: one table per section, figure | reference |
// ratio | goal (the same rows as README's Performance table, figure-rows.ts).
import { figureTables, goalText, ratioText } from './figure-rows.js';
import { browserText } from './machine.js';
import type { BenchResults } from './results.js';

type Cell = string | number | null;

function cell(v: Cell): string {
  if (v === null) return '–';
  return typeof v === 'number' ? v.toLocaleString('en-GB') : v;
}

/** A left-aligned first column and right-aligned figures. */
export function table(header: string[], rows: Cell[][]): string {
  const text = [header, ...rows.map((r) => r.map(cell))];
  const widths = header.map((_, i) => Math.max(...text.map((r) => (r[i] ?? '').length)));
  return text
    .map(
      (r) =>
        `  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')}`,
    )
    .join('\n');
}

/** The run's heading line: version, mode, date, machine, load, the browser that printed, wall time. */
export function runHeading(r: BenchResults): string {
  const m = r.machine;
  const browser = browserText(m);
  return `owa-audit ${m.toolVersion} bench (${r.mode}) — ${m.date.slice(0, 10)}, ${m.nproc} CPU (${m.cpuModel}), ${m.ramGb} GB RAM, Node ${m.node}, load ${m.loadAverage} at start${browser === null ? '' : `; PDFs printed by ${browser}`}; ${r.wallSeconds} s`;
}

export function summaryTable(r: BenchResults): string {
  const out: string[] = [runHeading(r)];
  for (const t of figureTables(r)) {
    out.push(`\n${t.title}`);
    out.push(
      table(
        ['what', 'figure', 'reference', 'ratio', 'goal'],
        t.rows.map((x) => [x.what, x.figure, x.reference, ratioText(x.ratio), goalText(x)]),
      ),
    );
  }
  const sections = Object.entries(r.sectionSeconds).map(([k, v]) => `${k} ${cell(v ?? null)} s`);
  if (sections.length > 0) out.push(`\nWall time by section: ${sections.join(', ')}`);
  if (r.failures.length > 0)
    out.push(`\nFAILED:\n${r.failures.map((f) => `  - ${f.section}: ${f.error}`).join('\n')}`);
  if (r.notes.length > 0) out.push(`\nNotes:\n${r.notes.map((n) => `  - ${n}`).join('\n')}`);
  return `${out.join('\n')}\n`;
}
