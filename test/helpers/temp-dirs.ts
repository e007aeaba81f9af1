// Numbered directories under one temporary root, removed after the test file.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** `fresh('db')` → a new empty `<root>/db-<n>`; the root goes when the file's tests are done. */
export function tempDirs(prefix: string): { root: string; fresh: (what?: string) => string } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;
  return {
    root,
    fresh(what = 'dir') {
      const dir = join(root, `${what}-${++n}`);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
  };
}
