// The probe loop over a fake HttpSession (the real session is tested with the engine).
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../src/fingerprint/index.js';
import type { ProbeResponse } from '../src/core/probe-types.js';
import { probeEndpoint, type HttpSessionLike } from '../src/probe/run.js';
import { ProbeError, ScopeRefusal } from '../src/core/errors.js';
import { res } from './fixtures/fingerprint/responses.js';
import { classify, type VerdictBasis } from '../src/classify/index.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import { buildRecord } from '../src/scan/record.js';
import type { Precision } from '../src/core/result-schema.js';
import { exchangeHost, replyFor, type SimHost } from './fixtures/fingerprint/simulator.js';

/** Answers from a simulated host; refuses other origins like the engine's session. */
class FakeSession implements HttpSessionLike {
  readonly calls: string[] = [];
  sent = 0;
  constructor(
    private readonly host: SimHost,
    private readonly inScope: readonly string[] = [],
  ) {}

  get(pathOrUrl: string): Promise<ProbeResponse> {
    this.calls.push(pathOrUrl);
    const url = new URL(pathOrUrl, this.host.origin);
    if (url.origin !== new URL(this.host.origin).origin && !this.inScope.includes(url.origin)) {
      return Promise.reject(new ScopeRefusal(url.href, `${url.hostname} is outside scope.include`));
    }
    this.sent++;
    const reply = replyFor(this.host, url);
    if ('fail' in reply) return Promise.reject(new ProbeError(reply.fail, `simulated ${reply.fail}\r\n`));
    return Promise.resolve(res(url.href, reply));
  }
}

const O = 'https://mail.example.org';
const standard = { mode: 'standard', maxRequests: 5 } as const;

describe('probeEndpoint', () => {
  it('runs the plan to its end and returns every response', async () => {
    const session = new FakeSession(exchangeHost({ build3: '15.1.2507', owaVersion: '15.1.2507.6' }));
    const outcome = await probeEndpoint(session, standard);
    expect(outcome.error).toBeNull();
    expect(outcome.responses).toHaveLength(3);
    expect(session.calls[0]).toBe('/owa/');
    expect(session.calls[1]?.startsWith('/owa/auth/logon.aspx?url=')).toBe(true);
    expect(fingerprint(outcome.responses).build).toBe('15.1.2507.6');
  });

  it('a network error on the first request ends the outcome with that error', async () => {
    const outcome = await probeEndpoint(
      new FakeSession({ origin: O, routes: { '/owa/': { fail: 'connection-refused' } } }),
      standard,
    );
    expect(outcome).toEqual({
      responses: [],
      refusedRedirects: [],
      error: { code: 'connection-refused', message: 'simulated connection-refused' },
      fingerprint: fingerprint([]),
    });
  });

  it('a failure after useful responses keeps them and the error', async () => {
    const host = exchangeHost({ build3: '15.1.2507' });
    host.routes['/autodiscover/autodiscover.xml'] = { fail: 'reset' };
    const session = new FakeSession(host);
    const outcome = await probeEndpoint(session, standard);
    expect(outcome.responses).toHaveLength(2);
    expect(outcome.error?.code).toBe('reset');
    expect(session.calls).toHaveLength(3);
    expect(fingerprint(outcome.responses)).toMatchObject({ status: 'exchange', build: '15.1.2507' });
  });

  it('records a refused redirect and carries on', async () => {
    const host = exchangeHost({ build3: '15.1.2507', owaVersion: '15.1.2507.6' });
    host.routes['/owa/'] = { status: 302, headers: { location: 'https://127.250.0.1/owa/' } };
    const session = new FakeSession(host);
    const outcome = await probeEndpoint(session, standard);
    expect(outcome.refusedRedirects).toEqual([
      {
        from: `${O}/owa/`,
        location: 'https://127.250.0.1/owa/',
        reason: '127.250.0.1 is outside scope.include',
      },
    ]);
    // /owa/ (refused hop: nothing sent), Autodiscover, then the logon page to cross-check the header.
    expect(session.sent).toBe(3);
    expect(outcome.error).toBeNull();
  });

  it('follows an in-scope redirect to another origin with an absolute URL', async () => {
    const host: SimHost = {
      origin: 'http://mail.example.org',
      routes: {
        '/owa/': { status: 301, headers: { location: `${O}/owa/` } },
        ...Object.fromEntries(
          Object.entries(exchangeHost({ build3: '15.1.2507', owaVersion: '15.1.2507.6' }).routes).map(
            ([p, r]) => [`${O}${p}`, r],
          ),
        ),
      },
    };
    const session = new FakeSession(host, [O]);
    const outcome = await probeEndpoint(session, standard);
    expect(session.calls[0]).toBe('/owa/');
    expect(session.calls.slice(1).every((c) => c.startsWith(`${O}/`))).toBe(true);
    expect(fingerprint(outcome.responses).build).toBe('15.1.2507.6');
  });

  it('ends a redirect loop with redirect-loop and keeps the responses', async () => {
    const outcome = await probeEndpoint(
      new FakeSession({
        origin: O,
        routes: {
          '/owa/': { status: 302, headers: { location: '/owa/x' } },
          '/owa/x': { status: 302, headers: { location: '/owa/' } },
        },
      }),
      standard,
    );
    expect(outcome.responses).toHaveLength(2);
    expect(outcome.error?.code).toBe('redirect-loop');
  });

  it('rethrows what is neither a refusal nor a coded failure (an abort, a bug)', async () => {
    const session: HttpSessionLike = { get: () => Promise.reject(new DOMException('aborted', 'AbortError')) };
    await expect(probeEndpoint(session, standard)).rejects.toThrow('aborted');
  });

  it('thorough mode asks the knowledge base for the CU and confirms the build', async () => {
    const asked: string[] = [];
    const session = new FakeSession(exchangeHost({ build3: '15.2.1544', installed: '15.2.1544.11' }));
    const outcome = await probeEndpoint(session, {
      mode: 'thorough',
      maxRequests: 5,
      candidatesForCu: (cu) => {
        asked.push(cu);
        return ['15.2.1544.4', '15.2.1544.9', '15.2.1544.11', '15.2.1544.13'];
      },
    });
    expect(new Set(asked)).toEqual(new Set(['15.2.1544']));
    expect(session.calls.slice(4)).toEqual([
      '/ecp/15.2.1544.13/exporttool/microsoft.exchange.ediscovery.exporttool.application',
      '/ecp/15.2.1544.11/exporttool/microsoft.exchange.ediscovery.exporttool.application',
    ]);
    expect(fingerprint(outcome.responses)).toMatchObject({ build: '15.2.1544.11', precision: 'exact' });
  });
});

