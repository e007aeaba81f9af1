// Records handed to results.jsonl without waiting for the disk, up to a bound.
//
// The engine hands records over one at a time (src/engine/scan.ts) and frees an endpoint's slot
// once its record is handed over. Waiting for each write there put one trip through libuv's pool
// per record between two slots; handing over and letting the sink write the waiting records in
// one batch (results-sink.ts) keeps the slots probing. The bound keeps the disk in charge: once
// `maxUnwritten` records wait to be written, the next hand-off waits until one is, so memory stays
// flat and a slow disk slows the scan instead of filling the heap. A kill -9 loses at most those
// records (absent from the file, so resume probes them again); a normal stop writes them all.
import type { ResultRecord } from '../core/result-schema.js';
import type { ResultsSink } from './results-sink.js';

/** Records that may wait to be written before a hand-off waits (one fsync batch by default). */
export const MAX_UNWRITTEN = 64;

export interface RecordHandOff {
  /**
   * Give `record` to the sink. Resolves at once while fewer than `maxUnwritten` records wait to be
   * written, else when one has been; rejects with the sink's failure once a write failed.
   */
  handOff(record: ResultRecord): Promise<void>;
}

export function recordHandOff(sink: ResultsSink, maxUnwritten = MAX_UNWRITTEN): RecordHandOff {
  let unwritten = 0;
  let failure: { error: unknown } | null = null;
  const roomWaiters: (() => void)[] = [];

  const written = (): void => {
    unwritten--;
    roomWaiters.shift()?.();
  };
  const failed = (error: unknown): void => {
    failure ??= { error };
    unwritten--;
    for (const wake of roomWaiters.splice(0)) wake();
  };

  return {
    async handOff(record) {
      while (failure === null && unwritten >= maxUnwritten)
        await new Promise<void>((r) => roomWaiters.push(r));
      if (failure !== null) throw failure.error;
      unwritten++;
      sink.write(record).then(written, failed);
    },
  };
}
