import type { Command } from 'commander';
import { NotYetError } from '../not-yet.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write the HTML, PDF and CSV reports of a run directory')
    .argument('<run-dir>', 'run directory written by scan')
    .option('--format <list>', 'comma-separated: html,pdf,csv', 'html,pdf,csv')
    .option('--per-owner', 'also write one report per owner under owners/')
    .action(() => {
      throw new NotYetError('report');
    });
}
