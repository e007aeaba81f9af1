// HTTP session against real loopback sockets (127.3.x.x): headers, TLS capture, bounded reads,
// caps, and every hostile behaviour mapped to its closed-list code within its deadline.
import { X509Certificate } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect as tlsConnect, TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type HttpSession } from '../src/engine/session.js';
import { ProbeError } from '../src/core/errors.js';
import { createEndpointDeadline } from '../src/engine/deadline.js';
import { createRateGate, type GateTicket, type RateGate } from '../src/engine/rate-gate.js';
import type { Endpoint } from '../src/scope/types.js';
import { testGuard } from './helpers/engine-guard.js';
import {
  closeAll,
  httpServer,
  rawServer,
  socketInterval,
  tlsFixture,
  type TestServer,
} from './helpers/engine-servers.js';
import { endpoint } from './helpers/engine-probe.js';

const PORT = 18080;
const TLS_PORT = 18443;
const guard = testGuard({ allow: ['127.3.'] });
const servers: TestServer[] = [];
const sniSeen: (string | false | null)[] = [];
/** Per request at 127.3.2.3: whether the server resumed a TLS session for its connection. */
const resumedSeen: boolean[] = [];
/** 127.3.0.2: answers, except on /slow; 103 Early Hints first on /early. */
let answering: TestServer | undefined;

function session(
  e: Endpoint,
  over: Partial<Parameters<typeof openSession>[0]> = {},
): HttpSession & { close(): Promise<void> } {
  return openSession({
    endpoint: e,
    guard,
    gate: createRateGate({ rate: 1000, hostGapMs: 0 }),
    userAgent: 'owa-audit-test/1 (contact test@example.invalid)',
    timeoutMs: 800,
    maxBodyBytes: 64 * 1024,
    maxRequests: 5,
    signal: new AbortController().signal,
    ...over,
  });
}

async function failure(p: Promise<unknown>): Promise<{ code: string; ms: number; err: unknown }> {
  const t0 = performance.now();
  try {
    await p;
  } catch (err) {
    return { code: (err as ProbeError).code, ms: performance.now() - t0, err };
  }
  throw new Error('expected the request to fail');
}

beforeAll(async () => {
  servers.push(
    await httpServer('127.3.0.1', PORT, (req, res) => {
      if (req.url === '/big') {
        // 50 MB, written as fast as the client takes it.
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(50 * 1024 * 1024) });
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        let sent = 0;
        const pump = (): void => {
          while (sent < 50 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        res.on('error', () => undefined);
        pump();
        return;
      }
      if (req.url === '/huge-headers') {
        res.writeHead(200, { 'x-filler': 'y'.repeat(100 * 1024) });
        res.end('never read');
        return;
      }
      res.setHeader('X-OWA-Version', '15.1.2507.6');
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.end(`héllo ${req.url ?? ''}`);
    }),
  );
  // HTTPS with the self-signed fixture, recording the SNI each handshake carried.
  const https = await httpServer(
    '127.3.2.1',
    TLS_PORT,
    (req, res) => {
      const servername: unknown = (req.socket as Partial<Record<'servername', unknown>>).servername;
      sniSeen.push(typeof servername === 'string' || servername === false ? servername : null);
      res.end('tls ok');
    },
    tlsFixture('self'),
  );
  servers.push(https);
  servers.push(await httpServer('127.3.2.2', TLS_PORT, (_req, res) => res.end('leaf'), tlsFixture('leaf')));
  servers.push(await httpServer('127.3.2.4', TLS_PORT, (_req, res) => res.end('twin'), tlsFixture('twin')));
  // Node's HTTPS server issues TLS 1.3 tickets and resumes sessions when a client offers one.
  servers.push(
    await httpServer(
      '127.3.2.3',
      TLS_PORT,
      (req, res) => {
        resumedSeen.push(req.socket instanceof TLSSocket && req.socket.isSessionReused());
        res.end('resumable');
      },
      tlsFixture('self'),
    ),
  );
  // One origin that answers some paths and sits on others, and sends 103 Early Hints on one.
  answering = await httpServer('127.3.0.2', PORT, (req, res) => {
    if (req.url === '/slow') return; // never answers: the whole-request timer ends it
    if (req.url === '/early') res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
    res.setHeader('X-Path', req.url ?? '');
    res.end(`answer ${req.url ?? ''}`);
  });
  servers.push(answering);
  // Hostile servers.
  servers.push(await rawServer('127.3.1.1', PORT, (s) => socketInterval(s, 60_000, () => undefined))); // tarpit
  servers.push(await rawServer('127.3.1.1', TLS_PORT, (s) => socketInterval(s, 60_000, () => undefined))); // tarpit before TLS
  servers.push(
    await rawServer('127.3.1.2', PORT, (s) => {
      s.on('error', () => undefined);
      s.resetAndDestroy();
    }),
  );
  servers.push(
    await rawServer('127.3.1.3', PORT, (s) => {
      s.on('error', () => undefined);
      s.once('data', () => s.end('\x00\x01garbage that is not HTTP\r\n\r\n'));
    }),
  );
  servers.push(
    await rawServer('127.3.1.4', PORT, (s) => {
      // Headers one byte per 100 ms: each byte resets an idle timer, never completes in time.
      const head = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello';
      let i = 0;
      s.once('data', () => socketInterval(s, 100, () => s.write(head[i++ % head.length] ?? '')));
    }),
  );
  servers.push(
    await rawServer('127.3.1.5', PORT, (s) => {
      // Headers at once, then the body one byte per 100 ms.
      s.once('data', () => {
        s.write('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n');
        socketInterval(s, 100, () => s.write('x'));
      });
    }),
  );
});

