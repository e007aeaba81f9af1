// results.jsonl writer. One record → one line → one write() on a descriptor opened with O_APPEND,
// so a reader never sees two records interleaved and a normal stop never leaves a torn line.
// A kill -9 can at worst tear the line being written; resume truncates it.
//
// Durability: fsync after every `fsyncEvery` records or `fsyncIntervalMs`, whichever comes first,
// and on close. Killing the process loses nothing already written (the page cache survives);
// a power loss or kernel crash loses at most the records since the last fsync (default: 64
// records or 2 s). Lost lines are simply absent, so resume probes those endpoints again —
// never twice in the file.
import { open, type FileHandle } from 'node:fs/promises';
import type { ResultRecord } from '../core/result-schema.js';
import { RunDirError } from '../core/errors.js';

export interface ResultsSink {
  /** Append one record. Writes happen one at a time, in call order. */
  write(record: ResultRecord): Promise<void>;
  /** Flush to disk and close. Idempotent. */
  close(): Promise<void>;
  /** Records appended by this sink. */
  readonly written: number;
}

export interface ResultsSinkOptions {
  fsyncEvery?: number;
  fsyncIntervalMs?: number;
}

export const DEFAULT_FSYNC_EVERY = 64;
export const DEFAULT_FSYNC_INTERVAL_MS = 2_000;

/** Serialise a record as exactly one line (JSON.stringify escapes every CR/LF inside strings). */
export function recordLine(record: ResultRecord): Buffer {
  return Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
}

async function writeFully(fh: FileHandle, buf: Buffer): Promise<void> {
  let offset = 0;
  // A regular file takes a line in one write(); loop anyway rather than assume it.
  while (offset < buf.length) {
    const { bytesWritten } = await fh.write(buf, offset, buf.length - offset);
    if (bytesWritten === 0) throw new Error('write returned 0 bytes');
    offset += bytesWritten;
  }
}

export async function openResultsSink(path: string, opts: ResultsSinkOptions = {}): Promise<ResultsSink> {
  const fsyncEvery = opts.fsyncEvery ?? DEFAULT_FSYNC_EVERY;
  const fsyncIntervalMs = opts.fsyncIntervalMs ?? DEFAULT_FSYNC_INTERVAL_MS;
  let fh: FileHandle;
  try {
    fh = await open(path, 'a');
  } catch (err) {
    throw new RunDirError(path, `cannot open for appending: ${(err as Error).message}`, { cause: err });
  }
  let written = 0;
  let unsynced = 0;
  let lastSync = performance.now();
  let chain: Promise<void> = Promise.resolve();
  let failure: RunDirError | null = null;
  let closed = false;

  const sync = async (): Promise<void> => {
    await fh.sync();
    unsynced = 0;
    lastSync = performance.now();
  };

  const enqueue = (job: () => Promise<void>): Promise<void> => {
    const run = chain.then(async () => {
      if (failure !== null) throw failure;
      try {
        await job();
      } catch (err) {
        failure = new RunDirError(path, `write failed: ${(err as Error).message}`, { cause: err });
        throw failure;
      }
    });
    chain = run.catch(() => undefined);
    return run;
  };

  return {
    write(record) {
      if (closed) return Promise.reject(new RunDirError(path, 'results sink already closed'));
      const line = recordLine(record);
      return enqueue(async () => {
        await writeFully(fh, line);
        written++;
        unsynced++;
        if (unsynced >= fsyncEvery || performance.now() - lastSync >= fsyncIntervalMs) await sync();
      });
    },
    async close() {
      if (closed) return chain;
      closed = true;
      try {
        await enqueue(async () => {
          if (unsynced > 0) await sync();
        });
      } finally {
        await fh.close().catch(() => undefined);
      }
    },
    get written() {
      return written;
    },
  };
}
