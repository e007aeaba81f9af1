import type { Command } from 'commander';
import { NotYetError } from '../not-yet.js';

export function registerData(program: Command): void {
  const data = program.command('data').description('the Exchange knowledge base: builds, CVEs, KEV flags');
  data
    .command('update')
    .description("refresh builds and KEV flags from Microsoft's build list and CISA's KEV feed")
    .option('--from <url-or-file...>', 'sources (URLs or local files)')
    .action(() => {
      throw new NotYetError('data update');
    });
  data
    .command('status')
    .description('data sources, as-of dates, counts')
    .action(() => {
      throw new NotYetError('data status');
    });
}