afterAll(async () => {
  await closeAll(servers);
});

describe('session: well-behaved server', () => {
  it('sends GET with Host, User-Agent and Accept, normalises headers, decodes UTF-8, keeps the connection', async () => {
    const server = servers[0] as TestServer;
    const before = server.connections;
    const s = session(endpoint('127.3.0.1', PORT, { host: 'mail.engine.test' }));
    try {
      const a = await s.get('/owa/');
      const b = await s.get('/owa/auth/logon.aspx?x=1');
      expect(a.status).toBe(200);
      expect(a.url).toBe(`http://mail.engine.test:${PORT}/owa/`);
      expect(a.headers['x-owa-version']).toBe('15.1.2507.6');
      expect(a.headers['set-cookie']).toBe('a=1, b=2');
      expect(a.body).toBe('héllo /owa/');
      expect(a.truncated).toBe(false);
      expect(b.path).toBe('/owa/auth/logon.aspx?x=1');
      expect(s.requests).toBe(2);
      expect(s.tls).toBeNull();
      const hits = server.hits.slice(-2);
      expect(hits.map((h) => h.host)).toEqual([`mail.engine.test:${PORT}`, `mail.engine.test:${PORT}`]);
      expect(hits[0]?.userAgent).toBe('owa-audit-test/1 (contact test@example.invalid)');
      expect(hits[0]?.headers.accept).toBe('*/*');
      expect(hits[0]?.headers.cookie).toBeUndefined();
      expect(hits[0]?.headers.authorization).toBeUndefined();
      expect(server.connections - before).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('tells the gate when each request is actually written, kept-alive ones included', async () => {
    const real = createRateGate({ rate: 1000, hostGapMs: 0 });
    const onWire: string[] = [];
    const watched = (ip: string, ticket: GateTicket): GateTicket => ({
      onWire: () => {
        onWire.push(ip);
        ticket.onWire();
      },
    });
    const gate: RateGate = {
      ...real,
      tryTurn: (ip) => {
        const ticket = real.tryTurn(ip);
        return ticket === null ? null : watched(ip, ticket);
      },
      turn: async (ip, signal) => watched(ip, await real.turn(ip, signal)),
      backOff: (ip, ms) => {
        real.backOff(ip, ms);
      },
    };
    const before = servers[0]?.connections ?? 0;
    const s = session(endpoint('127.3.0.1', PORT), { gate });
    try {
      await s.get('/1');
      await s.get('/2');
      await s.get('/3');
    } finally {
      await s.close();
    }
    expect((servers[0]?.connections ?? 0) - before).toBe(1);
    // Once when the connection came up, then once per request head written.
    expect(onWire).toEqual(['127.3.0.1', '127.3.0.1', '127.3.0.1', '127.3.0.1']);
  });

  it('sends the bare IP as Host when the target is an address', async () => {
    const s = session(endpoint('127.3.0.1', PORT));
    try {
      await s.get('/');
      expect(servers[0]?.hits.at(-1)?.host).toBe(`127.3.0.1:${PORT}`);
    } finally {
      await s.close();
    }
  });

  it('refuses a request over the cap without sending it', async () => {
    const server = servers[0] as TestServer;
    const s = session(endpoint('127.3.0.1', PORT), { maxRequests: 2 });
    try {
      const before = server.hits.length;
      await s.get('/1');
      await s.get('/2');
      const f = await failure(s.get('/3'));
      expect(f.code).toBe('internal-error');
      expect(server.hits.length - before).toBe(2);
      expect(s.requests).toBe(2);
    } finally {
      await s.close();
    }
  });

  it('keeps the first maxBodyBytes of a 50 MB body, marks it truncated, and stops the download', async () => {
    const server = servers[0] as TestServer;
    const s = session(endpoint('127.3.0.1', PORT), { maxBodyBytes: 512 * 1024, timeoutMs: 5000 });
    const heapBefore = process.memoryUsage().arrayBuffers;
    try {
      const r = await s.get('/big');
      expect(r.truncated).toBe(true);
      expect(r.body.length).toBe(512 * 1024);
      // The connection was dropped: the session still works, on a fresh connection.
      const after = await s.get('/again');
      expect(after.body).toBe('héllo /again');
    } finally {
      await s.close();
    }
    // Whatever the kernel buffered, nowhere near 50 MB crossed the socket or stayed in memory.
    expect(server.bytesWritten).toBeLessThan(20 * 1024 * 1024);
    expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(20 * 1024 * 1024);
  });

  it('reports response-too-large when the head alone exceeds the header bound', async () => {
    const s = session(endpoint('127.3.0.1', PORT));
    try {
      expect((await failure(s.get('/huge-headers'))).code).toBe('response-too-large');
    } finally {
      await s.close();
    }
  });
});

describe('session: one timer, one listener, one request at a time', () => {
  it('times a request out, serves the next, and times out again after an idle stretch: one budget each', async () => {
    const s = session(endpoint('127.3.0.2', PORT));
    try {
      const first = await failure(s.get('/slow'));
      expect([first.code, first.ms < 1500]).toEqual(['timeout', true]);
      expect((await s.get('/ok')).body).toBe('answer /ok');
      // Longer than the budget: the session's timer runs out while nothing is in flight.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect((await s.get('/ok-again')).status).toBe(200);
      const t0 = performance.now();
      const again = await failure(s.get('/slow'));
      expect(again.code).toBe('timeout');
      // A whole budget again, not what was left of an earlier one.
      expect(performance.now() - t0).toBeGreaterThanOrEqual(790);
      expect(again.ms).toBeLessThan(1500);
      expect(s.requests).toBe(4);
    } finally {
      await s.close();
    }
  });

  it('serves calls made at once one at a time, in order', async () => {
    const before = answering?.hits.length ?? 0;
    const s = session(endpoint('127.3.0.2', PORT));
    try {
      const bodies = await Promise.all(['/a', '/b', '/c'].map(async (p) => (await s.get(p)).body));
      expect(bodies).toEqual(['answer /a', 'answer /b', 'answer /c']);
    } finally {
      await s.close();
    }
    expect(answering?.hits.slice(before).map((h) => h.path)).toEqual(['/a', '/b', '/c']);
  });

  it('reads the final response after 103 Early Hints', async () => {
    const s = session(endpoint('127.3.0.2', PORT));
    try {
      const r = await s.get('/early');
      expect([r.status, r.body, r.headers['x-path']]).toEqual([200, 'answer /early', '/early']);
      expect(r.headers.link).toBeUndefined();
    } finally {
      await s.close();
    }
  });

  it('drops the connection of a body cut at the bound, and opens a new one for the next request', async () => {
    const before = servers[0]?.connections ?? 0;
    const s = session(endpoint('127.3.0.1', PORT), { maxBodyBytes: 1000 });
    try {
      const cut = await s.get('/big');
      expect([cut.body.length, cut.truncated]).toEqual([1000, true]);
      const next = await s.get('/after');
      expect([next.body, next.truncated]).toEqual(['héllo /after', false]);
    } finally {
      await s.close();
    }
    expect((servers[0]?.connections ?? 0) - before).toBe(2);
  });

  it('hears of its endpoint deadline through the deadline, not a listener on its signal', async () => {
    const deadline = createEndpointDeadline(300);
    const s = session(endpoint('127.3.1.1', PORT), { signal: deadline.signal, deadline, timeoutMs: 5_000 });
    try {
      const pending = failure(s.get('/')); // the tarpit: only the deadline ends it
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(EventEmitter.getEventListeners(deadline.signal, 'abort')).toHaveLength(0);
      const f = await pending;
      expect([f.code, (f.err as Error).message]).toEqual(['timeout', 'endpoint deadline of 300 ms passed']);
      expect(f.ms).toBeLessThan(1_000);
    } finally {
      await s.close();
      deadline.dispose();
    }
  });

  it('leaves no listener on the endpoint signal once closed', async () => {
    const signal = new AbortController().signal;
    const s = session(endpoint('127.3.0.2', PORT), { signal });
    await s.get('/1');
    await s.get('/2');
    await s.close();
    expect(EventEmitter.getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});

describe('session: TLS', () => {
  it('captures the self-signed certificate and sends SNI from the target name', async () => {
    const s = session(endpoint('127.3.2.1', TLS_PORT, { host: 'mail.engine.test', scheme: 'https' }));
    try {
      const r = await s.get('/owa/');
      expect(r.body).toBe('tls ok');
      expect(sniSeen.at(-1)).toBe('mail.engine.test');
      const pem = tlsFixture('self').cert;
      const expected = new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();
      expect(s.tls).toMatchObject({
        subject: 'CN=mail.engine.test, O=owa-audit test',
        issuer: 'CN=mail.engine.test, O=owa-audit test',
        san: ['mail.engine.test', 'autodiscover.engine.test', '127.3.2.1'],
        sha256: expected,
        selfSigned: true,
      });
      expect(s.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
      expect(s.tls?.cipher).toBeTruthy();
      expect(s.tls?.notAfter).toBe(new Date(new X509Certificate(pem).validTo).toISOString());
      expect(s.tls?.notBefore).toMatch(/^\d{4}-\d\d-\d\dT/);
    } finally {
      await s.close();
    }
  });

  it('sends no SNI for a bare IP and tells a CA-issued leaf from a self-signed one', async () => {
    const a = session(endpoint('127.3.2.1', TLS_PORT, { scheme: 'https' }));
    const b = session(endpoint('127.3.2.2', TLS_PORT, { host: 'owa.engine.test', scheme: 'https' }));
    try {
      await a.get('/');
      expect(sniSeen.at(-1)).toBe(false);
      await b.get('/');
      expect(b.tls).toMatchObject({
        subject: 'CN=owa.engine.test',
        issuer: 'CN=owa-audit test CA',
        selfSigned: false,
        san: ['owa.engine.test'],
      });
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('session: self-signed means self-issued (subject DN = issuer DN)', () => {
  it('records a leaf named exactly like the CA that signed it as self-signed: the documented edge case', async () => {
    const s = session(endpoint('127.3.2.4', TLS_PORT, { host: 'twin.engine.test', scheme: 'https' }));
    try {
      await s.get('/');
      const leaf = new X509Certificate(readFileSync(new URL('./fixtures/engine/twin.pem', import.meta.url)));
      const ca = new X509Certificate(readFileSync(new URL('./fixtures/engine/twin-ca.pem', import.meta.url)));
      // Really another key's signature, with the CA in the chain the server sent.
      expect(leaf.checkIssued(ca) && leaf.verify(ca.publicKey)).toBe(true);
      expect(leaf.verify(leaf.publicKey)).toBe(false);
      expect(s.tls).toMatchObject({
        subject: 'CN=twin.engine.test',
        issuer: 'CN=twin.engine.test',
        sha256: leaf.fingerprint256.replace(/:/g, '').toLowerCase(),
        selfSigned: true,
      });
    } finally {
      await s.close();
    }
  });
});

describe('session: every connection does a full TLS handshake', () => {
  /** A bare client that offers `session`; resolves with whether it was resumed, and its ticket. */
  function bareConnect(session?: Buffer): Promise<{ reused: boolean; ticket: Buffer | null }> {
    return new Promise((resolve, reject) => {
      let ticket: Buffer | null = null;
      let reused = false;
      const socket = tlsConnect({
        host: '127.3.2.3',
        port: TLS_PORT,
        servername: 'mail.engine.test',
        rejectUnauthorized: false,
        ...(session === undefined ? {} : { session }),
      });
      const timer = setTimeout(() => socket.destroy(new Error('no answer in 3 s')), 3_000);
      socket.on('session', (s: Buffer) => (ticket = s));
      socket.on('error', reject);
      socket.on('secureConnect', () => {
        reused = socket.isSessionReused();
        socket.end('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      });
      socket.on('data', () => undefined);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve({ reused, ticket });
      });
    });
  }

  it('the server would resume a session offered to it (the control)', async () => {
    const first = await bareConnect();
    expect(first.reused).toBe(false);
    expect(first.ticket).not.toBeNull();
    const second = await bareConnect(first.ticket ?? undefined);
    expect(second.reused).toBe(true);
  });

  it('a second connection to one host, in another session or after a drop, resumes nothing', async () => {
    resumedSeen.length = 0;
    const e = endpoint('127.3.2.3', TLS_PORT, { host: 'mail.engine.test', scheme: 'https' });
    for (let i = 0; i < 3; i++) {
      const s = session(e);
      try {
        await s.get('/');
        expect(s.tls?.selfSigned).toBe(true); // the certificate is seen on every handshake
      } finally {
        await s.close();
      }
    }
    expect(resumedSeen).toEqual([false, false, false]);
  });
});

describe('session: close', () => {
  it('drops what is in flight with one reason made once, not a new error per session', async () => {
    const causes: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      const s = session(endpoint('127.3.1.1', PORT), { timeoutMs: 5_000 }); // the tarpit
      const pending = s.get('/');
      const outcome = pending.then(
        () => null,
        (err: unknown) => err,
      );
      // Connected (the tarpit accepts) and waiting for a head that never comes.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const t0 = performance.now();
      await s.close();
      const err = await outcome;
      expect(performance.now() - t0).toBeLessThan(1_000);
      expect(err).toBeInstanceOf(ProbeError);
      causes.push((err as ProbeError).cause);
    }
    expect(causes[0]).toBeInstanceOf(Error);
    expect(causes[1]).toBe(causes[0]);
  });

  it('closes a session that never connected, and twice, at once', async () => {
    const s = session(endpoint('127.3.0.1', PORT));
    await s.close();
    await s.close();
    await expect(s.get('/')).rejects.toThrow('session already closed');
  });
});

describe('session: hostile servers end with the right code within the deadline', () => {
  const cases: [name: string, e: Endpoint, code: string][] = [
    ['tarpit (accepts, never answers)', endpoint('127.3.1.1', PORT), 'timeout'],
    [
      'tarpit before the TLS handshake',
      endpoint('127.3.1.1', TLS_PORT, { scheme: 'https' }),
      'connect-timeout',
    ],
    ['reset after accept', endpoint('127.3.1.2', PORT), 'reset'],
    ['garbage bytes', endpoint('127.3.1.3', PORT), 'protocol-error'],
    ['slow drip headers', endpoint('127.3.1.4', PORT), 'timeout'],
    ['slow drip body', endpoint('127.3.1.5', PORT), 'timeout'],
    ['connection refused', endpoint('127.3.9.1', PORT), 'connection-refused'],
    ['TLS to a plain HTTP server', endpoint('127.3.0.1', PORT, { scheme: 'https' }), 'tls-error'],
  ];
  for (const [name, e, code] of cases) {
    it(`${name} → ${code}`, async () => {
      const s = session(e);
      try {
        const f = await failure(s.get('/owa/'));
        expect(f.err).toBeInstanceOf(ProbeError);
        expect(f.code).toBe(code);
        // timeoutMs is 800: undici's late timers are backed by our own deadline.
        expect(f.ms).toBeLessThan(1500);
        expect(s.requests).toBe(1);
      } finally {
        await s.close();
      }
    });
  }

  it('rejects with the scan-wide abort reason, not a probe error, when the scan is stopped', async () => {
    const stop = new AbortController();
    const s = session(endpoint('127.3.1.1', PORT), { signal: stop.signal, timeoutMs: 5000 });
    setTimeout(() => stop.abort(new Error('ctrl-c')), 100).unref();
    try {
      const f = await failure(s.get('/'));
      expect(f.err).not.toBeInstanceOf(ProbeError);
      expect((f.err as Error).message).toBe('ctrl-c');
      expect(f.ms).toBeLessThan(1000);
    } finally {
      await s.close();
    }
  });
});
