import type { Command } from 'commander';
import { NotYetError } from '../not-yet.js';

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('what changed between two runs: new, gone, newly vulnerable, fixed, changed build')
    .argument('[run-a]', 'older run directory (default: the previous run of the same scan)')
    .argument('[run-b]', 'newer run directory')
    .action(() => {
      throw new NotYetError('diff');
    });
}
