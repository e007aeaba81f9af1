// results.jsonl writer. One record → one line; the lines waiting when a write begins go out
// together in one write() on a descriptor opened with O_APPEND (group commit), whole lines in call
// order, so a reader never sees two records interleaved and a normal stop never leaves a torn line.
// A kill -9 can at worst tear the last line of the write under way; resume truncates it.
//
// Why batches: one write per record meant one trip through libuv's pool per record, one record per
// event-loop turn; with the engine handing records over one at a time, a 10,000-host scan held its
// slots ~240 ms per endpoint waiting for that queue (docs/ARCHITECTURE.md, "Records are written by
// one sink").
//
// Durability: a record is on disk once an fsync that began after its write has ended. One begins
// as soon as `fsyncEvery` records wait for it, and at the latest `fsyncIntervalMs` after a record
// was written (a timer: a scan that stalls does not leave records unsynced), and on close. A batch
// takes no more records than an fsync may leave waiting, so the bound below holds for batches too.
// Killing the process loses nothing already written (the page cache survives); a power loss or
// kernel crash loses at most the records written since the last fsync began (default: 64 records or
// 2 s, plus those written during that fsync — a few ms). Lost lines are simply absent, so resume
// probes those endpoints again — never twice in the file.
//
// Writes never wait for an fsync: it runs beside them (one at a time), because an fsync (2–5 ms,
// far more on a busy disk) would hold every record behind it. A failed fsync fails the next write,
// as a failed write does.
//
// A batch's bytes go through one buffer the sink reuses (writes run one at a time, so one ends
// before the next is encoded), not a new buffer per record: records are ~12 kB on a fleet of old
// builds (their CVE lists), and a buffer of its own per record was garbage outside the V8 heap.
import { open, type FileHandle } from 'node:fs/promises';
import type { ResultRecord } from '../core/result-schema.js';
import { RunDirError } from '../core/errors.js';
import { recordJson } from './record-json.js';

export interface ResultsSink {
  /**
   * Append one record: resolves once its line is in the file. Lines go out in call order; those
   * waiting when a write begins share it.
   */
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
  /** How a batch's bytes reach the file. Default: write() until all are written; tests hold or fail it. */
  writeBytes?: (fh: FileHandle, bytes: Buffer) => Promise<void>;
}

export const DEFAULT_FSYNC_EVERY = 64;
export const DEFAULT_FSYNC_INTERVAL_MS = 2_000;

/** Serialise a record as exactly one line (JSON.stringify escapes every CR/LF inside strings). */
export function recordLine(record: ResultRecord): Buffer {
  return Buffer.from(`${recordJson(record)}\n`, 'utf8');
}

/** The reused write buffer grows up to this; a longer line gets a buffer of its own. */
const MAX_REUSED_BYTES = 1 << 20;
/** A batch is closed at this many records even when more are waiting (and fsync allows more). */
const MAX_BATCH_RECORDS = 256;
/** UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units). */
const MAX_UTF8_PER_UNIT = 3;

/** Lines encoded one after another into a buffer reused from one batch to the next. */
class BatchEncoder {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  /** A line too long for the reused buffer: a batch of its own. */
  private oversized: Buffer | null = null;

  /** Append `line` to the batch; false when it does not fit (it goes in the next batch). */
  add(line: string): boolean {
    if (this.oversized !== null) return false;
    const room = this.buf.length - this.used;
    // Measured only when its length alone cannot tell it fits: the write measures it anyway.
    if (room < line.length * MAX_UTF8_PER_UNIT) {
      const size = Buffer.byteLength(line, 'utf8');
      if (room < size) {
        if (this.used + size > MAX_REUSED_BYTES) {
          if (this.used > 0) return false;
          this.oversized = Buffer.from(line, 'utf8');
          return true;
        }
        const bigger = Buffer.allocUnsafe(
          Math.min(MAX_REUSED_BYTES, Math.max(2 * this.buf.length, this.used + size)),
        );
        this.buf.copy(bigger, 0, 0, this.used);
        this.buf = bigger;
      }
    }
    this.used += this.buf.write(line, this.used, 'utf8');
    return true;
  }

