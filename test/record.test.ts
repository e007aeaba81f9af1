// Record assembly: one record per endpoint, for every status.
import { describe, expect, it } from 'vitest';
import type { ProbeOutcome, ProbeResponse } from '../src/core/probe-types.js';
import { classify as classifyBuild } from '../src/classify/index.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import { buildRecord, failureRecord, unprobeableRecord } from '../src/scan/record.js';
import type { ExchangeVerdict, Precision, TlsInfo } from '../src/core/result-schema.js';
import type { Endpoint } from '../src/scope/types.js';
import { fixtureText, res } from './fixtures/fingerprint/responses.js';
import {
  exchangeHost,
  owaRedirect,
  replyFor,
  type SimHost,
  type SimReply,
} from './fixtures/fingerprint/simulator.js';

const O = 'https://mail.example.org';
const endpoint: Endpoint = {
  target: 'mail.example.org',
  host: 'mail.example.org',
  ip: '203.0.113.5',
  port: 443,
  scheme: 'https',
  owner: { name: 'ACME Ltd', contact: 'soc@acme.example' },
};
const tls: TlsInfo = {
  subject: 'CN=mail.example.org',
  issuer: 'CN=mail.example.org',
  san: ['mail.example.org'],
  notBefore: '2024-01-01T00:00:00.000Z',
  notAfter: '2044-01-01T00:00:00.000Z',
  sha256: 'AB:CD',
  selfSigned: true,
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_256_GCM_SHA384',
};
const observedAt = '2026-11-27T01:16:03.120Z';

function verdictFor(build: string, precision: Precision): ExchangeVerdict {
  return {
    product: build.startsWith('14') ? 'Exchange Server 2010' : 'Exchange Server 2016',
    build: precision === 'product' ? null : build,
    precision,
    release: null,
    releaseDate: null,
    patchLevel: 'unknown',
    certainty: 'possible',
    supported: false,
    endOfSupport: null,
    latest: null,
    cves: [],
  };
}

function recorder(): {
  calls: [string, Precision][];
  classify: (b: string, p: Precision) => ExchangeVerdict;
} {
  const calls: [string, Precision][] = [];
  return {
    calls,
    classify: (b, p) => {
      calls.push([b, p]);
      return verdictFor(b, p);
    },
  };
}

/** Responses a simulated host gives for these paths, in order. */
function responsesOf(host: SimHost, paths: readonly string[]): ProbeResponse[] {
  return paths.map((p) => {
    const url = new URL(p, host.origin);
    const reply = replyFor(host, url);
    if ('fail' in reply) throw new Error('use outcome.error for failures');
    return res(url.href, reply);
  });
}

function replyAt(url: string, reply: SimReply): ProbeResponse {
  if ('fail' in reply) throw new Error('use outcome.error for failures');
  return res(url, reply);
}

const outcome = (responses: ProbeResponse[], extra: Partial<ProbeOutcome> = {}): ProbeOutcome => ({
  responses,
  refusedRedirects: [],
  error: null,
  ...extra,
});
const STEPS = ['/owa/', '/owa/auth/logon.aspx', '/autodiscover/autodiscover.xml'];

