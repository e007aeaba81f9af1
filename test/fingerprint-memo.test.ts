// Fingerprinting reads each response once (signals, corroboration findings, parsed URL and redirect
// target are memoised per response object; normalised build texts in a bounded table). The memos
// must be invisible: fingerprint() and nextStep() give, for the same responses asked again, in any
// order and after a caller changed what it was given, exactly what fresh copies give; and they must
// hold nothing alive — a response dropped by the caller is collected.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { fingerprint, nextStep, type PlanEntry } from '../src/fingerprint/index.js';
import {
  compareBuildNumbers,
  compareNormalisedBuilds,
  cuOf,
  generationOf,
  normaliseBuildNumber,
  normalisedMemoSize,
  partCount,
} from '../src/fingerprint/build-number.js';
import { cleanRepeated, headerItems } from '../src/fingerprint/extract/common.js';
import { cleanValue } from '../src/core/text.js';
import type { ProbeResponse } from '../src/core/probe-types.js';
import { fixtureText, res } from './fixtures/fingerprint/responses.js';

const O = 'https://mail.example.org';
const owaRedirect = (extra: Record<string, string> = {}): ProbeResponse =>
  res(`${O}/owa/`, {
    status: 302,
    headers: {
      location: `${O}/owa/auth/logon.aspx?url=${encodeURIComponent(`${O}/owa/`)}&reason=0`,
      'x-feserver': 'EX01',
      ...extra,
    },
  });
const logon = (build3: string, headers: Record<string, string> = {}): ProbeResponse =>
  res(`${O}/owa/auth/logon.aspx?url=${encodeURIComponent(`${O}/owa/`)}&reason=0`, {
    headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
    body: fixtureText('captures/owa2016-cu9-15.1.1466-logon.aspx.html').replaceAll('15.1.1466', build3),
  });
const autodiscover = (version: string | null, extra: Record<string, string> = {}): ProbeResponse =>
  res(`${O}/autodiscover/autodiscover.xml`, {
    status: 401,
    headers: {
      'www-authenticate': 'Negotiate, NTLM',
      'x-feserver': 'EX01',
      ...(version === null ? {} : { 'x-owa-version': version }),
      ...extra,
    },
  });
const manifest = (version: string): ProbeResponse =>
  res(`${O}/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application`, {
    body: `<?xml version="1.0"?>\n<asmv1:assemblyIdentity name="microsoft.exchange.ediscovery.exporttool.application" version="${version}" publicKeyToken="b1d1a6c45aa418ce"/>`,
  });
const page = (url: string, file: string, headers: Record<string, string> = {}): ProbeResponse =>
  res(url, { headers, body: fixtureText(`fingerprint/pages/${file}`) });

/** Endpoints as the plan meets them: every kind of verdict, conflict and refutation. */
const ENDPOINTS: { name: string; responses: () => ProbeResponse[] }[] = [
  {
    name: '2016 with the version header',
    responses: () => [owaRedirect(), logon('15.1.2507'), autodiscover('15.1.2507.6')],
  },
  {
    name: '2019, manifest only',
    responses: () => [owaRedirect(), logon('15.2.1544'), autodiscover(null), manifest('15.2.1544.4')],
  },
  {
    name: 'contradicted: header in another CU',
    responses: () => [
      owaRedirect(),
      logon('15.1.2507'),
      autodiscover('15.1.2375.7'),
      manifest('15.1.2375.7'),
    ],
  },
  { name: 'padded header', responses: () => [logon('15.2.1748'), autodiscover('15.02.1748.039')] },
  {
    name: '2010 legacy page',
    responses: () => [
      res(`${O}/owa/`, {
        status: 302,
        headers: { location: `${O}/owa/auth/logon.aspx?url=${encodeURIComponent(`${O}/owa/`)}&reason=0` },
      }),
      page(`${O}/owa/auth/logon.aspx`, 'ex2010-sp3-logon.html'),
    ],
  },
  {
    name: '2007 without a number',
    responses: () => [page(`${O}/owa/auth/logon.aspx`, 'ex2007-sp3-logon.html')],
  },
  {
    name: 'Exchange Online',
    responses: () => [
      owaRedirect({ 'x-calculatedbetarget': 'AM0PR01MB1234.eurprd01.prod.outlook.com' }),
      autodiscover(null, { 'x-feserver': 'AM0PR01CA0001', 'x-besku': 'WCS6' }),
    ],
  },
  {
    name: 'imitation: Express serves the page',
    responses: () => [logon('15.1.2507', { 'x-powered-by': 'Express' }), autodiscover('15.1.2507.6')],
  },
  {
    name: 'one request id on every request',
    responses: () => [
      owaRedirect({ 'request-id': 'abc' }),
      logon('15.1.2507', { 'request-id': 'ABC' }),
      autodiscover('15.1.2507.6', { 'request-id': 'abc ' }),
    ],
  },
  {
    name: 'the honeypot: EWS answers 200',
    responses: () => [
      logon('15.1.2507'),
      res(`${O}/EWS/Exchange.asmx`, { body: fixtureText('fingerprint/pages/other-login.html') }),
    ],
  },
  {
    name: 'nginx and IIS default pages',
    responses: () => [
      page(`${O}/owa/`, 'nginx-default.html', { server: 'nginx' }),
      page(`${O}/autodiscover/autodiscover.xml`, 'iis-default.html', { Server: 'Microsoft-IIS/10.0' }),
    ],
  },
];

