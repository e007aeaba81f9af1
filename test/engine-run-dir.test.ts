// Run directory, results sink and resume, in-process: atomic run.json, pre-flight failures that
// name the path, torn and damaged tails, the compact key set, locking, the run lifecycle.
import { mkdir, mkdtemp, readFile, rm, writeFile, appendFile, readdir, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RESULT_SCHEMA, endpointKey, type ResultRecord } from '../src/core/result-schema.js';
import { RunDirError } from '../src/core/errors.js';
import { KeySetBuilder } from '../src/core/key-set.js';
import { openResultsSink, recordLine } from '../src/run-store/results-sink.js';
import { prepareResume } from '../src/run-store/resume.js';
import { createRun, defaultRunDir, markEnded, loadRun, type NewRun } from '../src/run-store/run-dir.js';
import { lockRun } from '../src/run-store/run-lock.js';
import { beginRun, endRun, resumeRun } from '../src/run-store/open-run.js';

let root: string;
let n = 0;
const fresh = (): string => join(root, `run-${++n}`);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'owa-engine-run-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const init: NewRun = {
  name: 'acme-perimeter',
  scanFile: { path: '/scans/acme.yaml', source: 'name: acme-perimeter\n' },
  authorisation: { by: 'ACME IT', reference: 'SEC-1', contact: 'sec@acme.example', validUntil: '2026-12-31' },
  settings: {
    rate: 20,
    concurrency: 32,
    hostGapMs: 500,
    timeoutMs: 8000,
    mode: 'standard',
    resolvers: [],
    ports: [{ port: 443, scheme: 'https' }],
    maxRequestsPerEndpoint: 5,
  },
  overrides: { rate: 20 },
  data: { version: '2026-11-01', asOf: '2026-11-01' },
};

function record(i: number, extra: Partial<ResultRecord> = {}): ResultRecord {
  return {
    schema: RESULT_SCHEMA,
    target: `192.0.2.${i}`,
    host: null,
    ip: `192.0.2.${i}`,
    port: 443,
    scheme: 'https',
    status: 'not-exchange',
    observedAt: '2026-11-27T00:00:00.000Z',
    requests: 2,
    exchange: null,
    evidence: [{ signal: 'server-header', url: 'https://x/', value: 'line\nbreak "quoted"' }],
    tls: null,
    owner: null,
    error: null,
    ...extra,
  };
}

describe('run.json', () => {
  it('is created with the scan, settings, tool and data versions, and reads back', async () => {
    const dir = fresh();
    const meta = await createRun(dir, init);
    expect(meta).toMatchObject({
      schema: 'owa-audit/run@1',
      state: 'running',
      finishedAt: null,
      requests: 0,
    });
    expect(meta.tool.name).toBe('owa-audit');
    expect(await loadRun(dir)).toEqual(meta);
    expect((await stat(join(dir, 'results.jsonl'))).size).toBe(0);
    // No temp files left behind by the atomic write.
    expect((await readdir(dir)).sort()).toEqual(['results.jsonl', 'run.json']);
    const done = await markEnded(dir, meta, {
      state: 'finished',
      counts: { ...meta.counts, exchange: 2 },
      requests: 9,
    });
    expect(await loadRun(dir)).toEqual(done);
    expect(done.finishedAt).toMatch(/^\d{4}-/);
  });

  it('refuses a directory that already holds a run or stray results', async () => {
    const dir = fresh();
    await createRun(dir, init);
    await expect(createRun(dir, init)).rejects.toThrow(/already holds a run/);
    const other = fresh();
    await mkdir(other);
    await writeFile(join(other, 'results.jsonl'), '{"some":"old results"}\n');
    await expect(createRun(other, init)).rejects.toThrow(/results.jsonl without a run.json/);
  });

  it('fails before scanning with a RunDirError naming the path when it cannot be created', async () => {
    const file = join(root, 'a-file');
    await writeFile(file, 'x');
    const err = await createRun(join(file, 'run'), init).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunDirError);
    expect((err as RunDirError).path).toBe(join(file, 'run'));
    expect((err as RunDirError).exitCode).toBe(1);
  });

  it('rejects a run.json that is not one, naming the field, and keeps fields it does not know', async () => {
    const dir = fresh();
    await createRun(dir, init);
    const raw = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(dir, 'run.json'), JSON.stringify({ ...raw, state: 'sleeping' }));
    await expect(loadRun(dir)).rejects.toThrow(/state/);
    // Fields it does not know (another command's, a newer version's) survive a load and save.
    await writeFile(join(dir, 'run.json'), JSON.stringify({ ...raw, futureField: { a: 1 } }));
    const loaded = await loadRun(dir);
    await markEnded(dir, loaded, { state: 'stopped', counts: loaded.counts, requests: 1 });
    expect(
      (JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as { futureField?: unknown }).futureField,
    ).toEqual({ a: 1 });
    await expect(loadRun(join(root, 'nowhere'))).rejects.toThrow(/run.json is missing/);
  });

  it('names run directories after the scan and the UTC time', () => {
    expect(defaultRunDir('acme perimeter/../x', new Date('2026-11-27T01:16:03.120Z'))).toBe(
      join('scans', 'runs', 'acme-perimeter-.-x-20261127T011603Z'),
    );
  });
});