  /** The batch's bytes (valid until the next `add`); the next batch begins empty. */
  take(): Buffer {
    const bytes = this.oversized ?? this.buf.subarray(0, this.used);
    this.oversized = null;
    this.used = 0;
    return bytes;
  }
}

async function writeFully(fh: FileHandle, buf: Buffer): Promise<void> {
  let offset = 0;
  // A regular file takes a batch in one write(); loop anyway rather than assume it.
  while (offset < buf.length) {
    const { bytesWritten } = await fh.write(buf, offset, buf.length - offset);
    if (bytesWritten === 0) throw new Error('write returned 0 bytes');
    offset += bytesWritten;
  }
}

interface Waiting {
  line: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export async function openResultsSink(path: string, opts: ResultsSinkOptions = {}): Promise<ResultsSink> {
  const fsyncEvery = opts.fsyncEvery ?? DEFAULT_FSYNC_EVERY;
  const fsyncIntervalMs = opts.fsyncIntervalMs ?? DEFAULT_FSYNC_INTERVAL_MS;
  const syncFile = opts.syncFile ?? ((handle: FileHandle) => handle.sync());
  const writeBytes = opts.writeBytes ?? writeFully;
  let fh: FileHandle;
  try {
    fh = await open(path, 'a');
  } catch (err) {
    throw new RunDirError(path, `cannot open for appending: ${(err as Error).message}`, { cause: err });
  }
  let written = 0;
  /** Records written since the last fsync began. */
  let unsynced = 0;
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

  const encoder = new BatchEncoder();
  /** Records handed to `write`, not yet in a batch, in call order. */
  let waiting: Waiting[] = [];
  /** The loop writing batches while records wait; null when idle. */
  let pumping: Promise<void> | null = null;
  let closing: Promise<void> | null = null;

  // One batch at a time: every record waiting when a write begins goes in it, up to what an fsync
  // may leave waiting (`fsyncEvery`, less those already waiting when no fsync is running).
  async function pump(): Promise<void> {
    try {
      while (waiting.length > 0 && failure === null) {
        const room = syncing === null ? Math.max(1, fsyncEvery - unsynced) : fsyncEvery;
        const cap = Math.min(room, MAX_BATCH_RECORDS, waiting.length);
        let n = 0;
        while (n < cap && encoder.add((waiting[n] as Waiting).line)) n++;
        const batch = n === waiting.length ? waiting : waiting.slice(0, n);
        waiting = n === waiting.length ? [] : waiting.slice(n);
        try {
          await writeBytes(fh, encoder.take());
        } catch (err) {
          const failed = fail('write', err);
          for (const w of batch) w.reject(failed);
          break;
        }
        written += n;
        unsynced += n;
        for (const w of batch) w.resolve();
        schedule();
      }
      if (failure !== null) for (const w of waiting.splice(0)) w.reject(failure);
    } finally {
      // Set in the same turn as the loop's last test: a write after it starts a new pump.
      pumping = null;
    }
  }

  return {
    write(record) {
      if (closed) return Promise.reject(new RunDirError(path, 'results sink already closed'));
      if (failure !== null) return Promise.reject(failure);
      const line = `${recordJson(record)}\n`;
      const accepted = new Promise<void>((resolve, reject) => {
        waiting.push({ line, resolve, reject });
      });
      pumping ??= pump();
      return accepted;
    },
    close() {
      if (closing !== null) return closing.catch(() => undefined);
      closed = true;
      closing = (async () => {
        try {
          while (pumping !== null) await pumping;
          clearTimeout(timer);
          timer = undefined;
          while (syncing !== null) await syncing;
          if (failure !== null) throw failure;
          if (unsynced > 0) {
            try {
              await syncFile(fh);
            } catch (err) {
              throw fail('fsync', err);
            }
          }
          unsynced = 0;
        } finally {
          clearTimeout(timer);
          await fh.close().catch(() => undefined);
        }
      })();
      return closing;
    },
    get written() {
      return written;
    },
  };
}