describe('buildRecord', () => {
  it('exchange with an exact build: the verdict comes from classify, the rest from the endpoint', () => {
    const { calls, classify } = recorder();
    const responses = responsesOf(exchangeHost({ build3: '15.1.2507', owaVersion: '15.1.2507.6' }), STEPS);
    const r = buildRecord({ endpoint, outcome: outcome(responses), requests: 3, tls, observedAt, classify });
    expect(calls).toEqual([['15.1.2507.6', 'exact']]);
    expect(r).toMatchObject({
      schema: 'owa-audit/result@1',
      target: 'mail.example.org',
      host: 'mail.example.org',
      ip: '203.0.113.5',
      port: 443,
      scheme: 'https',
      status: 'exchange',
      observedAt,
      requests: 3,
      tls,
      owner: endpoint.owner,
      error: null,
      exchange: verdictFor('15.1.2507.6', 'exact'),
    });
    expect(r.evidence).toContainEqual({
      signal: 'x-owa-version',
      url: `${O}/autodiscover/autodiscover.xml`,
      value: '15.1.2507.6',
    });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('exchange at cu precision', () => {
    const { calls, classify } = recorder();
    const responses = responsesOf(exchangeHost({ build3: '15.2.858' }), STEPS);
    buildRecord({ endpoint, outcome: outcome(responses), requests: 4, tls, observedAt, classify });
    expect(calls).toEqual([['15.2.858', 'cu']]);
  });

  it("hands classify a 4-part build as read; whether it is published is the classifier's to judge", () => {
    const { calls, classify } = recorder();
    const responses = responsesOf(exchangeHost({ build3: '15.1.2507', owaVersion: '15.1.2507.7' }), STEPS);
    buildRecord({ endpoint, outcome: outcome(responses), requests: 3, tls, observedAt, classify });
    expect(calls).toEqual([['15.1.2507.7', 'exact']]);
    // The classifier, with the data, lowers the unpublished number and says why.
    const kb = loadKnowledgeBase({ userDataDir: null });
    const record = buildRecord({
      endpoint,
      outcome: outcome(responses),
      requests: 3,
      tls,
      observedAt,
      classify: (b, p, basis) => classifyBuild(kb, b, p, { today: '2026-11-27', ...basis }),
    });
    expect(record.exchange).toMatchObject({ build: '15.1.2507.7', precision: 'approximate' });
    expect(record.exchange?.notes).toContain(
      '15.1.2507.7 is not a published build, so it is treated as approximate.',
    );
  });

  it('exchange at product precision: classify gets the product hint', () => {
    const { calls, classify } = recorder();
    const page = res(`${O}/owa/auth/logon.aspx`, {
      body: fixtureText('fingerprint/pages/ex2010-no-number.html'),
    });
    const redirect = replyAt(`${O}/owa/`, owaRedirect(O, null));
    const r = buildRecord({
      endpoint,
      outcome: outcome([redirect, page]),
      requests: 5,
      tls,
      observedAt,
      classify,
    });
    expect(calls).toEqual([['14', 'product']]);
    expect(r.exchange).toMatchObject({ product: 'Exchange Server 2010', build: null, precision: 'product' });
  });

  it('exchange proven without a number or product: exchange is null, classify is not asked', () => {
    const { calls, classify } = recorder();
    const page = res(`${O}/owa/auth/logon.aspx`, {
      body: fixtureText('fingerprint/pages/ex2013-no-number.html'),
    });
    const redirect = replyAt(`${O}/owa/`, owaRedirect(O));
    const r = buildRecord({
      endpoint,
      outcome: outcome([redirect, page]),
      requests: 5,
      tls,
      observedAt,
      classify,
    });
    expect(r).toMatchObject({ status: 'exchange', exchange: null, error: null });
    expect(calls).toEqual([]);
  });

  it('a logon page alone is not corroborated: not-exchange, imitation suspected, classify not asked', () => {
    const { calls, classify } = recorder();
    const page = res(`${O}/owa/auth/logon.aspx`, {
      body: fixtureText('fingerprint/pages/ex2013-no-number.html'),
    });
    const r = buildRecord({ endpoint, outcome: outcome([page]), requests: 5, tls, observedAt, classify });
    expect(r).toMatchObject({ status: 'not-exchange', exchange: null });
    expect(r.evidence.map((e) => e.signal)).toContain('imitation-suspected');
    expect(calls).toEqual([]);
  });

  it('classify is told where the build came from and whether the evidence was contradicted', () => {
    const seen: unknown[] = [];
    const responses = responsesOf(exchangeHost({ build3: '15.1.2507', owaVersion: '15.2.1748.39' }), STEPS);
    buildRecord({
      endpoint,
      outcome: outcome(responses),
      requests: 3,
      tls,
      observedAt,
      classify: (b, p, basis) => {
        seen.push([b, p, basis]);
        return verdictFor(b, p);
      },
    });
    expect(seen).toEqual([['15.1.2507', 'cu', { source: 'owa-asset-path', contradicted: true }]]);
  });

  it('exchange with a later failure keeps the verdict and the error (partial)', () => {
    const { classify } = recorder();
    const responses = responsesOf(exchangeHost({ build3: '15.1.2507' }), STEPS.slice(0, 2));
    const r = buildRecord({
      endpoint,
      outcome: outcome(responses, { error: { code: 'timeout', message: 'no headers within 8000 ms' } }),
      requests: 3,
      tls,
      observedAt,
      classify,
    });
    expect(r).toMatchObject({
      status: 'exchange',
      error: { code: 'timeout', message: 'no headers within 8000 ms' },
    });
    expect(r.exchange?.build).toBe('15.1.2507');
  });

  it('exchange-online: no verdict', () => {
    const { calls, classify } = recorder();
    const exo = res('https://outlook.office365.com/autodiscover/autodiscover.xml', {
      status: 401,
      headers: {
        'www-authenticate': 'Bearer',
        'x-calculatedbetarget': 'GV1P191MB2243.EURP191.PROD.OUTLOOK.COM',
        'x-besku': 'WCS7',
      },
    });
    const r = buildRecord({ endpoint, outcome: outcome([exo]), requests: 2, tls, observedAt, classify });
    expect(r).toMatchObject({ status: 'exchange-online', exchange: null, error: null });
    expect(calls).toEqual([]);
  });

  it('not-exchange, with the refused redirect in the evidence', () => {
    const { classify } = recorder();
    const r = buildRecord({
      endpoint,
      outcome: outcome(
        [
          res(`${O}/owa/`, {
            status: 302,
            headers: { location: 'https://127.250.0.1/owa/', server: 'nginx' },
          }),
          res(`${O}/autodiscover/autodiscover.xml`, { status: 404, headers: { server: 'nginx' } }),
        ],
        {
          refusedRedirects: [
            {
              from: `${O}/owa/`,
              location: 'https://127.250.0.1/owa/',
              reason: '127.250.0.1 is not in scope',
            },
          ],
        },
      ),
      requests: 2,
      tls,
      observedAt,
      classify,
    });
    expect(r).toMatchObject({ status: 'not-exchange', exchange: null, error: null });
    expect(r.evidence).toEqual([
      { signal: 'server-header', url: `${O}/owa/`, value: 'Server: nginx' },
      {
        signal: 'redirect-out-of-scope',
        url: `${O}/owa/`,
        value: 'https://127.250.0.1/owa/ (not followed: 127.250.0.1 is not in scope)',
      },
    ]);
  });

  it('a probe cut short before anything proved Exchange is an error, not not-exchange', () => {
    const { classify } = recorder();
    const r = buildRecord({
      endpoint,
      outcome: outcome([res(`${O}/owa/`, { status: 404 })], {
        error: { code: 'reset', message: 'socket hang up' },
      }),
      requests: 2,
      tls,
      observedAt,
      classify,
    });
    expect(r).toMatchObject({ status: 'error', error: { code: 'reset' } });
  });

  it('a redirect loop: error with the loop code, responses kept as evidence', () => {
    const { classify } = recorder();
    const r = buildRecord({
      endpoint,
      outcome: outcome(
        [
          res(`${O}/owa/`, { status: 302, headers: { location: '/owa/x', server: 'Microsoft-IIS/10.0' } }),
          res(`${O}/owa/x`, { status: 302, headers: { location: '/owa/', server: 'Microsoft-IIS/10.0' } }),
        ],
        { error: { code: 'redirect-loop', message: `redirect loop: ${O}/owa/x leads back to ${O}/owa/` } },
      ),
      requests: 2,
      tls,
      observedAt,
      classify,
    });
    expect(r).toMatchObject({ status: 'error', error: { code: 'redirect-loop' } });
    expect(r.evidence.map((e) => e.signal)).toEqual(['server-header']);
  });

  it.each([
    ['connection-refused', 'unreachable'],
    ['connect-timeout', 'unreachable'],
    ['host-unreachable', 'unreachable'],
    ['tls-error', 'error'],
    ['timeout', 'error'],
    ['protocol-error', 'error'],
  ] as const)('no response and %s → %s', (code, status) => {
    const { classify } = recorder();
    const r = buildRecord({
      endpoint,
      outcome: outcome([], { error: { code, message: `${code}\u0000\u001b[31m` } }),
      requests: 1,
      tls: null,
      observedAt,
      classify,
    });
    expect(r).toMatchObject({
      status,
      exchange: null,
      evidence: [],
      error: { code, message: `${code} [31m` },
    });
  });

  it('a classifier failure is recorded, not thrown, and the evidence survives', () => {
    const responses = responsesOf(exchangeHost({ build3: '15.1.2507', owaVersion: '15.1.2507.6' }), STEPS);
    const r = buildRecord({
      endpoint,
      outcome: outcome(responses),
      requests: 3,
      tls,
      observedAt,
      classify: () => {
        throw new Error('no data');
      },
    });
    expect(r).toMatchObject({
      status: 'exchange',
      exchange: null,
      error: { code: 'internal-error', message: 'classification failed: no data' },
    });
    expect(r.evidence.length).toBeGreaterThan(5);
  });
});

describe('unprobeableRecord', () => {
  const base = {
    kind: 'unprobeable',
    target: 'gone.acme.example',
    host: 'gone.acme.example',
    ip: null,
    port: 443,
    scheme: 'https',
    owner: null,
  } as const;
  it('dns-error → unreachable', () => {
    const r = unprobeableRecord(
      { ...base, code: 'dns-error', message: 'ENOTFOUND gone.acme.example' },
      observedAt,
    );
    expect(r).toEqual({
      schema: 'owa-audit/result@1',
      target: 'gone.acme.example',
      host: 'gone.acme.example',
      ip: null,
      port: 443,
      scheme: 'https',
      status: 'unreachable',
      observedAt,
      requests: 0,
      exchange: null,
      evidence: [],
      tls: null,
      owner: null,
      error: { code: 'dns-error', message: 'ENOTFOUND gone.acme.example' },
    });
  });
  it('out-of-scope → error', () => {
    const r = unprobeableRecord(
      { ...base, ip: '198.51.100.7', code: 'out-of-scope', message: '198.51.100.7 is not in scope.include' },
      observedAt,
    );
    expect(r).toMatchObject({
      status: 'error',
      ip: '198.51.100.7',
      requests: 0,
      error: { code: 'out-of-scope' },
    });
  });
});

describe('failureRecord', () => {
  it.each([
    ['connect-timeout', 'unreachable'],
    ['timeout', 'error'],
    ['internal-error', 'error'],
  ] as const)('%s → %s', (code, status) => {
    const r = failureRecord(endpoint, { code, message: 'x'.repeat(1000) }, 1, tls, observedAt);
    expect(r).toMatchObject({
      status,
      requests: 1,
      tls,
      exchange: null,
      evidence: [],
      owner: endpoint.owner,
    });
    expect(r.error?.message.length).toBe(300);
  });
});
