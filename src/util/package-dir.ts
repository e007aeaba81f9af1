// Where an installed npm package lives, for packages that ship files rather than code (a browser,
// fonts). Optional dependencies may be absent: null, never an exception.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The installed package's directory, or null when it is not installed (optional dependency). */
export function packageDir(name: string): string | null {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(name);
  } catch {
    return null;
  }
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    try {
      if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === name) return dir;
    } catch {
      // a package.json we cannot read is not the package's own: keep looking upwards
    }
  }
  return null;
}
