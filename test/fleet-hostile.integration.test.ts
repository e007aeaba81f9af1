// The hostile hosts misbehave exactly as documented, and boundedly: the tarpit holds, reset
// resets, garbage is not HTTP, the drip stops after its budget, the huge body honours
// backpressure and stops when the client leaves.
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILES, startFleet, type Fleet, type HostileProfile } from '../src/fleet/index.js';
import { serveHugeBody } from '../src/fleet/respond/hostile.js';
import type { RequestContext } from '../src/fleet/respond/common.js';
import { fetchUrl } from './helpers/fleet-fetch.js';

const HTTPS = 18443;
const HTTP = 18080;
const ip = (n: number): string => `127.15.0.${String(n)}`;
let fleet: Fleet;

const both = [
  { port: HTTPS, scheme: 'https' as const },
  { port: HTTP, scheme: 'http' as const },
];

const quickDrip: HostileProfile = {
  ...PROFILES['slow-drip'],
  id: 'quick-drip',
  dripIntervalMs: 100,
  dripMaxBytes: 10,
};
const smallHuge: HostileProfile = {
  ...PROFILES['huge-body'],
  id: 'small-huge',
  bodyBytes: 3 * 1024 * 1024 + 17,
};

beforeAll(async () => {
  fleet = await startFleet({
    hosts: [
      { ip: ip(1), profile: 'tarpit', ports: both },
      { ip: ip(2), profile: 'reset', ports: both },
      { ip: ip(3), profile: 'garbage', ports: both },
      { ip: ip(4), profile: quickDrip, ports: both },
      { ip: ip(5), profile: 'huge-body', ports: both },
      { ip: ip(6), profile: smallHuge, ports: both },
      { ip: ip(7), profile: 'slow-drip', ports: both },
    ],
    lifetimeMs: 120_000,
  });
});

afterAll(async () => {
  await fleet.stop();
});

/** Connects, optionally writes, and collects what arrives for `ms` (or until close/error). */
function observe(
  host: string,
  port: number,
  write: string | null,
  ms: number,
): Promise<{ data: Buffer; closed: boolean; error: string | null; socket: Socket }> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const chunks: Buffer[] = [];
    let closed = false;
    let error: string | null = null;
    socket.on('connect', () => {
      if (write !== null) socket.write(write);
    });
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on('close', () => {
      closed = true;
    });
    setTimeout(() => resolve({ data: Buffer.concat(chunks), closed, error, socket }), ms);
  });
}

const GET = 'GET /owa/ HTTP/1.1\r\nHost: x\r\n\r\n';

describe('tarpit', () => {
  it('accepts and never sends a byte (no TLS hello on https, no response on http)', async () => {
    const [tls, plain] = await Promise.all([
      new Promise<{ secure: boolean; closed: boolean }>((resolve) => {
        let secure = false;
        let closed = false;
        const s = tlsConnect({ host: ip(1), port: HTTPS, rejectUnauthorized: false });
        s.on('secureConnect', () => (secure = true));
        s.on('error', () => undefined);
        s.on('close', () => (closed = true));
        setTimeout(() => {
          resolve({ secure, closed });
          s.destroy();
        }, 800);
      }),
      observe(ip(1), HTTP, GET, 800),
    ]);
    expect(tls).toEqual({ secure: false, closed: false });
    expect(plain.data.length).toBe(0);
    expect(plain.closed).toBe(false);
    plain.socket.destroy();
    expect(fleet.requestLog.connectionsTo(ip(1))).toBe(2);
    expect(fleet.requestLog.count(ip(1))).toBe(0);
  });
});

describe('reset', () => {
  it('resets the connection right after accept', async () => {
    for (const port of [HTTPS, HTTP]) {
      const r = await observe(ip(2), port, GET, 300);
      expect(r.data.length).toBe(0);
      expect(r.closed).toBe(true);
      expect(r.error).toBe('ECONNRESET');
    }
    await expect(fetchUrl(`https://${ip(2)}:${String(HTTPS)}/owa/`)).rejects.toMatchObject({
      code: 'ECONNRESET',
    });
  });
});

describe('garbage', () => {
  it('answers a request with 2 KiB of non-HTTP bytes and closes', async () => {
    const r = await observe(ip(3), HTTP, GET, 500);
    expect(r.data.length).toBe(2048);
    expect(r.data[0]).toBe(0);
    expect(r.closed).toBe(true);
    expect(r.data.subarray(0, 5).toString('latin1')).not.toBe('HTTP/');
    await expect(fetchUrl(`https://${ip(3)}:${String(HTTPS)}/owa/`)).rejects.toMatchObject({
      code: expect.stringMatching(/^HPE_/) as unknown,
    });
    expect(fleet.requestLog.count(ip(3), HTTP, '*')).toBe(1);
    expect(fleet.requestLog.count(ip(3), HTTPS, '*')).toBe(1);
  });
});

