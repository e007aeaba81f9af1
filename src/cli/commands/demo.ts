import type { Command } from 'commander';
import { NotYetError } from '../not-yet.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('start the simulated Exchange fleet on loopback, scan it and write the reports')
    .action(() => {
      throw new NotYetError('demo');
    });
}
