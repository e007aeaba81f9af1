// The tool's own version, read once from package.json so it never drifts from the release.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOOL_NAME = 'owa-audit';

/**
 * The directory of the package's own package.json, found by walking up from this module: the
 * product build (dist/), the dev tools' build (dist-tools/src/) and the sources (src/) sit at
 * different depths below it.
 */
function findPackageRoot(): { root: string; version: string } {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown; version?: unknown };
    if (pkg.name === TOOL_NAME && typeof pkg.version === 'string') return { root: dir, version: pkg.version };
  }
  throw new Error(`${TOOL_NAME}: package.json not found above ${fileURLToPath(import.meta.url)}`);
}

const found = findPackageRoot();

/** Root of the installed package (holds package.json and data/). */
export const PACKAGE_ROOT = found.root;
export const TOOL_VERSION: string = found.version;

/** Where the tool lives: named in the User-Agent and in exported events. */
export const PROJECT_URL = 'https://github.com/owa-audit/owa-audit';
