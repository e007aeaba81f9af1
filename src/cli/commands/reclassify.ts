import type { Command } from 'commander';
import { RunDirError } from '../../core/errors.js';
import { resolveHistoryPath } from '../../history/config.js';
import { addHistoryOptions } from '../history-options.js';
import { commandClock } from '../clock.js';
import { boundHeapGrowth } from '../v8-tuning.js';

export function registerReclassify(program: Command): void {
  const command = program
    .command('reclassify')
    .description('re-judge the verdicts of an existing run with the current data, without scanning again')
    .argument('<run-dir>', 'run directory written by scan')
    .option('--dry-run', 'show what would change; write nothing')
    .option('--no-reports', 'do not write the existing reports again')
    .option('--json', 'print the changes as JSON');
  addHistoryOptions(command)
    .addHelpText(
      'after',
      `
Rewrites results.jsonl (the scan's own is kept once as results.scan.jsonl), records the data
version in run.json, records the run again in the scan history when it is there, and writes
again the reports the run already has (report.html, report.pdf, results.csv, intelmq.jsonl,
owners/). Run \`owa-audit data update\` first to fetch new builds and KEV flags.`,
    )
    .action(
      async (
        runDir: string,
        opts: { dryRun?: boolean; reports: boolean; json?: boolean; history?: string | boolean },
      ) => {
        const { now, today } = commandClock();
        boundHeapGrowth();
        // The command's modules load when it runs, not when the CLI starts (issue 17).
        const [{ dataFreshness }, { loadKnowledgeBase }, { formatReclassify }, { reclassifyRun }] =
          await Promise.all([
            import('../../classify/freshness.js'),
            import('../../knowledge/index.js'),
            import('../../reclassify/reclassify-format.js'),
            import('../../reclassify/reclassify-run.js'),
          ]);
        const kb = loadKnowledgeBase();
        const fresh = dataFreshness(kb, today);
        if (fresh.message !== null) process.stderr.write(`owa-audit: warning: ${fresh.message}\n`);
        try {
          const r = await reclassifyRun(runDir, {
            ...(now === undefined ? {} : { now }),
            kb,
            dryRun: opts.dryRun === true,
            reports: opts.reports,
            historyPath: resolveHistoryPath(opts.history),
          });
          for (const w of r.warnings) process.stderr.write(`owa-audit: warning: ${w}\n`);
          if (opts.json === true) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
          else process.stdout.write(formatReclassify(r, opts.dryRun === true));
        } catch (e) {
          if (!(e instanceof RunDirError)) throw e;
          process.stderr.write(`owa-audit: ${e.message}\n`);
          process.exitCode = e.exitCode;
        }
      },
    );
}
