import type { Command } from 'commander';
import { NotYetError } from '../not-yet.js';

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('merge shard runs (scan --shard K/N) into one run directory')
    .argument('<run-dir...>', 'shard run directories')
    .requiredOption('--out <dir>', 'merged run directory')
    .action(() => {
      throw new NotYetError('merge');
    });
}
