// Group commit in the results sink and the bounded hand-off in front of it: records that wait while
// a write is under way share the next write, whole lines in call order, byte for byte; a batch
// takes no more records than an fsync may leave waiting; a failed batch fails every record in it
// and every later one; a hand-off waits only once `maxUnwritten` records wait for the disk.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULT_SCHEMA, type ResultRecord } from '../src/core/result-schema.js';
import { RunDirError } from '../src/core/errors.js';
import { openResultsSink, type ResultsSink } from '../src/run-store/results-sink.js';
import { recordHandOff } from '../src/run-store/hand-off.js';

let root: string;
let n = 0;
const fresh = (): string => join(root, `sink-${++n}.jsonl`);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'owa-results-batch-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function record(i: number, value = `server ${i} "quoted"\nline`): ResultRecord {
  return {
    schema: RESULT_SCHEMA,
    target: `192.0.2.${i % 256}`,
    host: null,
    ip: `192.0.2.${i % 256}`,
    port: 443 + i,
    scheme: 'https',
    status: 'not-exchange',
    observedAt: '2026-11-27T00:00:00.000Z',
    requests: 2,
    exchange: null,
    evidence: [{ signal: 'server-header', url: 'https://x/', value }],
    tls: null,
    owner: null,
    error: null,
  };
}

const lineOf = (r: ResultRecord): string => `${JSON.stringify(r)}\n`;

/** Writes held until the test releases them (or lets all through); each logs the lines it carried. */
function heldWrites(): {
  writeBytes: (fh: FileHandle, bytes: Buffer) => Promise<void>;
  batches: string[][];
  began: (count: number) => Promise<void>;
  releaseOne: () => void;
  fail: (err: Error) => void;
  letAllThrough: () => void;
} {
  const batches: string[][] = [];
  const held: { go: () => void; stop: (e: Error) => void }[] = [];
  let holding = true;
  let arrived: (() => void) | null = null;
  return {
    batches,
    writeBytes: async (fh, bytes) => {
      // The buffer is reused after the write: copy what it carried now.
      const text = bytes.toString('utf8');
      batches.push(text.split('\n').slice(0, -1));
      arrived?.();
      if (holding) await new Promise<void>((go, stop) => held.push({ go, stop }));
      await fh.write(Buffer.from(text, 'utf8'));
    },
    began: (count) =>
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (batches.length < count) arrived = check;
          else {
            arrived = null;
            resolve();
          }
        };
        check();
      }),
    releaseOne: () => held.shift()?.go(),
    fail: (err) => held.shift()?.stop(err),
    letAllThrough: () => {
      holding = false;
      for (const h of held.splice(0)) h.go();
    },
  };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('results sink: group commit', () => {
  it('writes the records that waited during a write together, in call order, each resolving once written', async () => {
    const file = fresh();
    const w = heldWrites();
    const sink = await openResultsSink(file, { fsyncEvery: 1_000, writeBytes: w.writeBytes });
    const settled: number[] = [];
    const write = (s: ResultsSink, i: number): Promise<void> =>
      s.write(record(i)).then(() => void settled.push(i));
    const first = write(sink, 1);
    await w.began(1);
    const rest = Array.from({ length: 20 }, (_, k) => write(sink, k + 2));
    await turn();
    expect(w.batches.map((b) => b.length)).toEqual([1]);
    expect(settled).toEqual([]);
    w.releaseOne();
    await first;
    await w.began(2);
    // Everything that arrived meanwhile is the second write, not twenty writes.
    expect(w.batches.map((b) => b.length)).toEqual([1, 20]);
    expect(settled).toEqual([1]);
    w.releaseOne();
    await Promise.all(rest);
    expect(settled).toEqual(Array.from({ length: 21 }, (_, k) => k + 1));
    expect(sink.written).toBe(21);
    await sink.close();
    const expected = Array.from({ length: 21 }, (_, k) => lineOf(record(k + 1))).join('');
    expect(await readFile(file, 'utf8')).toBe(expected);
  });

  it('takes no more records into a batch than an fsync may leave waiting', async () => {
    const file = fresh();
    const w = heldWrites();
    const synced: number[] = [];
    const sink = await openResultsSink(file, {
      fsyncEvery: 4,
      writeBytes: w.writeBytes,
      syncFile: () => {
        synced.push(sink.written);
        return Promise.resolve();
      },
    });
    const writes = [sink.write(record(1))];
    await w.began(1);
    for (let i = 2; i <= 11; i++) writes.push(sink.write(record(i)));
    for (let k = 2; k <= 4; k++) {
      w.releaseOne();
      await w.began(k);
    }
    w.letAllThrough();
    await Promise.all(writes);
    // 1 alone; then 3 (with it 4 wait for an fsync, which begins); then 4 more, written during
    // that fsync (at most fsyncEvery per batch); then the last 3.
    expect(w.batches.map((b) => b.length)).toEqual([1, 3, 4, 3]);
    expect(synced).toEqual([4, 8]);
    const closing = sink.close();
    await closing;
    expect(synced).toEqual([4, 8, 11]);
  });

  it('writes a line longer than the reused buffer alone, byte for byte, between batches', async () => {
    const file = fresh();
    const w = heldWrites();
    const sink = await openResultsSink(file, { fsyncEvery: 1_000, writeBytes: w.writeBytes });
    const records = [
      record(1),
      record(2, 'é'.repeat(600_000)),
      record(3),
      record(4, '𝔼x'.repeat(70_000)),
      record(5),
    ];
    const first = sink.write(records[0] as ResultRecord);
    await w.began(1);
    const rest = records.slice(1).map((r) => sink.write(r));
    w.letAllThrough();
    await Promise.all([first, ...rest]);
    await sink.close();
    // The 1.2 MB line is a batch of its own; the others share batches around it.
    expect(w.batches.map((b) => b.length)).toEqual([1, 1, 3]);
    expect(await readFile(file, 'utf8')).toBe(records.map(lineOf).join(''));
  });

  it('fails every record of a failed batch, every later write and the close, naming the file', async () => {
    const file = fresh();
    const w = heldWrites();
    const sink = await openResultsSink(file, { fsyncEvery: 1_000, writeBytes: w.writeBytes });
    const first = sink.write(record(1));
    await w.began(1);
    const batch = [sink.write(record(2)), sink.write(record(3))];
    w.releaseOne();
    await first;
    await w.began(2);
    w.fail(new Error('ENOSPC: no space left on device, write'));
    for (const p of batch) {
      const err = await p.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RunDirError);
      expect((err as Error).message).toMatch(/sink-\d+\.jsonl: write failed: ENOSPC/);
    }
    await expect(sink.write(record(4))).rejects.toBeInstanceOf(RunDirError);
    await expect(sink.close()).rejects.toBeInstanceOf(RunDirError);
    expect(await readFile(file, 'utf8')).toBe(lineOf(record(1)));
  });
});

