// The one way owa-audit replaces a file: write a temporary file beside it (in the same directory:
// a rename is atomic only within one filesystem), then rename it over the target. A reader — or a
// resume after kill -9 — sees the old file or the new one, never half of one, and a write that
// fails leaves no temporary file behind. `durable`: the file is fsynced before the rename and the
// directory after it, so the new file also survives a power cut (run.json, results.jsonl).
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface ReplaceOptions {
  durable?: boolean;
}

let sequence = 0;

/** A temporary name beside `path`: hidden, and unique within this process. */
export function tempPathFor(path: string): string {
  sequence += 1;
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${sequence}`);
}

/** Write `text` to a new file (`wx`: never over an existing one, nor through a link) and fsync it. */
export async function writeFileSynced(file: string, text: string): Promise<void> {
  const fh = await open(file, 'wx');
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function fsyncFile(file: string): Promise<void> {
  const fh = await open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Make renames in `dir` durable. Best effort: not every filesystem allows a directory fsync. */
export async function fsyncDir(dir: string): Promise<void> {
  try {
    await fsyncFile(dir);
  } catch {
    /* the rename is atomic anyway; only its durability across a power cut is lost */
  }
}

/**
 * Replace `path` with the file `produce` writes at the temporary path it is given (a stream, a
 * browser printing a PDF, a results sink).
 */
export async function replaceFile<T>(
  path: string,
  produce: (temp: string) => Promise<T>,
  opts: ReplaceOptions = {},
): Promise<T> {
  const temp = tempPathFor(path);
  let result: T;
  try {
    await rm(temp, { force: true }); // a leftover of a killed process that had this pid
    result = await produce(temp);
    if (opts.durable === true) await fsyncFile(temp);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  if (opts.durable === true) await fsyncDir(dirname(path));
  return result;
}

/** Replace `path` with `data`. */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  opts: ReplaceOptions = {},
): Promise<void> {
  await replaceFile(path, (temp) => writeFile(temp, data, { flag: 'wx' }), opts);
}

/**
 * A text file written a line at a time into its temporary file and put in place by `commit`, so a
 * reader never sees half a results.csv or intelmq.jsonl and a failed run leaves none.
 */
export class LineFile {
  private constructor(
    readonly path: string,
    private readonly temp: string,
    private readonly out: WriteStream,
  ) {}

  static open(path: string): LineFile {
    const temp = tempPathFor(path);
    return new LineFile(path, temp, createWriteStream(temp, { encoding: 'utf8' }));
  }

  async write(chunk: string): Promise<void> {
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  /** Flushes and renames into place; returns the final path. */
  async commit(): Promise<string> {
    this.out.end();
    await once(this.out, 'finish');
    await rename(this.temp, this.path);
    return this.path;
  }

  async abort(): Promise<void> {
    this.out.destroy();
    await rm(this.temp, { force: true });
  }
}
