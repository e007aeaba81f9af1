// The tool's own version, read once from package.json so it never drifts from the release.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Root of the installed package (holds package.json, data/, templates/). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export const TOOL_NAME = 'owa-audit';
export const TOOL_VERSION: string = pkg.version;

/** Where the tool lives: named in the User-Agent and in exported events. */
export const PROJECT_URL = 'https://github.com/owa-audit/owa-audit';
