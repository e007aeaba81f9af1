#!/usr/bin/env node
// Empties the build output directories named on the command line (dist, dist-tools) before a
// build, so a module that moved or was deleted never lingers in dist/ — and never ships.
import { rmSync } from 'node:fs';
import process from 'node:process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
for (const name of process.argv.slice(2)) {
  if (!/^dist(-[a-z]+)?$/.test(name)) throw new Error(`clean-build: refusing to remove ${name}`);
  rmSync(resolve(root, name), { recursive: true, force: true });
}
