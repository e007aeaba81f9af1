// `owa-audit merge <run-dir>... --out DIR`: the shard runs of one scan (scan --shard K/N) → one
// run directory, with reports and a history entry like a scan's. Refusals are exit status 2.
import type { Command } from 'commander';
import { resolveHistoryPath } from '../../history/config.js';
import { addHistoryOptions } from '../history-options.js';
import { commandClock } from '../clock.js';
import { boundHeapGrowth } from '../v8-tuning.js';

interface MergeCliOptions {
  out: string;
  partial?: boolean;
  history?: string | boolean;
}

export function registerMerge(program: Command): void {
  const command = program
    .command('merge')
    .description('merge shard runs (scan --shard K/N) into one run directory, then write its reports')
    .argument('<run-dir...>', 'shard run directories, one per shard')
    .requiredOption('--out <dir>', 'merged run directory (new or empty)')
    .option('--partial', 'accept missing or unfinished shards; the merged run is then not finished');
  addHistoryOptions(command)
    .addHelpText(
      'after',
      `
Refuses (exit status 2) runs of different scan files or data versions, runs that are not shards,
shards of different splits, a shard given twice or records in the wrong shard, and - without
--partial - a missing or unfinished shard. stdout carries the merged run directory.`,
    )
    .action(async (runDirs: string[], o: MergeCliOptions) => {
      const { now } = commandClock();
      boundHeapGrowth();
      const { mergeRuns } = await import('../../merge/index.js');
      const result = await mergeRuns({
        ...(now === undefined ? {} : { now }),
        runDirs,
        outDir: o.out,
        partial: o.partial === true,
        historyPath: resolveHistoryPath(o.history),
      });
      const m = result.meta;
      const c = m.counts;
      const shards = m.merged?.shards.length ?? 0;
      process.stderr.write(
        `merged ${shards} of ${m.merged?.shardCount ?? shards} shard runs: ${result.records} endpoints (${m.requests} requests) — ` +
          `exchange ${c.exchange}, exchange-online ${c['exchange-online']}, not-exchange ${c['not-exchange']}, ` +
          `unreachable ${c.unreachable}, error ${c.error}; state ${m.state}\n`,
      );
      for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
      const r = result.reports;
      if (r !== null) {
        for (const [label, path] of [
          ['report', r.html],
          ['pdf', r.pdf],
          ['csv', r.csv],
        ] as const) {
          if (path !== null) process.stderr.write(`${label}: ${path}\n`);
        }
        if (r.owners.length > 0)
          process.stderr.write(`per-owner reports: ${r.owners.length} under owners/\n`);
        if (r.pdfBrowser !== null) process.stderr.write(`PDFs printed by ${r.pdfBrowser}\n`);
      }
      if (result.recorded) process.stderr.write('recorded in the scan history\n');
      process.stdout.write(`${result.runDir}\n`);
    });
}