/** A copy sharing nothing with the original (so no memo entry of the original can answer for it). */
const fresh = (r: ProbeResponse): ProbeResponse => ({
  ...r,
  url: `${r.url} `.slice(0, -1),
  headers: { ...r.headers },
  body: `${r.body} `.slice(0, -1),
});
const prefixes = (responses: readonly ProbeResponse[]): ProbeResponse[][] =>
  responses.map((_, i) => responses.slice(0, i + 1));
const historyOf = (responses: readonly ProbeResponse[]): PlanEntry[] =>
  responses.map((response) => ({
    step: { kind: 'get', target: new URL(response.url).pathname, purpose: 'owa', from: null },
    kind: 'response',
    response,
  }));

describe('the per-response memos are invisible', () => {
  it('fingerprint() of the same responses, asked in any order and again, is that of fresh copies', () => {
    for (const { name, responses } of ENDPOINTS) {
      const shared = responses();
      const expected = prefixes(shared).map((p) => fingerprint(p.map(fresh)));
      // Forwards (as the probe loop asks), backwards, then each twice: always the same answer.
      for (const order of [
        [...expected.keys()],
        [...expected.keys()].reverse(),
        [...expected.keys(), ...expected.keys()],
      ]) {
        for (const i of order)
          expect(fingerprint(shared.slice(0, i + 1)), `${name}, ${i + 1}`).toEqual(expected[i]);
      }
      // The same responses in another order are another endpoint: judged afresh.
      const reversed = [...shared].reverse();
      expect(fingerprint(reversed), `${name}, reversed`).toEqual(fingerprint(reversed.map(fresh)));
    }
  });

  it('what a caller does to a fingerprint it was given changes no later answer', () => {
    for (const { name, responses } of ENDPOINTS) {
      const shared = responses();
      const expected = fingerprint(shared.map(fresh));
      const first = fingerprint(shared);
      first.evidence.push({ signal: 'conflict', url: 'x', value: 'y' });
      for (const e of first.evidence) e.value = 'changed';
      first.conflicts.push('changed');
      expect(fingerprint(shared), name).toEqual(expected);
    }
  });

  it('nextStep() over shared responses is nextStep() over fresh copies', () => {
    for (const { name, responses } of ENDPOINTS) {
      const shared = responses();
      for (const p of prefixes(shared)) {
        const state = { mode: 'standard' as const, maxRequests: 5 };
        const expected = nextStep({ ...state, history: historyOf(p.map(fresh)) });
        expect(nextStep({ ...state, history: historyOf(p) }), name).toEqual(expected);
        expect(nextStep({ ...state, history: historyOf(p), fingerprint: fingerprint(p) }), name).toEqual(
          expected,
        );
      }
    }
  });
});