describe('results sink', () => {
  it('writes one line per record, JSON-escaped, in order', async () => {
    const file = join(root, 'sink.jsonl');
    const sink = await openResultsSink(file, { fsyncEvery: 2 });
    await Promise.all([sink.write(record(1)), sink.write(record(2)), sink.write(record(3))]);
    await sink.close();
    await sink.close();
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines.slice(0, 3).map((l) => (JSON.parse(l) as ResultRecord).ip)).toEqual([
      '192.0.2.1',
      '192.0.2.2',
      '192.0.2.3',
    ]);
    expect(recordLine(record(1)).toString().split('\n')).toHaveLength(2);
    await expect(sink.write(record(4))).rejects.toBeInstanceOf(RunDirError);
  });

  it('resolves each write once its line is in the file; a burst stays whole lines, in order, byte for byte', async () => {
    const file = join(root, 'sink-burst.jsonl');
    const sink = await openResultsSink(file, { fsyncEvery: 1_000 });
    // Lines of different lengths through the one reused buffer: a short one after a long one
    // must not carry the long one's tail. The last is longer than the buffer starts (64 KiB).
    const long = (i: number): ResultRecord =>
      record(i, { evidence: [{ signal: 'server-header', url: 'https://x/', value: 'é'.repeat(i * 400) }] });
    const records = Array.from({ length: 120 }, (_, i) => (i % 3 === 0 ? long(i + 1) : record(i + 1)));
    const writes = records.map((r) => sink.write(r));
    for (const [i, w] of writes.entries()) {
      await w;
      expect(readFileSync(file, 'utf8').split('\n').length - 1).toBeGreaterThanOrEqual(i + 1);
    }
    expect(sink.written).toBe(120);
    await sink.close();
    const text = await readFile(file, 'utf8');
    expect(text).toBe(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  });

  /** An fsync the test ends by hand; each call is logged with the lines on disk when it began. */
  function heldSync(file: string): {
    syncFile: () => Promise<void>;
    began: number[];
    release: () => void;
  } {
    const began: number[] = [];
    const waiting: (() => void)[] = [];
    return {
      began,
      syncFile: () => {
        began.push(readFileSync(file, 'utf8').split('\n').length - 1);
        return new Promise<void>((resolve) => waiting.push(resolve));
      },
      release: () => {
        for (const w of waiting.splice(0)) w();
      },
    };
  }

  it('never makes a write wait for an fsync, and covers the records written during one by the next', async () => {
    const file = join(root, 'sink-held.jsonl');
    const held = heldSync(file);
    const sink = await openResultsSink(file, { fsyncEvery: 3, syncFile: held.syncFile });
    for (let i = 1; i <= 3; i++) await sink.write(record(i));
    await new Promise((resolve) => setImmediate(resolve));
    expect(held.began).toEqual([3]); // began after the third record
    // The fsync is still running: the next writes go through at once.
    for (let i = 4; i <= 8; i++) await sink.write(record(i));
    expect(sink.written).toBe(8);
    expect(held.began).toEqual([3]); // one at a time
    held.release();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(held.began).toEqual([3, 8]); // 3 waited meanwhile: the next began as the first ended
    held.release();
    const closing = sink.close();
    await new Promise((resolve) => setImmediate(resolve));
    held.release();
    await closing;
    expect(held.began).toEqual([3, 8]); // nothing left unsynced at close
  });

  it('fsyncs a record at the latest fsyncIntervalMs after its write, with no write after it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const file = join(root, 'sink-timer.jsonl');
      const began: number[] = [];
      const sink = await openResultsSink(file, {
        fsyncEvery: 64,
        fsyncIntervalMs: 2_000,
        syncFile: () => {
          began.push(Date.now());
          return Promise.resolve();
        },
      });
      await sink.write(record(1));
      await vi.advanceTimersByTimeAsync(1_999);
      expect(began).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(began).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(began).toHaveLength(1); // nothing new, nothing to sync
      await sink.close();
      expect(began).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('fails the next write and the close when an fsync failed', async () => {
    const file = join(root, 'sink-fsync-fails.jsonl');
    const sink = await openResultsSink(file, {
      fsyncEvery: 1,
      syncFile: () => Promise.reject(new Error('EIO: i/o error, fsync')),
    });
    await sink.write(record(1));
    await new Promise((resolve) => setImmediate(resolve));
    const err = await sink.write(record(2)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunDirError);
    expect((err as RunDirError).message).toMatch(/sink-fsync-fails.jsonl: fsync failed: EIO/);
    await expect(sink.close()).rejects.toBeInstanceOf(RunDirError);
  });

  it('turns a full disk into a RunDirError naming the file', async () => {
    const sink = await openResultsSink('/dev/full');
    const err = await sink.write(record(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunDirError);
    expect((err as RunDirError).message).toMatch(/\/dev\/full: write failed: .*ENOSPC/);
    await sink.close().catch(() => undefined);
  });
});

describe('key set', () => {
  it('answers membership for many keys in 8 bytes each', () => {
    const b = new KeySetBuilder();
    for (let i = 0; i < 50_000; i++) b.add(`https://10.${i >> 16}.${(i >> 8) & 255}.${i & 255}:443`);
    b.add('https://10.0.0.1:443'); // duplicate
    const set = b.build();
    expect(set.size).toBe(50_000);
    expect(set.has('https://10.0.0.1:443')).toBe(true);
    expect(set.has('https://10.0.195.79:443')).toBe(true);
    expect(set.has('https://10.0.0.1:80')).toBe(false);
    expect(set.has('http://10.0.0.1:443')).toBe(false);
  });
});

describe('resume', () => {
  async function runWith(content: string): Promise<string> {
    const dir = fresh();
    await createRun(dir, init);
    await writeFile(join(dir, 'results.jsonl'), content);
    return dir;
  }
  const line = (r: ResultRecord): string => recordLine(r).toString();

  it('cuts a torn last line and skips exactly the endpoints already written', async () => {
    const good = [record(1), record(2, { host: 'mail.acme.example', status: 'exchange' }), record(3)];
    const torn = line(record(4)).slice(0, 40);
    const dir = await runWith(good.map(line).join('') + torn);
    const plan = await prepareResume(dir);
    expect(plan.truncatedBytes).toBe(torn.length);
    expect(await readFile(join(dir, 'results.jsonl'), 'utf8')).toBe(good.map(line).join(''));
    for (const r of good) expect(plan.skip(endpointKey(r))).toBe(true);
    expect(plan.skip(endpointKey(record(4)))).toBe(false);
    expect(plan.skip(endpointKey(record(2)))).toBe(false); // same IP, no host: another endpoint
    expect(plan.tally.records).toBe(3);
    expect(plan.tally.byStatus.exchange).toBe(1);
    expect(plan.tally.requests).toBe(6);
  });

  it('cuts a tail of zero bytes left by a power loss, and a complete-looking last line without newline', async () => {
    const dir = await runWith(line(record(1)) + '\0'.repeat(4096));
    expect((await prepareResume(dir)).truncatedBytes).toBe(4096);
    const dir2 = await runWith(line(record(1)) + JSON.stringify(record(2)));
    const plan = await prepareResume(dir2);
    expect(plan.skip(endpointKey(record(2)))).toBe(false);
    expect(await readFile(join(dir2, 'results.jsonl'), 'utf8')).toBe(line(record(1)));
  });

  it('refuses to guess when damage is followed by valid records', async () => {
    const dir = await runWith(line(record(1)) + 'garbage\n' + line(record(2)));
    await expect(prepareResume(dir)).rejects.toThrow(/line 2 is not a result record/);
  });

  it('handles a file larger than its read chunk, lines across chunk edges', async () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      record(i % 250, {
        port: 1000 + i,
        evidence: [{ signal: 'server-header', url: 'u', value: 'v'.repeat(500) }],
      }),
    );
    const dir = await runWith(many.map(line).join(''));
    const plan = await prepareResume(dir);
    expect(plan.truncatedBytes).toBe(0);
    expect(plan.tally.records).toBe(3000);
    expect(many.every((r) => plan.skip(endpointKey(r)))).toBe(true);
  });
});

