// What every bench section gets: its options, a place for files, a log on stdout, and notes that
// end up in the results (anything that makes a figure differ from what was asked).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchOptions } from './options.js';

export interface BenchContext {
  readonly options: BenchOptions;
  /** Printed now and kept in the results. */
  note(text: string): void;
  readonly notes: string[];
  log(text: string): void;
  /** A fresh directory under the output directory. */
  dir(name: string): Promise<string>;
  /** Write a file under the output directory; returns its path. */
  file(name: string, text: string): Promise<string>;
}

export function createContext(options: BenchOptions, out: (text: string) => void): BenchContext {
  const notes: string[] = [];
  return {
    options,
    notes,
    note(text) {
      notes.push(text);
      out(`  note: ${text}\n`);
    },
    log(text) {
      out(`${text}\n`);
    },
    async dir(name) {
      const d = join(options.out, name);
      // Fresh: a rerun with the same --out must not find the last run's run directories.
      await rm(d, { recursive: true, force: true });
      await mkdir(d, { recursive: true });
      return d;
    },
    async file(name, text) {
      await mkdir(options.out, { recursive: true });
      const path = join(options.out, name);
      await writeFile(path, text, 'utf8');
      return path;
    },
  };
}

export const MB = 1024 * 1024;

/** Rounded for people: 3 significant digits at most, whole numbers from 100 up. */
export function round(n: number): number {
  if (!Number.isFinite(n)) return n;
  const abs = Math.abs(n);
  if (abs >= 100) return Math.round(n);
  if (abs >= 10) return Math.round(n * 10) / 10;
  return Math.round(n * 100) / 100;
}

export function mb(bytes: number): number {
  return round(bytes / MB);
}
