// README's Performance table from a bench run's JSON (`npm run bench:readme -- FILE`): the same
// rows as the printed summary, as Markdown, with the run it came from.
import { figureTables, goalText, ratioText } from './figure-rows.js';
import { browserText } from './machine.js';
import type { BenchResults } from './results.js';

/** Markdown table cells: pipes escaped, line breaks flattened. */
function md(text: string | null): string {
  return (text ?? '–').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

export function markdownReport(r: BenchResults): string {
  const m = r.machine;
  // Results written before the browser was recorded say nothing about it.
  const browser = browserText(m);
  const out: string[] = [
    `Measured by \`${r.command}\` (${r.mode}), ${m.date.slice(0, 10)}, ${m.nproc} CPUs (${m.cpuModel}), ${m.ramGb} GB RAM, Node ${m.node}, load ${m.loadAverage} at the start${browser === null ? '' : `; PDFs printed by ${md(browser)}`}; ${r.wallSeconds} s in all. Ratios within one run are the figures to compare.`,
  ];
  for (const t of figureTables(r)) {
    out.push(
      '',
      `**${md(t.title)}**`,
      '',
      '| what | figure | reference | ratio | goal |',
      '|---|---:|---:|---:|---|',
    );
    for (const x of t.rows)
      out.push(
        `| ${md(x.what)} | ${md(x.figure)} | ${md(x.reference)} | ${ratioText(x.ratio)} | ${md(goalText(x))} |`,
      );
  }
  if (r.failures.length > 0)
    out.push(
      '',
      `Sections that failed: ${r.failures.map((f) => `${f.section} (${md(f.error)})`).join('; ')}.`,
    );
  return `${out.join('\n')}\n`;
}