describe('slow drip', () => {
  it('sends one byte per interval and stops after its byte budget', async () => {
    const r = await observe(ip(4), HTTP, GET, 2500);
    expect(r.data.toString('latin1')).toBe('HTTP/1.1 2');
    expect(r.closed).toBe(true);
  });

  it('at the default pace, headers are far from complete after 2.5 s', async () => {
    const r = await observe(ip(7), HTTP, GET, 2500);
    expect(r.data.length).toBeGreaterThanOrEqual(1);
    expect(r.data.length).toBeLessThanOrEqual(3);
    expect(r.closed).toBe(false);
    r.socket.destroy();
    await expect(fetchUrl(`https://${ip(7)}:${String(HTTPS)}/owa/`, { timeoutMs: 1200 })).rejects.toThrow(
      /timeout/,
    );
  });
});

describe('huge body', () => {
  it('streams the declared length with backpressure to a slow reader', async () => {
    const r = await new Promise<{ status: number; length: string | undefined; bytes: number }>(
      (resolve, reject) => {
        const s = connect({ host: ip(6), port: HTTP });
        let buf = Buffer.alloc(0);
        let headerEnd = -1;
        let bodyBytes = 0;
        s.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
        s.on('data', (d: Buffer) => {
          if (headerEnd < 0) {
            buf = Buffer.concat([buf, d]);
            headerEnd = buf.indexOf('\r\n\r\n');
            if (headerEnd >= 0) bodyBytes = buf.length - headerEnd - 4;
          } else bodyBytes += d.length;
          // Read slowly for a while so the server has to wait for 'drain'.
          if (bodyBytes < 1024 * 1024) {
            s.pause();
            setTimeout(() => s.resume(), 5);
          }
        });
        s.on('error', reject);
        s.on('close', () => {
          const head = buf.subarray(0, headerEnd).toString('latin1');
          resolve({
            status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1]),
            length: /\r\nContent-Length: (\d+)/i.exec(head)?.[1],
            bytes: bodyBytes,
          });
        });
      },
    );
    expect(r.status).toBe(200);
    expect(r.length).toBe(String(3 * 1024 * 1024 + 17));
    expect(r.bytes).toBe(3 * 1024 * 1024 + 17);
  });

  it('declares 50 MiB and stops sending when the client goes away', async () => {
    const r = await fetchUrl(`https://${ip(5)}:${String(HTTPS)}/owa/`, { maxBytes: 512 * 1024 });
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe(String(50 * 1024 * 1024));
    expect(r.bytes).toBeGreaterThan(512 * 1024);
    expect(r.bytes).toBeLessThan(50 * 1024 * 1024);
    // The fleet keeps serving afterwards.
    const again = await fetchUrl(`http://${ip(5)}:${String(HTTP)}/`, { maxBytes: 64 * 1024 });
    expect(again.status).toBe(200);
  });
});

describe('huge body pump', () => {
  /** A response stand-in whose writes complete only when the test says so. */
  class SlowResponse extends Writable {
    writes = 0;
    pending: (() => void)[] = [];
    constructor() {
      super({ highWaterMark: 64 * 1024 });
    }
    writeHead(): this {
      return this;
    }
    override _write(_chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
      this.writes++;
      this.pending.push(() => done());
    }
  }

  it('waits for drain before writing more, and stops for good when the response closes', async () => {
    const res = new SlowResponse();
    const ctx = { req: { method: 'GET' }, res } as unknown as RequestContext;
    serveHugeBody(ctx, 50 * 1024 * 1024);
    await new Promise((r) => setTimeout(r, 20));
    // One chunk in _write, the buffer full: nothing more until it drains.
    expect(res.writes).toBe(1);
    expect(res.writableLength).toBeLessThanOrEqual(2 * 64 * 1024);
    res.pending.shift()?.();
    await new Promise((r) => setTimeout(r, 20));
    expect(res.writes).toBe(2);
    res.destroy();
    await new Promise((r) => setTimeout(r, 20));
    const after = res.writes;
    res.pending.forEach((f) => f());
    await new Promise((r) => setTimeout(r, 20));
    expect(res.writes).toBe(after);
  });
});