describe('the fingerprint the probe loop hands on', () => {
  const hosts: [string, SimHost][] = [
    ['2016 with X-OWA-Version', exchangeHost({ build3: '15.1.2507', owaVersion: '15.1.2507.6' })],
    ['2019 without a header', exchangeHost({ build3: '15.2.1544' })],
    ['a failure half-way', { ...exchangeHost({ build3: '15.1.2507' }) }],
    ['nothing but a 404', { origin: O, routes: {} }],
  ];
  const failing = hosts[2]?.[1];
  if (failing !== undefined) failing.routes['/autodiscover/autodiscover.xml'] = { fail: 'reset' };

  it.each(hosts)(
    '%s: is the fingerprint of every response read, the one the plan judged last',
    async (_, host) => {
      const outcome = await probeEndpoint(new FakeSession(host), standard);
      expect(outcome.responses.length).toBeGreaterThan(0);
      expect(outcome.fingerprint).toEqual(fingerprint(outcome.responses));
    },
  );

  it.each(hosts)(
    '%s: the record built with it is the record built from the responses alone',
    async (_, host) => {
      const outcome = await probeEndpoint(new FakeSession(host), standard);
      const kb = loadKnowledgeBase();
      const input = {
        endpoint: {
          target: 'mail.example.org',
          host: 'mail.example.org',
          ip: '192.0.2.10',
          port: 443,
          scheme: 'https' as const,
          owner: null,
        },
        requests: outcome.responses.length,
        tls: null,
        observedAt: '2026-11-27T01:16:03.120Z',
        classify: (build: string, precision: Precision, basis: VerdictBasis) =>
          classify(kb, build, precision, { today: '2026-11-27', ...basis }),
      };
      const { fingerprint: handed, ...bare } = outcome;
      expect(handed.status).toBeDefined();
      expect(buildRecord({ ...input, outcome })).toEqual(buildRecord({ ...input, outcome: bare }));
    },
  );
});

describe('probeEndpoint and the scope', () => {
  it('a refusal of a step that is not a redirect hop ends probing with out-of-scope', async () => {
    const session: HttpSessionLike = {
      get: (p) =>
        Promise.reject(
          new ScopeRefusal(`https://198.51.100.7${p}`, '198.51.100.7 is excluded by scope.exclude[0]'),
        ),
    };
    const outcome = await probeEndpoint(session, standard);
    expect(outcome).toEqual({
      responses: [],
      refusedRedirects: [],
      error: {
        code: 'out-of-scope',
        message: 'refused https://198.51.100.7/owa/: 198.51.100.7 is excluded by scope.exclude[0]',
      },
      fingerprint: fingerprint([]),
    });
  });
});
