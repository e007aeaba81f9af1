// The scan loop over real loopback servers (127.5.x.x): exactly one record per endpoint whatever
// the servers do, deadlines that exclude politeness waits, lazy pulling, abort, skip, sink failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointKey, type ResultRecord } from '../src/core/result-schema.js';
import { runEngine, type EngineOptions } from '../src/engine/scan.js';
import { ProbeError } from '../src/core/errors.js';
import type { Endpoint, TargetItem } from '../src/scope/types.js';
import type { ProbeResponse } from '../src/core/probe-types.js';
import { testGuard } from './helpers/engine-guard.js';
import {
  closeAll,
  httpServer,
  rawServer,
  socketInterval,
  type TestServer,
} from './helpers/engine-servers.js';
import { endpoint, failureRecord, itemsOf, testProbe, unprobeableRecord } from './helpers/engine-probe.js';

const PORT = 18080;
const TLS_PORT = 18443;
const servers: TestServer[] = [];
const byIp = new Map<string, TestServer>();

async function add(server: Promise<TestServer>): Promise<void> {
  const s = await server;
  servers.push(s);
  byIp.set(`${s.ip}:${s.port}`, s);
}

beforeAll(async () => {
  await add(httpServer('127.5.0.1', PORT, (req, res) => res.end(`fine ${req.url ?? ''}`)));
  await add(
    httpServer('127.5.0.2', PORT, (req, res) => {
      // /owa/ → /a → /b → /a: a loop.
      const next = req.url === '/owa/' ? '/a' : req.url === '/a' ? '/b' : '/a';
      res.writeHead(302, { location: next });
      res.end();
    }),
  );
  await add(
    httpServer('127.5.0.3', PORT, (_req, res) => {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      const chunk = Buffer.alloc(64 * 1024, 0x62);
      const pump = (): void => {
        while (res.write(chunk));
        res.once('drain', pump);
      };
      res.on('error', () => undefined);
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    }),
  );
  await add(rawServer('127.5.1.1', PORT, (s) => socketInterval(s, 60_000, () => undefined))); // tarpit
  await add(rawServer('127.5.1.1', TLS_PORT, (s) => socketInterval(s, 60_000, () => undefined))); // TLS tarpit
  await add(rawServer('127.5.1.2', PORT, (s) => s.resetAndDestroy()));
  await add(
    rawServer('127.5.1.3', PORT, (s) => {
      s.on('error', () => undefined);
      s.once('data', () => s.end('SSH-2.0-OpenSSH_9.6\r\n'));
    }),
  );
  await add(
    rawServer('127.5.1.4', PORT, (s) => {
      const head = 'HTTP/1.1 200 OK\r\n';
      let i = 0;
      s.once('data', () => socketInterval(s, 1000, () => s.write(head[i++ % head.length] ?? ''))); // 1 byte/s headers
    }),
  );
  await add(
    rawServer('127.5.1.5', PORT, (s) => {
      s.once('data', () => {
        s.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n');
        socketInterval(s, 1000, () => s.write('x')); // 1 byte/s body
      });
    }),
  );
  for (let i = 1; i <= 8; i++)
    await add(httpServer(`127.5.2.${i}`, PORT, (_req, res) => res.end('slow lane')));
  await add(httpServer('127.5.3.1', PORT, (_req, res) => res.end('shared')));
});

afterAll(async () => {
  await closeAll(servers);
});

function base(items: AsyncIterable<TargetItem>, over: Partial<EngineOptions> = {}): EngineOptions {
  return {
    items,
    probeEndpoint: testProbe({ paths: ['/owa/'] }),
    unprobeableRecord,
    failureRecord,
    guard: testGuard({ allow: ['127.5.'] }),
    rate: 200,
    concurrency: 16,
    hostGapMs: 0,
    timeoutMs: 1500,
    maxRequestsPerEndpoint: 5,
    userAgent: 'owa-audit-test',
    onRecord: () => undefined,
    ...over,
  };
}

