// Where `owa-audit data update` writes and every command reads the user overlay of the knowledge
// base. A module of its own, apart from load.ts (which pulls in the knowledge base and its
// schemas), so the CLI can name the directory in a help text without loading either.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * The user data directory that `owa-audit data update` writes and every command reads as an
 * overlay: $OWA_AUDIT_DATA_DIR, else $XDG_DATA_HOME/owa-audit, else ~/.local/share/owa-audit.
 * A relative XDG_DATA_HOME is ignored, as the XDG base-directory specification requires.
 */
export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const own = env.OWA_AUDIT_DATA_DIR;
  if (own !== undefined && own.trim() !== '') return resolve(own);
  const xdg = env.XDG_DATA_HOME;
  if (xdg !== undefined && xdg !== '' && isAbsolute(xdg)) return join(xdg, 'owa-audit');
  return join(homedir(), '.local', 'share', 'owa-audit');
}
