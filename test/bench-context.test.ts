// The bench's working directories are fresh on every run, so `npm run bench -- --out DIR` can be
// run again with the same DIR (the scans would otherwise refuse a directory that holds a run).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createContext } from '../tools/bench/context.js';
import { parseBenchArgs } from '../tools/bench/options.js';
import { tempDirs } from './helpers/temp-dirs.js';

const { fresh } = tempDirs('owa-bench-context-');

it('dir() empties a directory left by an earlier run with the same --out', async () => {
  const out = fresh('out');
  const options = parseBenchArgs(['--quick', '--out', out]);
  if (options === 'help') throw new Error('unexpected help');
  const ctx = createContext(options, () => undefined);
  const first = await ctx.dir('rate');
  writeFileSync(join(first, 'run.json'), '{}');
  const again = await ctx.dir('rate');
  expect(again).toBe(first);
  expect(existsSync(join(again, 'run.json'))).toBe(false);
  expect(existsSync(again)).toBe(true);
});
