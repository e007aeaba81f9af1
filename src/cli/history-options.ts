// `--history <path>` / `--no-history`, the same on every command that reads or writes the history.
import type { Command } from 'commander';
import { DEFAULT_HISTORY_PATH, HISTORY_ENV } from '../history/config.js';

export function addHistoryOptions(command: Command): Command {
  return command
    .option(
      '--history <path>',
      `scan history database (default: $${HISTORY_ENV}, else ${DEFAULT_HISTORY_PATH}; "none" turns it off)`,
    )
    .option('--no-history', 'do not read or write the scan history');
}