describe('run lifecycle and lock', () => {
  it('begin → write → stop → resume → finish keeps one line per endpoint and the counts', async () => {
    const dir = fresh();
    const first = await beginRun(dir, init);
    await first.write(record(1));
    await first.write(record(2, { status: 'exchange' }));
    const stopped = await endRun(first, { aborted: true, requestsThisSession: 5 });
    expect(stopped.state).toBe('stopped');
    expect(stopped.finishedAt).toBeNull();

    // A kill -9 would leave a torn line; add one.
    await appendFile(join(dir, 'results.jsonl'), '{"schema":"owa-audit/res');
    const second = await resumeRun(dir);
    expect(second.skip?.(endpointKey(record(1)))).toBe(true);
    expect(second.meta.state).toBe('running');
    expect(second.meta.resumedAt).toHaveLength(1);
    await second.write(record(3));
    const finished = await endRun(second, { aborted: false, requestsThisSession: 2 });
    expect(finished).toMatchObject({ state: 'finished', requests: 7 });
    expect(finished.counts).toMatchObject({ 'not-exchange': 2, exchange: 1 });
    const lines = (await readFile(join(dir, 'results.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as ResultRecord).ip)).toEqual([
      '192.0.2.1',
      '192.0.2.2',
      '192.0.2.3',
    ]);
  });

  it('lets one live process hold a run directory, and takes over a dead one', async () => {
    const dir = fresh();
    await createRun(dir, init);
    // A live process other than us: our parent.
    await writeFile(join(dir, 'run.lock'), `${process.ppid}\n`);
    await expect(lockRun(dir)).rejects.toThrow(new RegExp(`in use by process ${process.ppid}`));
    // A pid that cannot be alive.
    await writeFile(join(dir, 'run.lock'), '2147483646\n');
    const lock = await lockRun(dir);
    expect((await readFile(join(dir, 'run.lock'), 'utf8')).trim()).toBe(String(process.pid));
    await lock.release();
    expect((await readdir(dir)).includes('run.lock')).toBe(false);
  });
});
