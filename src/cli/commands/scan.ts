import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import type { ScanOverrides } from '../../scan/run-scan.js';
import { printScanSummary } from '../scan-summary.js';
import { interruptible } from '../interrupt.js';
import { resolveHistoryPath } from '../../history/config.js';
import { addHistoryOptions } from '../history-options.js';
import { parseShard } from '../../shard/spec.js';
import { commandClock } from '../clock.js';
import { boundHeapGrowthFor, cheapenOptimisation } from '../v8-tuning.js';

interface ScanCliOptions {
  out?: string;
  resume?: string;
  rate?: string;
  concurrency?: string;
  json?: boolean;
  history?: string | boolean;
  shard?: string;
  dryRun?: boolean;
}

function positiveNumber(
  text: string | undefined,
  flag: string,
  integer: boolean,
  max: number,
): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > max || (integer && !Number.isInteger(n))) {
    throw new InputError(
      `must be a ${integer ? 'whole ' : ''}number above 0 and at most ${max}, got "${text}"`,
      {
        file: 'command line',
        field: flag,
      },
    );
  }
  return n;
}

function overridesFrom(o: ScanCliOptions): ScanOverrides {
  const rate = positiveNumber(o.rate, '--rate', false, 100_000);
  const concurrency = positiveNumber(o.concurrency, '--concurrency', true, 10_000);
  return { ...(rate === undefined ? {} : { rate }), ...(concurrency === undefined ? {} : { concurrency }) };
}

export function registerScan(program: Command): void {
  const command = program
    .command('scan')
    .description(
      'scan the endpoints a scan file authorises; write results, run.json and the reports to a run directory',
    )
    .argument('[scan-file]', 'YAML scan file (see README "Scan file")')
    .option('--out <dir>', 'run directory (default scans/runs/<name>-<UTC timestamp>)')
    .option('--resume <run-dir>', 'finish a stopped run; the scan file is read from its run.json')
    .option('--rate <n>', 'requests per second over all hosts (overrides probe.rate)')
    .option('--concurrency <n>', 'endpoints in flight at once (overrides probe.concurrency)')
    .option('--json', 'print each result record on stdout as a JSON line')
    .option(
      '--shard <K/N>',
      'scan only shard K of N (K from 1 to N), chosen by a stable hash of each target; merge the N runs with `owa-audit merge`',
    )
    .option(
      '--dry-run',
      'check everything and count what would be probed and how long it would take; send nothing to any target (with --json: every endpoint as a JSON line)',
    );
  addHistoryOptions(command)
    .addHelpText(
      'after',
      `
Nothing is sent before the scan file, its authorisation and every listed target have been checked;
--dry-run stops there and prints what would be probed and how long it would take.
Progress goes to stderr; stdout carries the run directory (or, with --json, the records).
Ctrl-C stops cleanly; finish later with: owa-audit scan --resume <run-dir>
--shard K/N splits a scan over N processes or machines (rate limits in the scan file then apply
per shard); see docs/scaling.md.`,
    )
    .action(async (scanFile: string | undefined, o: ScanCliOptions) => {
      if ((scanFile === undefined) === (o.resume === undefined)) {
        throw new InputError('give a scan file, or --resume <run-dir> (not both)', {
          file: 'command line',
          field: 'scan',
        });
      }
      if (
        o.resume !== undefined &&
        (o.out !== undefined || o.rate !== undefined || o.concurrency !== undefined || o.shard !== undefined)
      ) {
        throw new InputError(
          '--resume continues with the settings recorded in run.json; --out, --rate, --concurrency and --shard cannot change them',
          {
            file: 'command line',
            field: '--resume',
          },
        );
      }
      const overrides = overridesFrom(o);
      const clock = commandClock();
      const shard = o.shard === undefined ? null : parseShard(o.shard);
      if (o.dryRun === true) {
        if (scanFile === undefined || o.out !== undefined)
          throw new InputError(
            '--dry-run plans a new scan of a scan file and writes no run directory (no --resume, no --out)',
            {
              file: 'command line',
              field: '--dry-run',
            },
          );
        // The command's modules load when it runs, not when the CLI starts (issue 17).
        const { dryRun } = await import('../scan-dry-run.js');
        await dryRun(scanFile, { overrides, shard, json: o.json === true, today: clock.today });
        return;
      }
      cheapenOptimisation();
      const { runScan } = await import('../../scan/run-scan.js');
      let runDir: string | null = null;
      await interruptible(
        async (signal) => {
          const result = await runScan({
            ...clock,
            ...(scanFile === undefined ? {} : { scanPath: scanFile }),
            ...(o.resume === undefined ? {} : { resumeDir: o.resume }),
            ...(o.out === undefined ? {} : { outDir: o.out }),
            overrides,
            shard,
            json: o.json === true,
            historyPath: resolveHistoryPath(o.history),
            signal,
            onScanSize: boundHeapGrowthFor,
            onRunDir: (dir) => {
              runDir = dir;
              process.stderr.write(`run directory: ${dir}\n`);
            },
          });
          printScanSummary(result, process.stderr);
          if (o.json !== true) process.stdout.write(`${result.runDir}\n`);
          if (result.summary.aborted) process.exitCode = 130;
        },
        () => (runDir === null ? null : `owa-audit scan --resume ${runDir}`),
      );
    });
}
