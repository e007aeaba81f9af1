import type { Command } from 'commander';
import { NotYetError } from '../not-yet.js';

export function registerClassify(program: Command): void {
  program
    .command('classify')
    .description('offline: what is this build, and which security updates does it miss?')
    .argument('<build...>', 'Exchange build numbers, e.g. 15.1.2507.6 or 15.02.1748.039')
    .option('--json', 'print the exchange object of the result record per build')
    .action(() => {
      throw new NotYetError('classify');
    });
}