describe('the memos hold nothing alive', () => {
  // The collector, reachable from a test: V8 exposes it to contexts made after the flag is set.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;

  it('responses the caller dropped are collected, with everything read from them', async () => {
    const refs: WeakRef<ProbeResponse>[] = [];
    const headers: WeakRef<object>[] = [];
    (() => {
      for (const { responses } of ENDPOINTS) {
        const shared = responses();
        for (const p of prefixes(shared)) fingerprint(p);
        nextStep({ mode: 'standard', maxRequests: 5, history: historyOf(shared) });
        for (const r of shared) {
          refs.push(new WeakRef(r));
          headers.push(new WeakRef(r.headers));
        }
      }
    })();
    expect(refs.length).toBeGreaterThan(20);
    // WeakRef targets stay alive until the current job ends: collect in a later turn.
    for (let round = 0; round < 5 && refs.some((r) => r.deref() !== undefined); round++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      gc();
    }
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
    // One headers object (the last one read) may be kept at hand; no more.
    expect(headers.filter((r) => r.deref() !== undefined).length).toBeLessThanOrEqual(1);
  });

  it('the table of cleaned titles keeps no page alive (a title is a slice of its page)', async () => {
    const before = (): number => process.memoryUsage().heapUsed;
    gc();
    const start = before();
    (() => {
      for (let i = 0; i < 40; i++) {
        // A distinct title on each page, cut from it as the logon-page extractor cuts it: each takes a
        // new entry in the table.
        const page = `<title>Outlook Web App, page number ${String(i).padStart(2, '0')}</title>${'x'.repeat(1_000_000 + i)}`;
        const title = page.slice('<title>'.length, page.indexOf('</title>'));
        expect(cleanRepeated(title)).toBe(`Outlook Web App, page number ${String(i).padStart(2, '0')}`);
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 10));
    gc();
    // 40 pages of 1 MB: kept alive, they would be ≥ 40 MB more.
    expect(before() - start).toBeLessThan(10_000_000);
  });

  it('the table of normalised build texts stays bounded, and answers as before once full', () => {
    const texts = Array.from({ length: 3000 }, (_, i) => `15.${i % 3}.${i}.${i % 17}`);
    const first = texts.map((t) => normaliseBuildNumber(t));
    expect(normalisedMemoSize()).toBeLessThanOrEqual(512);
    expect(texts.map((t) => normaliseBuildNumber(t))).toEqual(first);
    expect(first[2000]).toBe('15.2.2000.11');
    expect(normaliseBuildNumber('15.02.1748.039')).toBe('15.2.1748.39');
    expect(normaliseBuildNumber('15.1')).toBeNull();
    expect(normalisedMemoSize()).toBeLessThanOrEqual(512);
  });
});

describe('build numbers read in place agree with the general parser', () => {
  const builds = [
    '15.1.2507',
    '15.1.2507.6',
    '15.1.2507.60',
    '15.1.2508',
    '15.2.858.5',
    '15.0.1497.48',
    '14.3.513.0',
    '8.3.485.1',
    '8.3.83.6',
    '15.1.2507.0',
    '15.10.1.1',
    '15.9.65535.65535',
    '15.1',
    '15',
  ];
  it('compareNormalisedBuilds has the sign of compareBuildNumbers on every pair', () => {
    for (const a of builds)
      for (const b of builds)
        expect(Math.sign(compareNormalisedBuilds(a, b)), `${a} vs ${b}`).toBe(
          Math.sign(compareBuildNumbers(a, b)),
        );
  });

  it('partCount, cuOf and generationOf as the split-based definitions give them', () => {
    for (const b of [...builds, '', '15..1', '155.1.2', 'x.y.z.w.v']) {
      expect(partCount(b), b).toBe(b.split('.').length);
      expect(cuOf(b), b).toBe(b.split('.').slice(0, 3).join('.'));
      const major = b.split('.')[0];
      expect(generationOf(b), b).toBe(major === '8' || major === '14' || major === '15' ? major : null);
    }
  });
});

describe('header lists', () => {
  const general = (raw: string): string[] => [
    ...new Set(
      raw
        .split(',')
        .slice(0, 8)
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    ),
  ];
  it('a single value takes the short way to the same list', () => {
    for (const raw of [
      '',
      ' ',
      'EX01',
      ' EX01 ',
      'EX01, EX02',
      'a,,b',
      ',',
      'a, a',
      '\tx\t',
      '1,2,3,4,5,6,7,8,9',
    ])
      expect(headerItems(raw), JSON.stringify(raw)).toEqual(general(raw));
  });
});

describe('cleaned texts kept for the next endpoint', () => {
  it('are what cleanValue gives, for every length bound, long texts and after the table filled', () => {
    const texts = [
      'Microsoft-IIS/10.0',
      '  EX01,\tEX02  ',
      'a\u0000b\u202ec',
      `x${' y'.repeat(700)}`,
      'z'.repeat(5000),
      ...Array.from({ length: 600 }, (_, i) => `Server ${i}\n`),
    ];
    for (const round of [1, 2])
      for (const max of [40, 80, 200])
        for (const t of texts)
          expect(cleanRepeated(t, max), `${round} ${max} ${t.slice(0, 20)}`).toBe(cleanValue(t, max));
    expect(cleanRepeated('Outlook ')).toBe(cleanValue('Outlook '));
  });
});
