// results.jsonl writer. One record → one line → one write() on a descriptor opened with O_APPEND,
// so a reader never sees two records interleaved and a normal stop never leaves a torn line.
// A kill -9 can at worst tear the line being written; resume truncates it.
//
// Durability: a record is on disk once an fsync that began after its write has ended. One begins
// as soon as `fsyncEvery` records wait for it, and at the latest `fsyncIntervalMs` after a record
// was written (a timer: a scan that stalls does not leave records unsynced), and on close. Killing
// the process loses nothing already written (the page cache survives); a power loss or kernel
// crash loses at most the records written since the last fsync began (default: 64 records or 2 s,
// plus those written during that fsync — a few ms). Lost lines are simply absent, so resume
// probes those endpoints again — never twice in the file.
//
// Writes never wait for an fsync: it runs beside them (one at a time), because the engine frees an
// endpoint's slot only once its record is written, and an fsync (2–5 ms, far more on a busy disk)
// held every slot behind it. A failed fsync fails the next write, as a failed write does.
//
// A line's bytes go through one buffer the sink reuses (writes run one at a time, so one ends
// before the next is encoded), not a new buffer per record: records are ~12 kB on a fleet of old
// builds (their CVE lists), and a buffer of its own per record was garbage outside the V8 heap.
import { open, type FileHandle } from 'node:fs/promises';
import type { ResultRecord } from '../core/result-schema.js';
import { RunDirError } from '../core/errors.js';
import { recordJson } from './record-json.js';

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
  /** How a file is flushed to disk. Default `fh.sync()`; tests hold or fail it. */
  syncFile?: (fh: FileHandle) => Promise<void>;
}

export const DEFAULT_FSYNC_EVERY = 64;
export const DEFAULT_FSYNC_INTERVAL_MS = 2_000;

/** Serialise a record as exactly one line (JSON.stringify escapes every CR/LF inside strings). */
export function recordLine(record: ResultRecord): Buffer {
  return Buffer.from(`${recordJson(record)}\n`, 'utf8');
}

/** The reused write buffer grows up to this; a longer line gets a buffer of its own. */
const MAX_REUSED_BYTES = 1 << 20;

/** Text as UTF-8 bytes, in a buffer reused from one call to the next (valid until the next call). */
function reusingEncoder(): (text: string) => Buffer {
  let reused = Buffer.allocUnsafe(64 * 1024);
  return (text) => {
    const size = Buffer.byteLength(text, 'utf8');
    if (size > MAX_REUSED_BYTES) return Buffer.from(text, 'utf8');
    if (size > reused.length) reused = Buffer.allocUnsafe(Math.min(MAX_REUSED_BYTES, 2 * size));
    reused.write(text, 0, size, 'utf8');
    return reused.subarray(0, size);
  };
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
  const syncFile = opts.syncFile ?? ((handle: FileHandle) => handle.sync());
  let fh: FileHandle;
  try {
    fh = await open(path, 'a');
  } catch (err) {
    throw new RunDirError(path, `cannot open for appending: ${(err as Error).message}`, { cause: err });
  }
  let written = 0;
  /** Records written since the last fsync began. */
  let unsynced = 0;
  let chain: Promise<void> = Promise.resolve();
  let failure: RunDirError | null = null;
  let closed = false;
  /** The fsync running now, and whether records arrived for another one once it ends. */
  let syncing: Promise<void> | null = null;
  let syncAgain = false;
  let timer: NodeJS.Timeout | undefined;

  const fail = (what: string, err: unknown): RunDirError => {
    failure ??= new RunDirError(path, `${what} failed: ${(err as Error).message}`, { cause: err });
    return failure;
  };

  // A record waits for the next fsync that begins after it: once `fsyncEvery` wait, or when the
  // timer its write armed fires — right away, or as soon as the fsync running then ends.
  const requestSync = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (syncing !== null) syncAgain = true;
    else beginSync();
  };
  const schedule = (): void => {
    if (failure !== null || closed || unsynced === 0) return;
    if (unsynced >= fsyncEvery) requestSync();
    else if (timer === undefined && Number.isFinite(fsyncIntervalMs)) {
      timer = setTimeout(requestSync, fsyncIntervalMs);
      timer.unref();
    }
  };
  function beginSync(): void {
    unsynced = 0;
    syncing = syncFile(fh)
      .catch((err: unknown) => {
        fail('fsync', err);
      })
      .finally(() => {
        syncing = null;
        if (syncAgain && failure === null) {
          syncAgain = false;
          beginSync();
        } else schedule();
      });
  }

  const enqueue = (job: () => Promise<void>): Promise<void> => {
    const run = chain.then(async () => {
      if (failure !== null) throw failure;
      try {
        await job();
      } catch (err) {
        throw fail('write', err);
      }
    });
    chain = run.catch(() => undefined);
    return run;
  };

  const encode = reusingEncoder();

  return {
    write(record) {
      if (closed) return Promise.reject(new RunDirError(path, 'results sink already closed'));
      const line = `${recordJson(record)}\n`;
      return enqueue(async () => {
        await writeFully(fh, encode(line));
        written++;
        unsynced++;
        schedule();
      });
    },
    async close() {
      if (closed) return chain;
      closed = true;
      try {
        await enqueue(async () => {
          clearTimeout(timer);
          timer = undefined;
          while (syncing !== null) await syncing;
          if (failure !== null) throw failure;
          if (unsynced > 0) await syncFile(fh);
          unsynced = 0;
        });
      } finally {
        clearTimeout(timer);
        await fh.close().catch(() => undefined);
      }
    },
    get written() {
      return written;
    },
  };
}
