#!/usr/bin/env node
// Thin launcher. The program is dist/cli/run.js (built by `npm ci` through the prepare script, or
// `npm run build`), bundled into dist/bundle/ with its dependencies (tools/bundle-cli.mjs): one
// file per command to load instead of hundreds. A bundle older than the compiled program (a
// `tsc` run alone) would run stale code, so the compiled program runs instead.
import { statSync } from 'node:fs';

const bundle = new URL('../dist/bundle/owa-audit.js', import.meta.url);
const compiled = new URL('../dist/cli/run.js', import.meta.url);

function bundleIsCurrent() {
  try {
    return statSync(bundle).mtimeMs >= statSync(compiled).mtimeMs;
  } catch {
    return false;
  }
}

await import((bundleIsCurrent() ? bundle : compiled).href);
