// Politeness, judged by server-side timestamps on 127.4.x.x (and the global rate also at the sender,
// where it is exact): the global rate in every sliding one-second window, the per-IP gap, a slow
// host not slowing the others, Retry-After per host.
// The rate and gap are measured by servers in a separate process (engine-hit-server.js), as a
// real target would see them; the others by in-process servers.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEngine, type EngineOptions } from '../src/engine/scan.js';
import { DEFAULT_WINDOW_MARGIN_MS } from '../src/engine/rate-gate.js';
import type { Endpoint } from '../src/scope/types.js';
import { testGuard } from './helpers/engine-guard.js';
import { closeAll, httpServer, maxInWindow, type Hit, type TestServer } from './helpers/engine-servers.js';
import { endpoint, failureRecord, itemsOf, testProbe, unprobeableRecord } from './helpers/engine-probe.js';

const PORT = 18080;
const servers = new Map<string, TestServer>();
const retryAfterServed = new Set<string>();

async function serve(ip: string): Promise<void> {
  servers.set(
    ip,
    await httpServer(ip, PORT, (req, res) => {
      // 127.4.3.1 answers its first request with 429 + Retry-After: 1.
      if (ip === '127.4.3.1' && !retryAfterServed.has(ip)) {
        retryAfterServed.add(ip);
        res.writeHead(429, { 'retry-after': '1' });
        res.end();
        return;
      }
      res.end(`ok ${req.url ?? ''}`);
    }),
  );
}

const ips = {
  rate: Array.from({ length: 10 }, (_, i) => `127.4.0.${i + 1}`),
  gap: ['127.4.1.1'],
  hot: ['127.4.2.1'],
  others: Array.from({ length: 8 }, (_, i) => `127.4.2.${i + 10}`),
  retry: ['127.4.3.1', '127.4.3.2'],
};

/** The out-of-process servers: started once, asked for their log after each test. */
interface HitServer {
  proc: ChildProcessByStdio<Writable, Readable, null>;
  dump(): Promise<Hit[]>;
}

async function startHitServer(ipList: string[]): Promise<HitServer> {
  const script = fileURLToPath(new URL('./helpers/engine-hit-server.js', import.meta.url));
  const proc = spawn(process.execPath, [script, JSON.stringify({ ips: ipList, port: PORT })], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done === true) throw new Error('hit server exited');
    return line.value;
  };
  expect(await next()).toBe('ready');
  return {
    proc,
    async dump() {
      proc.stdin.write('dump\n');
      return JSON.parse(await next()) as Hit[];
    },
  };
}

let remote: HitServer;

beforeAll(async () => {
  for (const ip of [...ips.hot, ...ips.others, ...ips.retry]) await serve(ip);
  remote = await startHitServer([...ips.rate, ...ips.gap]);
});

afterAll(async () => {
  remote.proc.stdin.end();
  await closeAll([...servers.values()]);
});

function hitsOf(ipList: string[]): Hit[] {
  return ipList.flatMap((ip) => servers.get(ip)?.hits ?? []);
}

async function remoteHitsOf(ipList: string[]): Promise<Hit[]> {
  return (await remote.dump()).filter((h) => ipList.includes(h.ip));
}

function vhosts(ip: string, n: number): Endpoint[] {
  return Array.from({ length: n }, (_, i) => endpoint(ip, PORT, { host: `v${i}.rate.test` }));
}

function options(endpoints: Endpoint[], over: Partial<EngineOptions>): EngineOptions {
  return {
    items: itemsOf(endpoints),
    probeEndpoint: testProbe({ paths: ['/a', '/b', '/c'] }),
    unprobeableRecord,
    failureRecord,
    guard: testGuard({ allow: ['127.4.'] }),
    rate: 20,
    concurrency: 20,
    hostGapMs: 100,
    timeoutMs: 2000,
    maxRequestsPerEndpoint: 5,
    userAgent: 'owa-audit-test',
    onRecord: () => undefined,
    ...over,
  };
}