describe('runEngine: one record per endpoint under hostile servers', () => {
  it('ends every endpoint with the right code within its deadline', async () => {
    const cases: [Endpoint, string | null][] = [
      [endpoint('127.5.0.1', PORT), null],
      [endpoint('127.5.0.3', PORT), null], // 50 MB: a truncated prefix is a result, not an error
      [endpoint('127.5.0.2', PORT), 'redirect-loop'],
      [endpoint('127.5.1.1', PORT), 'timeout'],
      [endpoint('127.5.1.1', TLS_PORT, { scheme: 'https' }), 'connect-timeout'],
      [endpoint('127.5.1.2', PORT), 'reset'],
      [endpoint('127.5.1.3', PORT), 'protocol-error'],
      [endpoint('127.5.1.4', PORT), 'timeout'],
      [endpoint('127.5.1.5', PORT), 'timeout'],
      [endpoint('127.5.9.1', PORT), 'connection-refused'],
    ];
    const dnsFailure: TargetItem = {
      kind: 'unprobeable',
      target: 'gone.engine.test',
      host: 'gone.engine.test',
      ip: null,
      port: PORT,
      scheme: 'http',
      owner: null,
      code: 'dns-error',
      message: 'NXDOMAIN',
    };
    const records: ResultRecord[] = [];
    const responses = new Map<string, ProbeResponse[]>();
    const t0 = performance.now();
    const summary = await runEngine(
      base(itemsOf([...cases.map(([e]) => e), dnsFailure]), {
        probeEndpoint: testProbe({
          paths: ['/owa/'],
          maxHops: 3,
          onResponses: (e, r) => responses.set(endpointKey(e), r),
        }),
        maxBodyBytes: 512 * 1024,
        onRecord: (r) => {
          records.push(r);
        },
      }),
    );
    const elapsed = performance.now() - t0;

    expect(records).toHaveLength(cases.length + 1);
    expect(new Set(records.map((r) => endpointKey(r))).size).toBe(cases.length + 1);
    for (const [e, code] of cases) {
      const r = records.find((x) => endpointKey(x) === endpointKey(e));
      expect(r?.error?.code ?? null, endpointKey(e)).toBe(code);
    }
    expect(records.find((r) => r.host === 'gone.engine.test')?.error?.code).toBe('dns-error');
    const big = responses.get(endpointKey(endpoint('127.5.0.3', PORT)))?.[0];
    expect(big?.truncated).toBe(true);
    expect(big?.body.length).toBe(512 * 1024);
    expect(byIp.get(`127.5.0.3:${PORT}`)?.bytesWritten ?? 0).toBeLessThan(20 * 1024 * 1024);
    // All in parallel: the slowest (a timeout of 1.5 s) bounds the run, not the sum.
    expect(elapsed).toBeLessThan(4000);
    expect(summary.records).toBe(cases.length + 1);
    expect(summary.byStatus.unreachable).toBe(3); // refused, connect-timeout, dns-error
    expect(summary.aborted).toBe(false);
    // The redirect loop used 3 requests (/owa/, /a, /b) before /a came round again.
    expect(records.find((r) => r.ip === '127.5.0.2')?.requests).toBe(3);
  });

  it('turns a probe that throws, or never stops, into one failure record', async () => {
    const ok = endpoint('127.5.0.1', PORT, { host: 'throws.engine.test' });
    const stuck = endpoint('127.5.0.1', PORT, { host: 'stuck.engine.test' });
    const records: ResultRecord[] = [];
    const t0 = performance.now();
    await runEngine(
      base(itemsOf([ok, stuck]), {
        timeoutMs: 200,
        maxRequestsPerEndpoint: 2,
        probeGraceMs: 200,
        probeEndpoint: async (e, session) => {
          await session.get('/');
          if (e.host === 'throws.engine.test') throw new TypeError('bug in a probe');
          return new Promise<ResultRecord>(() => undefined); // ignores its signal forever
        },
        onRecord: (r) => {
          records.push(r);
        },
      }),
    );
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(records.map((r) => [r.host, r.error?.code, r.requests])).toEqual(
      expect.arrayContaining([
        ['throws.engine.test', 'internal-error', 1],
        ['stuck.engine.test', 'timeout', 1],
      ]),
    );
  });

  it('still writes a record when the failure-record builder itself throws', async () => {
    const records: ResultRecord[] = [];
    await runEngine(
      base(itemsOf([endpoint('127.5.9.1', PORT)]), {
        failureRecord: () => {
          throw new Error('builder bug');
        },
        onRecord: (r) => {
          records.push(r);
        },
      }),
    );
    expect(records).toHaveLength(1);
    expect(records[0]?.error?.code).toBe('internal-error');
    expect(records[0]?.error?.message).toContain('builder bug');
  });

  it('does not count time waiting at the gate against the endpoint deadline', async () => {
    // 4 endpoints on one IP, 2 GETs each, 400 ms apart: the last one waits ~2.8 s at the gate,
    // far beyond its 2 × 300 ms budget, and must still finish cleanly.
    const endpoints = Array.from({ length: 4 }, (_, i) =>
      endpoint('127.5.3.1', PORT, { host: `v${i}.engine.test` }),
    );
    const records: ResultRecord[] = [];
    await runEngine(
      base(itemsOf(endpoints), {
        hostGapMs: 400,
        timeoutMs: 300,
        maxRequestsPerEndpoint: 2,
        probeEndpoint: testProbe({ paths: ['/a', '/b'] }),
        onRecord: (r) => {
          records.push(r);
        },
      }),
    );
    expect(records).toHaveLength(4);
    expect(records.map((r) => r.error)).toEqual([null, null, null, null]);
    expect(byIp.get(`127.5.3.1:${PORT}`)?.hits).toHaveLength(8);
  });
});