describe('record hand-off', () => {
  it('hands over at once below the bound, then waits until a record is written', async () => {
    const file = fresh();
    const w = heldWrites();
    const sink = await openResultsSink(file, { fsyncEvery: 1_000, writeBytes: w.writeBytes });
    const handOff = recordHandOff(sink, 3);
    for (let i = 1; i <= 3; i++) await handOff.handOff(record(i));
    let fourth = false;
    const waiting = handOff.handOff(record(4)).then(() => (fourth = true));
    await turn();
    await turn();
    expect(fourth).toBe(false); // three wait for the disk: the fourth waits for room
    w.releaseOne(); // record 1 written
    await waiting;
    expect(fourth).toBe(true);
    w.letAllThrough();
    await sink.close();
    expect(await readFile(file, 'utf8')).toBe([1, 2, 3, 4].map((i) => lineOf(record(i))).join(''));
  });

  it('rejects the next hand-off once a write failed, and wakes one that waited for room', async () => {
    const file = fresh();
    const w = heldWrites();
    const sink = await openResultsSink(file, { fsyncEvery: 1_000, writeBytes: w.writeBytes });
    const handOff = recordHandOff(sink, 1);
    await handOff.handOff(record(1));
    const waiting = handOff.handOff(record(2)).catch((e: unknown) => e);
    await w.began(1);
    w.fail(new Error('EIO: i/o error, write'));
    const err = await waiting;
    expect(err).toBeInstanceOf(RunDirError);
    expect((err as Error).message).toMatch(/write failed: EIO/);
    await expect(handOff.handOff(record(3))).rejects.toBeInstanceOf(RunDirError);
    await expect(sink.close()).rejects.toBeInstanceOf(RunDirError);
  });
});
