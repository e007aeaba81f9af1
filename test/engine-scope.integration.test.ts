// Zero requests to out-of-scope addresses (127.6.x.x): via redirect, via DNS, via an endpoint that
// slipped past expansion, and when the guard changes its mind between check and connect.
// The out-of-scope address 127.6.9.9 has a live listener that counts every connection it gets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateGate } from '../src/engine/rate-gate.js';
import { guardedConnector } from '../src/engine/connector.js';
import { openSession } from '../src/engine/session.js';
import { ScopeRefusal } from '../src/core/errors.js';
import { runEngine } from '../src/engine/scan.js';
import type { ResultRecord } from '../src/core/result-schema.js';
import type { Endpoint, ScopeGuard } from '../src/scope/types.js';
import { testGuard, type TestGuard } from './helpers/engine-guard.js';
import { closeAll, httpServer, type TestServer } from './helpers/engine-servers.js';
import { endpoint, failureRecord, itemsOf, testProbe, unprobeableRecord } from './helpers/engine-probe.js';

const PORT = 18080;
const FORBIDDEN = '127.6.9.9';
let forbidden: TestServer;
let redirector: TestServer;
let inScope: TestServer;

function guard(): TestGuard {
  return testGuard({
    allow: ['127.6.0.'],
    dns: {
      'evil.scope.test': [FORBIDDEN],
      'in.scope.test': ['127.6.0.2'],
      'mixed.scope.test': [FORBIDDEN, '127.6.0.2'],
      'named.scope.test': [FORBIDDEN],
    },
  });
}

beforeAll(async () => {
  forbidden = await httpServer(FORBIDDEN, PORT, (_req, res) => res.end('you should never see this'));
  inScope = await httpServer('127.6.0.2', PORT, (req, res) => {
    if (req.url?.startsWith('/close') === true) res.setHeader('connection', 'close');
    res.end('in scope');
  });
  redirector = await httpServer('127.6.0.1', PORT, (req, res) => {
    const to: Record<string, string> = {
      '/to-ip': `http://${FORBIDDEN}:${PORT}/owa/`,
      '/to-evil-name': `http://evil.scope.test:${PORT}/owa/`,
      '/to-good-name': `http://in.scope.test:${PORT}/owa/`,
      '/to-mixed-name': `http://mixed.scope.test:${PORT}/owa/`,
      '/to-ftp': 'ftp://127.6.0.2/owa/',
    };
    const location = to[req.url ?? ''];
    if (location === undefined) {
      res.end('plain');
      return;
    }
    res.writeHead(302, { location });
    res.end();
  });
});

afterAll(async () => {
  await closeAll([forbidden, redirector, inScope]);
});

async function scanOne(e: Endpoint, g: ScopeGuard, paths: string[]): Promise<ResultRecord> {
  const records: ResultRecord[] = [];
  await runEngine({
    items: itemsOf([e]),
    probeEndpoint: testProbe({ paths }),
    unprobeableRecord,
    failureRecord,
    guard: g,
    rate: 100,
    concurrency: 2,
    hostGapMs: 0,
    timeoutMs: 1000,
    maxRequestsPerEndpoint: 5,
    userAgent: 'owa-audit-test',
    onRecord: (r) => {
      records.push(r);
    },
  });
  expect(records).toHaveLength(1);
  return records[0] as ResultRecord;
}

describe('scope: redirects', () => {
  it('refuses redirects to an out-of-scope address, a name resolving out of scope, and a non-HTTP scheme', async () => {
    const r = await scanOne(endpoint('127.6.0.1', PORT), guard(), ['/to-ip', '/to-evil-name', '/to-ftp']);
    expect(r.error).toBeNull();
    expect(r.evidence.map((e) => e.signal)).toEqual([
      'redirect-out-of-scope',
      'redirect-out-of-scope',
      'redirect-out-of-scope',
    ]);
    expect(r.evidence[0]?.url).toBe(`http://${FORBIDDEN}:${PORT}/owa/`);
    expect(r.evidence[1]?.value).toContain(FORBIDDEN);
    expect(r.requests).toBe(3); // the three redirects themselves, nothing after them
    expect(forbidden.connections).toBe(0);
  });

  it('follows a redirect to a name that resolves in scope, sending that name as Host, and never its out-of-scope address', async () => {
    const before = inScope.hits.length;
    const r = await scanOne(endpoint('127.6.0.1', PORT), guard(), ['/to-good-name', '/to-mixed-name']);
    expect(r.evidence).toEqual([]);
    expect(r.requests).toBe(4);
    expect(inScope.hits.slice(before).map((h) => h.host)).toEqual([
      `in.scope.test:${PORT}`,
      `mixed.scope.test:${PORT}`,
    ]);
    expect(forbidden.connections).toBe(0);
  });
});