describe('runEngine: streaming, abort, skip, sinks', () => {
  it('pulls lazily, and on abort writes no record for unfinished endpoints', async () => {
    const many = Array.from({ length: 200 }, (_, i) =>
      endpoint(`127.5.2.${(i % 8) + 1}`, PORT, { host: `h${i}.engine.test` }),
    );
    const source = itemsOf(many);
    const stop = new AbortController();
    const records: ResultRecord[] = [];
    let maxAhead = 0;
    const summary = await runEngine(
      base(source, {
        concurrency: 4,
        rate: 40,
        hostGapMs: 0,
        signal: stop.signal,
        probeEndpoint: testProbe({ paths: ['/a', '/b'] }),
        onRecord: (r) => {
          records.push(r);
          maxAhead = Math.max(maxAhead, source.pulled - records.length);
          if (records.length === 10) stop.abort(new Error('ctrl-c'));
        },
      }),
    );
    expect(summary.aborted).toBe(true);
    // Records finishing in the same instant as the abort may still land; nothing after.
    expect(records.length).toBeGreaterThanOrEqual(10);
    expect(records.length).toBeLessThanOrEqual(10 + 4);
    expect(records.every((r) => r.error === null)).toBe(true);
    // Never more than `concurrency` items pulled ahead of the records written.
    expect(maxAhead).toBeLessThanOrEqual(4 + 1);
    expect(source.pulled).toBeLessThanOrEqual(records.length + 4 + 1);
  });

  it('says once that the targets are exhausted, while the last endpoints are still in flight', async () => {
    const many = Array.from({ length: 12 }, (_, i) =>
      endpoint(`127.5.2.${(i % 8) + 1}`, PORT, { host: `x${i}.engine.test` }),
    );
    const source = itemsOf(many);
    const records: ResultRecord[] = [];
    const seen: { records: number; pulled: number }[] = [];
    await runEngine(
      base(source, {
        concurrency: 3,
        probeEndpoint: testProbe({ paths: ['/a'] }),
        onRecord: (r) => {
          records.push(r);
        },
        onTargetsExhausted: () => seen.push({ records: records.length, pulled: source.pulled }),
      }),
    );
    expect(records).toHaveLength(12);
    expect(seen).toHaveLength(1);
    // Every target taken, and the first free slot after the last found nothing more: at most
    // `concurrency` endpoints were left, at least one of them still in flight.
    expect(seen[0]?.pulled).toBe(12);
    expect(seen[0]?.records).toBeGreaterThanOrEqual(12 - 3);
    expect(seen[0]?.records).toBeLessThan(12);
  });

  it('does not say the targets are exhausted when a stop comes first', async () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      endpoint(`127.5.2.${(i % 8) + 1}`, PORT, { host: `y${i}.engine.test` }),
    );
    const stop = new AbortController();
    let exhausted = 0;
    let records = 0;
    const summary = await runEngine(
      base(itemsOf(many), {
        concurrency: 2,
        signal: stop.signal,
        onRecord: () => {
          if (++records === 3) stop.abort(new Error('ctrl-c'));
        },
        onTargetsExhausted: () => (exhausted += 1),
      }),
    );
    expect(summary.aborted).toBe(true);
    expect(exhausted).toBe(0);
  });

  it('stops promptly on abort even when the source is stuck pulling (e.g. a hung DNS lookup)', async () => {
    const stuck: AsyncIterable<TargetItem> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<TargetItem>>(() => undefined),
        return: () => new Promise<IteratorResult<TargetItem>>(() => undefined),
      }),
    };
    const stop = new AbortController();
    setTimeout(() => stop.abort(new Error('ctrl-c')), 100).unref();
    const t0 = performance.now();
    const summary = await runEngine(base(stuck, { signal: stop.signal }));
    expect(summary.aborted).toBe(true);
    expect(summary.records).toBe(0);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('skips endpoints already done without contacting them', async () => {
    const done = endpoint('127.5.0.1', PORT, { host: 'done.engine.test' });
    const todo = endpoint('127.5.0.1', PORT, { host: 'todo.engine.test' });
    const server = byIp.get(`127.5.0.1:${PORT}`) as TestServer;
    const before = server.hits.length;
    const records: ResultRecord[] = [];
    const summary = await runEngine(
      base(itemsOf([done, todo]), {
        skip: (key) => key === endpointKey(done),
        onRecord: (r) => {
          records.push(r);
        },
      }),
    );
    expect(summary.skipped).toBe(1);
    expect(records.map((r) => r.host)).toEqual(['todo.engine.test']);
    expect(server.hits.slice(before).map((h) => h.host)).toEqual([`todo.engine.test:${PORT}`]);
  });

  it('stops the scan and rejects when a sink fails (e.g. disk full)', async () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      endpoint('127.5.0.1', PORT, { host: `s${i}.engine.test` }),
    );
    let calls = 0;
    const diskFull = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    await expect(
      runEngine(
        base(itemsOf(many), {
          concurrency: 2,
          onRecord: () => {
            calls++;
            if (calls === 3) throw diskFull;
          },
        }),
      ),
    ).rejects.toBe(diskFull);
    expect(calls).toBe(3);
  });

  it('hands records to the sinks one at a time', async () => {
    const many = Array.from({ length: 12 }, (_, i) =>
      endpoint('127.5.0.1', PORT, { host: `q${i}.engine.test` }),
    );
    let active = 0;
    let maxActive = 0;
    let n = 0;
    await runEngine(
      base(itemsOf(many), {
        concurrency: 6,
        onRecord: async () => {
          active++;
          maxActive = Math.max(maxActive, active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
          n++;
        },
      }),
    );
    expect(n).toBe(12);
    expect(maxActive).toBe(1);
  });

  it('rejects invalid settings before anything is sent', async () => {
    await expect(runEngine(base(itemsOf([]), { concurrency: 0 }))).rejects.toThrow(RangeError);
    await expect(runEngine(base(itemsOf([]), { rate: 0 }))).rejects.toThrow(RangeError);
  });

  it('maps a ProbeError thrown by the probe to its own code', async () => {
    const records: ResultRecord[] = [];
    await runEngine(
      base(itemsOf([endpoint('127.5.0.1', PORT, { host: 'pe.engine.test' })]), {
        probeEndpoint: () => Promise.reject(new ProbeError('redirect-loop', 'custom')),
        onRecord: (r) => {
          records.push(r);
        },
      }),
    );
    expect(records[0]?.error).toEqual({ code: 'redirect-loop', message: 'custom' });
    expect(records[0]?.status).toBe('error');
  });
});
