// A text output streamed line by line into a temporary file and renamed into place at the end,
// so a reader never sees half a results.csv or intelmq.jsonl, and a failed run leaves none.
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';

export class LineFile {
  private constructor(
    readonly path: string,
    private readonly tmp: string,
    private readonly out: WriteStream,
  ) {}

  static open(path: string): LineFile {
    const tmp = `${path}.tmp-${process.pid}`;
    return new LineFile(path, tmp, createWriteStream(tmp, { encoding: 'utf8' }));
  }

  async write(chunk: string): Promise<void> {
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  /** Flushes and renames into place; returns the final path. */
  async commit(): Promise<string> {
    this.out.end();
    await once(this.out, 'finish');
    await rename(this.tmp, this.path);
    return this.path;
  }

  async abort(): Promise<void> {
    this.out.destroy();
    await rm(this.tmp, { force: true });
  }
}
