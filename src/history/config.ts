// Where the scan history lives. One rule for every command: `--no-history` (or `--history none`)
// turns it off, `--history <path>` names the database, else OWA_AUDIT_HISTORY (a path, or `none`
// / `off`), else scans/history.db under the current directory.
import { join } from 'node:path';

export const DEFAULT_HISTORY_PATH = join('scans', 'history.db');
export const HISTORY_ENV = 'OWA_AUDIT_HISTORY';

const OFF = /^(none|off|false|no)$/i;

/**
 * The history database to use, or null when history is turned off. `option` is commander's value
 * of `--history <path>` / `--no-history`: a string, false, or undefined when neither was given.
 */
export function resolveHistoryPath(
  option: string | boolean | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  if (option === false) return null;
  if (typeof option === 'string') {
    const path = option.trim();
    return path === '' || OFF.test(path) ? null : path;
  }
  const fromEnv = env[HISTORY_ENV]?.trim();
  if (fromEnv !== undefined && fromEnv !== '') return OFF.test(fromEnv) ? null : fromEnv;
  return DEFAULT_HISTORY_PATH;
}