describe('rate gate, measured at the servers', () => {
  it('never writes more than `rate` requests in any one-second window, and runs close to the limit', async () => {
    const endpoints = ips.rate.flatMap((ip) => vhosts(ip, 2)); // 20 endpoints × 3 GETs = 60 requests
    // The sender side: when undici writes each request head (where the gate counts from).
    const sent: { t: number; ip: string }[] = [];
    const onSend = (message: unknown): void => {
      const origin = (message as { request?: { origin?: unknown } }).request?.origin;
      sent.push({ t: performance.now(), ip: new URL(String(origin)).hostname });
    };
    subscribe('undici:client:sendHeaders', onSend);
    let summary;
    try {
      summary = await runEngine(options(endpoints, { rate: 20 }));
    } finally {
      unsubscribe('undici:client:sendHeaders', onSend);
    }
    const hits = await remoteHitsOf(ips.rate);
    const times = hits.map((h) => h.t);
    expect(times).toHaveLength(60);
    expect(sent).toHaveLength(60);
    expect(summary.requests).toBe(60);
    // The promise, strictly, where it can be exact: closed windows [t, t + 1000 ms] at every write.
    expect(
      maxInWindow(
        sent.map((s) => s.t).sort((a, b) => a - b),
        1000,
      ),
    ).toBeLessThanOrEqual(20);
    // The far end sees the same whenever its arrival times jitter by no more than the gate's
    // margin relative to each other (send→arrival delays, per IP in order; the servers' clock has
    // another origin, which cancels out of the spread). A busier far end may see more: not a bug.
    const delays: number[] = [];
    for (const ip of ips.rate) {
      const out = sent.filter((s) => s.ip === ip).map((s) => s.t);
      const arrived = hits.filter((h) => h.ip === ip).map((h) => h.t);
      arrived.sort((a, b) => a - b);
      out.forEach((t, k) => delays.push((arrived[k] ?? Number.NaN) - t));
    }
    const spread = Math.max(...delays) - Math.min(...delays);
    expect(Number.isFinite(spread)).toBe(true);
    if (spread <= DEFAULT_WINDOW_MARGIN_MS) expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(20);
    // The floor, loosely: 60 requests at 20/s need just over two windows; allow for a noisy machine.
    const span = Math.max(...times) - Math.min(...times);
    expect(span).toBeGreaterThanOrEqual(2000);
    expect(span).toBeLessThan(4000);
  });

  it('keeps the minimum gap between two requests to one IP, across endpoints sharing it', async () => {
    const endpoints = vhosts(ips.gap[0] as string, 6); // 6 endpoints × 2 GETs on one address
    await runEngine(
      options(endpoints, {
        rate: 100,
        hostGapMs: 250,
        concurrency: 6,
        probeEndpoint: testProbe({ paths: ['/a', '/b'] }),
      }),
    );
    const times = (await remoteHitsOf(ips.gap)).map((h) => h.t).sort((a, b) => a - b);
    expect(times).toHaveLength(12);
    const gaps = times
      .slice(1)
      .map((t, i) => t - (times[i] as number))
      .sort((a, b) => a - b);
    // The gate counts from the moment a request is written. The server's timestamps carry its own
    // wake-up latency, a few ms normally and up to tens of ms on a loaded 2-core machine, so:
    // the typical gap is the configured one, and no gap is short by more than that noise
    // (without the gate these requests would be < 5 ms apart).
    expect(gaps[Math.floor(gaps.length / 2)]).toBeGreaterThanOrEqual(248);
    expect(gaps[0]).toBeGreaterThanOrEqual(200);
    expect((times.at(-1) as number) - (times[0] as number)).toBeGreaterThanOrEqual(11 * 250 - 50);
  });

  it('does not let one host waiting out its gap take global slots from the others', async () => {
    // 16 endpoints queue on one IP (200 ms apart: ≥ 3 s), 8 other hosts want one request each.
    // Together they exceed one window (20), so if waiting hot requests held global slots the
    // others would be pushed into the next window (≥ 1 s).
    const hot = vhosts(ips.hot[0] as string, 16);
    const others = ips.others.map((ip) => endpoint(ip, PORT));
    const t0 = performance.now();
    await runEngine(
      options([...hot, ...others], {
        rate: 20,
        hostGapMs: 200,
        concurrency: 24,
        probeEndpoint: testProbe({ paths: ['/a'] }),
      }),
    );
    const othersDone = Math.max(...hitsOf(ips.others).map((h) => h.t)) - t0;
    const hotDone = Math.max(...hitsOf(ips.hot).map((h) => h.t)) - t0;
    expect(hitsOf(ips.others)).toHaveLength(8);
    expect(hitsOf(ips.hot)).toHaveLength(16);
    expect(hotDone).toBeGreaterThanOrEqual(15 * 200);
    expect(othersDone).toBeLessThan(700);
  });

  it('honours Retry-After on 429 for that host only', async () => {
    const [slow, fast] = ips.retry as [string, string];
    await runEngine(options([endpoint(slow, PORT), endpoint(fast, PORT)], { rate: 100, hostGapMs: 50 }));
    const slowHits = hitsOf([slow]).map((h) => h.t);
    const fastHits = hitsOf([fast]).map((h) => h.t);
    expect(slowHits).toHaveLength(3);
    expect(fastHits).toHaveLength(3);
    expect((slowHits[1] as number) - (slowHits[0] as number)).toBeGreaterThanOrEqual(990);
    // The other host kept its own pace (two gaps of 50 ms), untouched by the back-off.
    expect(Math.max(...fastHits) - Math.min(...fastHits)).toBeLessThan(600);
  });
});