describe('scope: the connector is the last gate', () => {
  it('refuses an endpoint whose address is out of scope even if it reached the engine', async () => {
    const g = guard();
    const r = await scanOne(endpoint(FORBIDDEN, PORT), g, ['/owa/']);
    expect(r.error?.code).toBe('out-of-scope');
    expect(r.requests).toBe(0);
    expect(g.connectionChecks).toContainEqual({ ip: FORBIDDEN, host: null, allowed: false });
    expect(forbidden.connections).toBe(0);
  });

  it('refuses a name whose resolution is out of scope (checkConnection with the name)', async () => {
    const g = guard();
    const r = await scanOne(endpoint(FORBIDDEN, PORT, { host: 'named.scope.test' }), g, ['/owa/']);
    expect(r.error?.code).toBe('out-of-scope');
    expect(g.connectionChecks).toContainEqual({ ip: FORBIDDEN, host: 'named.scope.test', allowed: false });
    expect(forbidden.connections).toBe(0);
  });

  it('asks the guard again right before the socket opens, and fails closed if the answer changed', async () => {
    // Allows the first check (the session's pre-check), refuses the second (the connector's).
    const inner = guard();
    let calls = 0;
    const flipping: ScopeGuard = {
      ...inner,
      checkConnection: () =>
        ++calls === 1 ? { allowed: true } : { allowed: false, reason: 'changed its mind' },
    };
    const s = openSession({
      endpoint: endpoint(FORBIDDEN, PORT),
      guard: flipping,
      gate: createRateGate({ rate: 100, hostGapMs: 0 }),
      userAgent: 'owa-audit-test',
      timeoutMs: 1000,
      maxBodyBytes: 1024,
      maxRequests: 5,
      signal: new AbortController().signal,
    });
    try {
      const err = await s.get('/owa/').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ScopeRefusal);
      expect((err as ScopeRefusal).reason).toBe('changed its mind');
      expect(calls).toBe(2);
      expect(s.requests).toBe(0);
    } finally {
      await s.close();
    }
    expect(forbidden.connections).toBe(0);
  });

  it('treats a guard that throws as a refusal', async () => {
    const throwing: ScopeGuard = {
      ...guard(),
      checkConnection: () => {
        throw new Error('guard crashed');
      },
    };
    const r = await scanOne(endpoint('127.6.0.2', PORT), throwing, ['/owa/']);
    expect(r.error?.code).toBe('out-of-scope');
    expect(r.error?.message).toContain('guard crashed');
  });

  it('checks every new connection of an endpoint, not just the first', async () => {
    const g = guard();
    const before = inScope.connections;
    const s = openSession({
      endpoint: endpoint('127.6.0.2', PORT),
      guard: g,
      gate: createRateGate({ rate: 100, hostGapMs: 0 }),
      userAgent: 'owa-audit-test',
      timeoutMs: 1000,
      maxBodyBytes: 1024,
      maxRequests: 5,
      signal: new AbortController().signal,
    });
    try {
      // Connection: close each time, so every request needs a fresh connection.
      await s.get('/close/1');
      await s.get('/close/2');
      await s.get('/close/3');
    } finally {
      await s.close();
    }
    // One pre-check per request plus one connector check per connection.
    expect(g.connectionChecks.filter((c) => c.ip === '127.6.0.2')).toHaveLength(6);
    expect(inScope.connections - before).toBe(3);
  });
});

describe('scope: the connector itself', () => {
  it('checks an IPv6 target in the form undici dials, and asks the guard with the address as given', async () => {
    const asked: string[] = [];
    const refusing: ScopeGuard = {
      ...guard(),
      checkConnection: (ip) => {
        asked.push(ip);
        return { allowed: false, reason: 'not in scope' };
      },
    };
    const connect = guardedConnector(
      { scheme: 'https', ip: '2001:DB8:0::5', port: 443, host: null },
      refusing,
      1000,
      {
        connecting: () => undefined,
        connected: () => undefined,
      },
    );
    const err = await new Promise<unknown>((resolve) => {
      connect(
        { hostname: '2001:db8::5', host: '[2001:db8::5]:443', protocol: 'https:', port: '443' },
        (...args) => {
          resolve(args[0]);
        },
      );
    });
    expect(err).toBeInstanceOf(ScopeRefusal);
    expect((err as ScopeRefusal).reason).toBe('not in scope');
    expect(asked).toEqual(['2001:DB8:0::5']);
    // Asked to dial anything else, it refuses without asking.
    const other = await new Promise<unknown>((resolve) => {
      connect(
        { hostname: '2001:db8::6', host: '[2001:db8::6]:443', protocol: 'https:', port: '443' },
        (...args) => {
          resolve(args[0]);
        },
      );
    });
    expect((other as ScopeRefusal).reason).toMatch(/asked to dial 2001:db8::6/);
    expect(asked).toHaveLength(1);
  });
});
