import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import type { ReportFiles } from '../../outputs/report-files.js';
import type { ReportFormat } from '../../outputs/formats.js';
import { resolveHistoryPath } from '../../history/config.js';
import { addHistoryOptions } from '../history-options.js';
import { commandClock } from '../clock.js';
import { boundHeapGrowth } from '../v8-tuning.js';

/**
 * "html,pdf" → ['html', 'pdf']; an unknown word is bad input (exit status 2). The formats come
 * with the report modules, which the command loads when it runs.
 */
export function parseFormats(list: string, known: readonly ReportFormat[]): ReportFormat[] {
  const words = list
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w !== '');
  if (words.length === 0) throw new InputError(`--format: empty list (choose from ${known.join(', ')})`);
  for (const w of words) {
    if (!(known as readonly string[]).includes(w)) {
      throw new InputError(
        `--format: unknown format ${JSON.stringify(w.slice(0, 40))} (choose from ${known.join(', ')})`,
      );
    }
  }
  return [...new Set(words as ReportFormat[])];
}

/** Written files, one path per line, for stdout (what the command was asked for). */
export function writtenPaths(files: ReportFiles): string[] {
  const paths = [files.html, files.pdf, files.csv, files.intelmq];
  for (const o of files.owners) paths.push(o.html, o.pdf, o.eml);
  return paths.filter((p): p is string => p !== null);
}

export function registerReport(program: Command): void {
  const command = program
    .command('report')
    .description('write the HTML, PDF and CSV reports of a run directory')
    .argument('<run-dir>', 'run directory written by scan')
    .option('--format <list>', 'comma-separated: html,pdf,csv,intelmq', 'html,pdf,csv')
    .option(
      '--per-owner',
      'also write one report per owner under owners/ (with the PDFs: an .eml notification draft each)',
    )
    .option(
      '--intelmq-severity',
      'intelmq.jsonl: also write the top-level severity field of IntelMQ 3.5 and newer (older IntelMQ refuses the whole file); extra.severity is always there',
    );
  addHistoryOptions(command).action(
    async (
      runDir: string,
      opts: { format: string; perOwner?: boolean; intelmqSeverity?: boolean; history?: string | boolean },
    ) => {
      boundHeapGrowth();
      // The command's modules load when it runs, not when the CLI starts (issue 17).
      const { REPORT_FORMATS, writeReports } = await import('../../outputs/write-reports.js');
      const formats = parseFormats(opts.format, REPORT_FORMATS);
      if (opts.intelmqSeverity === true && !formats.includes('intelmq'))
        throw new InputError('needs the intelmq format (--format intelmq, or a list with it)', {
          file: 'command line',
          field: '--intelmq-severity',
        });
      const { now } = commandClock();
      const files = await writeReports(runDir, {
        ...(now === undefined ? {} : { now }),
        formats,
        perOwner: opts.perOwner === true,
        historyPath: resolveHistoryPath(opts.history),
        intelmq: { topLevelSeverity: opts.intelmqSeverity === true },
      });
      // Warnings (stale data, no browser for the PDF) go to stderr; the status stays 0 because the
      // other outputs were written and say the same thing inside.
      for (const w of [files.dataAge, ...files.warnings])
        if (w !== null) process.stderr.write(`owa-audit: warning: ${w}\n`);
      if (files.pdfBrowser !== null) process.stderr.write(`owa-audit: PDFs printed by ${files.pdfBrowser}\n`);
      const paths = writtenPaths(files);
      if (paths.length > 0) process.stdout.write(`${paths.join('\n')}\n`);
    },
  );
}
