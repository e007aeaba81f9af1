import type { Command } from 'commander';
import { NotYetError } from '../not-yet.js';

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('scan the endpoints a scan file authorises and write a run directory')
    .argument('[scan-file]', 'YAML scan file (see README "Scan file")')
    .option('--out <dir>', 'run directory (default scans/runs/<name>-<UTC timestamp>)')
    .option('--resume <run-dir>', 'finish a stopped run; the scan file is read from run.json')
    .option('--rate <n>', 'requests per second over all hosts (overrides probe.rate)')
    .option('--concurrency <n>', 'endpoints in flight at once (overrides probe.concurrency)')
    .option('--json', 'print result records on stdout as JSON Lines')
    .action(() => {
      throw new NotYetError('scan');
    });
}
