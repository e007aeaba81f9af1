// Endpoints → servers: one address across ports and names is one server; several addresses only
// when proven (same certificate and same X-FEServer name, same owner, no contradicting version);
// keys independent of record order; hostile and oversized values prove nothing. And the server's
// verdict: the worst of its endpoints', with their disagreement kept.
import { describe, expect, it } from 'vitest';
import type { ResultRecord } from '../src/core/result-schema.js';
import { prngFloat } from '../src/fleet/prng.js';
import { groupServers } from '../src/report/server-grouping.js';
import {
  certFingerprint,
  compareServerKeys,
  feServerOf,
  readingsAgree,
} from '../src/report/server-identity.js';
import { planServers } from '../src/report/server-plan.js';
import { mayMatter, surveyRecords } from '../src/report/server-survey.js';
import { compareVerdicts, olderBuildFirst } from '../src/report/server-verdict.js';
import { cert, endpoint } from './fixtures/report/servers.js';

const A = cert('aa');
const B = cert('bb');
const acme = { name: 'ACME', contact: 'soc@acme.example' };
const other = { name: 'Other Ltd', contact: 'soc@other.example' };

function keys(records: readonly ResultRecord[]): string[] {
  const index = groupServers(records);
  return records.map((r) => index.keyOf(r));
}

/** Deterministic shuffles (mulberry32), so a failure names its seed. */
function shuffled<T>(list: readonly T[], seed: number): T[] {
  const rnd = prngFloat(seed);
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('grouping endpoints into servers', () => {
  it('makes one server of an address across ports and names, keyed by the address', () => {
    const records = [
      endpoint({ ip: '192.0.2.10' }),
      endpoint({ ip: '192.0.2.10', port: 80, scheme: 'http' }),
      endpoint({ ip: '192.0.2.10', host: 'mail.acme.example' }),
      endpoint({ ip: '192.0.2.10', host: 'owa.acme.example', port: 80, scheme: 'http' }),
      endpoint({ ip: '192.0.2.10', port: 8443, error: 'connection-refused' }),
      endpoint({ ip: '192.0.2.11', host: 'mail.acme.example' }),
    ];
    expect(keys(records)).toEqual([
      '192.0.2.10',
      '192.0.2.10',
      '192.0.2.10',
      '192.0.2.10',
      '192.0.2.10',
      '192.0.2.11', // the same name on another address is not proof of one machine
    ]);
  });

  it('joins addresses only on the same certificate and the same X-FEServer name', () => {
    const records = [
      endpoint({ ip: '198.51.100.20', cert: A, fe: 'EX01', owner: acme }),
      endpoint({ ip: '198.51.100.9', cert: A, fe: 'ex01', owner: acme }), // names ignore case
      endpoint({ ip: '198.51.100.30', cert: A, fe: 'EX02', owner: acme }), // certificate alone: a wildcard
      endpoint({ ip: '198.51.100.40', cert: B, fe: 'EX01', owner: acme }), // name alone: EX01 is everywhere
      endpoint({ ip: '198.51.100.50', fe: 'EX01', owner: acme }), // no certificate
      endpoint({ ip: '198.51.100.60', cert: A, owner: acme }), // no name
    ];
    // The key is the lowest address, compared as numbers (198.51.100.9 < 198.51.100.20).
    expect(keys(records)).toEqual([
      '198.51.100.9',
      '198.51.100.9',
      '198.51.100.30',
      '198.51.100.40',
      '198.51.100.50',
      '198.51.100.60',
    ]);
  });

  it('accepts the fingerprint in any common spelling', () => {
    const colons = A.toUpperCase().replace(/(..)(?!$)/g, '$1:');
    expect(certFingerprint({ tls: endpoint({ ip: '192.0.2.1', cert: colons }).tls })).toBe(A);
    expect(
      keys([
        endpoint({ ip: '192.0.2.1', cert: colons, fe: 'EX01' }),
        endpoint({ ip: '192.0.2.2', cert: A, fe: 'EX01' }),
      ]),
    ).toEqual(['192.0.2.1', '192.0.2.1']);
  });

  it('never joins across owners, nor addresses that read different builds', () => {
    expect(
      keys([
        endpoint({ ip: '192.0.2.1', cert: A, fe: 'EX01', owner: acme }),
        endpoint({ ip: '192.0.2.2', cert: A, fe: 'EX01', owner: other }),
      ]),
    ).toEqual(['192.0.2.1', '192.0.2.2']);
    expect(
      keys([
        endpoint({ ip: '192.0.2.1', cert: A, fe: 'EX01', build: '15.1.2507.17' }),
        endpoint({ ip: '192.0.2.2', cert: A, fe: 'EX01', build: '15.1.2507.6' }),
      ]),
    ).toEqual(['192.0.2.1', '192.0.2.2']);
    expect(
      keys([
        endpoint({ ip: '192.0.2.1', cert: A, fe: 'EX01', build: '15.1.2507.17' }),
        endpoint({ ip: '192.0.2.2', cert: A, fe: 'EX01', build: '15.1.2507', precision: 'cu' }),
        endpoint({ ip: '192.0.2.3', cert: A, fe: 'EX01', status: 'not-exchange' }),
      ]),
    ).toEqual(['192.0.2.1', '192.0.2.1', '192.0.2.1']);
    // A contradiction anywhere in a chain of proofs keeps every address of it apart.
    expect(
      keys([
        endpoint({ ip: '192.0.2.1', cert: A, fe: 'EX01', build: '15.1.2507.17' }),
        endpoint({ ip: '192.0.2.2', cert: A, fe: 'EX01', build: '15.1.2507', precision: 'cu' }),
        endpoint({ ip: '192.0.2.2', port: 8443, cert: B, fe: 'EX01', status: 'not-exchange' }),
        endpoint({ ip: '192.0.2.3', cert: B, fe: 'EX01', build: '15.1.2507.6' }),
      ]),
    ).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.2', '192.0.2.3']);
    const ex16 = (build: string | null) => ({ product: 'Exchange Server 2016' as const, build });
    expect(readingsAgree(ex16('15.1.2507'), ex16('15.1.2507.17'))).toBe(true);
    expect(readingsAgree(ex16(null), ex16('15.1.2507.17'))).toBe(true);
    expect(readingsAgree(ex16('15.1.250'), ex16('15.1.2507.17'))).toBe(false);
    expect(readingsAgree(ex16(null), { product: 'Exchange Server 2019', build: null })).toBe(false);
  });

  it('follows a chain of proofs, and keeps a load balancer (several names on one address) out', () => {
    expect(
      keys([
        endpoint({ ip: '192.0.2.3', cert: A, fe: 'EX01' }),
        endpoint({ ip: '192.0.2.2', cert: A, fe: 'EX01' }),
        endpoint({ ip: '192.0.2.2', host: 'b.example', cert: B, fe: 'EX01' }),
        endpoint({ ip: '192.0.2.1', cert: B, fe: 'EX01' }),
      ]),
    ).toEqual(['192.0.2.1', '192.0.2.1', '192.0.2.1', '192.0.2.1']);
    // 192.0.2.100 answers as EX01 and as EX02: two machines behind it; neither is joined through it.
    expect(
      keys([
        endpoint({ ip: '192.0.2.100', cert: A, fe: 'EX01' }),
        endpoint({ ip: '192.0.2.100', port: 80, scheme: 'http', cert: A, fe: 'EX02' }),
        endpoint({ ip: '192.0.2.101', cert: A, fe: 'EX01' }),
        endpoint({ ip: '192.0.2.102', cert: A, fe: 'EX02' }),
      ]),
    ).toEqual(['192.0.2.100', '192.0.2.100', '192.0.2.101', '192.0.2.102']);
    expect(
      keys([
        endpoint({ ip: '192.0.2.100', cert: A, fe: ['EX01', 'EX02'] }),
        endpoint({ ip: '192.0.2.101', cert: A, fe: 'EX01' }),
      ]),
    ).toEqual(['192.0.2.100', '192.0.2.101']);
  });

  it('lets hostile or oversized values prove nothing', () => {
    const hostile = [
      '<script>alert(1)</script>',
      '=HYPERLINK("https://evil.example")',
      'EX01\u0000',
      'EX\u202e10',
      'E'.repeat(64),
      'x'.repeat(5000),
      '',
    ];
    for (const fe of hostile) {
      expect(feServerOf({ evidence: endpoint({ ip: '192.0.2.1', fe }).evidence }).name).toBeNull();
      expect(
        keys([endpoint({ ip: '192.0.2.1', cert: A, fe }), endpoint({ ip: '192.0.2.2', cert: A, fe })]),
        JSON.stringify(fe.slice(0, 30)),
      ).toEqual(['192.0.2.1', '192.0.2.2']);
    }
    // A good name next to a hostile one on the same endpoint: ambiguous, no proof.
    expect(
      keys([
        endpoint({ ip: '192.0.2.1', cert: A, fe: ['EX01', '<b>EX01</b>'] }),
        endpoint({ ip: '192.0.2.2', cert: A, fe: 'EX01' }),
      ]),
    ).toEqual(['192.0.2.1', '192.0.2.2']);
    for (const sha of ['zz'.repeat(32), A.slice(2), `${A}00`, 'a'.repeat(100_000)])
      expect(certFingerprint({ tls: endpoint({ ip: '192.0.2.1', cert: sha }).tls })).toBeNull();
    // Hundreds of header values on one endpoint are read only so far.
    const flood = endpoint({ ip: '192.0.2.1', cert: A, fe: Array.from({ length: 500 }, () => 'EX01') });
    expect(feServerOf(flood)).toEqual({ name: null, ambiguous: true });
    // An address showing many certificates (one per name) with one server name still proves up to a bound…
    const names = (n: number, ip: string) =>
      Array.from({ length: n }, (_, i) =>
        endpoint({ ip, host: `n${i}.example`, cert: cert(i.toString(16).padStart(2, '0')), fe: 'EX01' }),
      );
    expect(new Set(keys([...names(16, '192.0.2.1'), ...names(1, '192.0.2.2')]))).toEqual(
      new Set(['192.0.2.1']),
    );
    // …and beyond it nothing.
    expect(new Set(keys([...names(17, '192.0.2.1'), ...names(1, '192.0.2.2')]))).toEqual(
      new Set(['192.0.2.1', '192.0.2.2']),
    );
  });

  it('keys a name that did not resolve by the name, and orders keys IPv4, IPv6, names', () => {
    const unresolved = (port: number): ResultRecord => ({
      ...endpoint({ ip: '0.0.0.0', host: 'Old-Mail.ACME.example.', port, error: 'dns-error' }),
      ip: null,
    });
    expect(keys([unresolved(443), unresolved(80)])).toEqual([
      'old-mail.acme.example',
      'old-mail.acme.example',
    ]);
    const sorted = ['mail.example', '2001:db8::2', '10.0.0.10', '2001:db8::10', '10.0.0.9', '9.0.0.1'].sort(
      compareServerKeys,
    );
    expect(sorted).toEqual([
      '9.0.0.1',
      '10.0.0.9',
      '10.0.0.10',
      '2001:db8::2',
      '2001:db8::10',
      'mail.example',
    ]);
    expect(
      keys([
        endpoint({ ip: '2001:DB8:0:0::5', cert: A, fe: 'EX01' }),
        endpoint({ ip: '2001:db8::5', port: 80, scheme: 'http' }),
        endpoint({ ip: '203.0.113.5', cert: A, fe: 'EX01' }),
      ]),
    ).toEqual(['203.0.113.5', '203.0.113.5', '203.0.113.5']);
  });

  it('gives every record the same key whatever the order of the records', () => {
    const records = [
      endpoint({ ip: '192.0.2.7', cert: A, fe: 'EX01', owner: acme }),
      endpoint({ ip: '192.0.2.3', host: 'mail.acme.example', cert: A, fe: 'EX01', owner: acme }),
      endpoint({ ip: '192.0.2.3', port: 80, scheme: 'http', fe: 'EX01', owner: acme }),
      endpoint({ ip: '192.0.2.12', cert: B, fe: 'EX01', owner: acme }),
      endpoint({ ip: '192.0.2.12', host: 'x.acme.example', cert: A, fe: 'EX01', owner: acme }),
      endpoint({ ip: '192.0.2.40', cert: B, fe: 'EX09', owner: acme }),
      endpoint({ ip: '192.0.2.41', cert: B, fe: 'EX09', owner: acme, build: '15.2.1748.10' }),
      endpoint({ ip: '192.0.2.42', cert: B, fe: 'EX09', owner: acme, build: '15.2.1748.37' }),
      endpoint({ ip: '192.0.2.50', cert: B, fe: ['EX05', 'EX06'], owner: acme }),
      endpoint({ ip: '192.0.2.51', cert: B, fe: 'EX05', owner: acme }),
      endpoint({ ip: '192.0.2.60', error: 'connect-timeout' }),
    ];
    const expected = new Map(records.map((r, i) => [r, keys(records)[i]]));
    expect([...new Set(expected.values())]).toEqual([
      '192.0.2.3',
      '192.0.2.40',
      '192.0.2.41',
      '192.0.2.42',
      '192.0.2.50',
      '192.0.2.51',
      '192.0.2.60',
    ]);
    for (let seed = 1; seed <= 50; seed++) {
      const order = shuffled(records, seed);
      const index = groupServers(order);
      for (const r of order) expect(index.keyOf(r), `seed ${seed}`).toBe(expected.get(r));
    }
  });

  it('joins 20,000 addresses of one proof in near-linear time', () => {
    const records = Array.from({ length: 20_000 }, (_, i) =>
      endpoint({ ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, cert: A, fe: 'EX01' }),
    );
    const t0 = performance.now();
    const index = groupServers(shuffled(records, 7));
    const ms = performance.now() - t0;
    expect(new Set(records.map((r) => index.keyOf(r)))).toEqual(new Set(['10.0.0.0']));
    console.log(`grouping 20,000 joined addresses: ${Math.round(ms)} ms`);
  });
});

describe('the first pass passes over lines that cannot matter', () => {
  const line = (r: ResultRecord): string => JSON.stringify(r);

  it('parses every Exchange endpoint and every endpoint that sent X-FEServer, skips the rest', () => {
    expect(mayMatter(line(endpoint({ ip: '192.0.2.1' })))).toBe(true);
    expect(mayMatter(line({ ...endpoint({ ip: '192.0.2.1' }), exchange: null }))).toBe(true);
    expect(mayMatter(line(endpoint({ ip: '192.0.2.1', status: 'not-exchange', fe: 'EX01' })))).toBe(true);
    expect(mayMatter(line(endpoint({ ip: '192.0.2.1', status: 'not-exchange' })))).toBe(false);
    expect(mayMatter(line(endpoint({ ip: '192.0.2.1', status: 'exchange-online' })))).toBe(false);
    expect(mayMatter(line(endpoint({ ip: '192.0.2.1', error: 'connection-refused' })))).toBe(false);
    expect(mayMatter(line(endpoint({ ip: '192.0.2.1', error: 'timeout' })))).toBe(false);
  });

  it('cannot be fooled by a server-supplied value, and parses any other spelling', () => {
    const r = endpoint({ ip: '192.0.2.1' });
    r.evidence.push({ signal: 'server-header', url: 'https://192.0.2.1/', value: '"status":"error"' });
    if (r.tls === null) r.tls = endpoint({ ip: '192.0.2.1', cert: A }).tls;
    if (r.tls !== null) r.tls.subject = 'CN=x", "status":"unreachable';
    expect(mayMatter(line(r))).toBe(true);
    const spaced = JSON.stringify(endpoint({ ip: '192.0.2.1', status: 'not-exchange' }), null, 1).replace(
      /\n/g,
      '',
    );
    expect(mayMatter(spaced)).toBe(true);
  });
});

describe("a server's verdict", () => {
  const facts = (records: ResultRecord[]) => surveyRecords(records).servers;

  it('is the worst of its endpoints, and says when they disagree', () => {
    const { main } = facts([
      endpoint({ ip: '192.0.2.1', build: '15.2.1748.49', patchLevel: 'current' }),
      endpoint({
        ip: '192.0.2.1',
        port: 80,
        scheme: 'http',
        build: '15.2.1748',
        precision: 'cu',
        patchLevel: 'outdated',
        certainty: 'possible',
      }),
      endpoint({ ip: '192.0.2.2', build: '15.2.1748.49', patchLevel: 'current' }),
      endpoint({ ip: '192.0.2.2', host: 'mail.example', build: '15.2.1748.49', patchLevel: 'current' }),
    ]);
    const one = main.get('192.0.2.1');
    expect(one?.worst?.patchLevel).toBe('outdated');
    expect(one?.worst?.build).toBe('15.2.1748');
    expect(one?.finding).toBe(true);
    expect(one?.disagree).toBe(true);
    expect(one?.readings).toEqual([
      { product: 'Exchange Server 2019', build: '15.2.1748.49', precision: 'exact' },
      { product: 'Exchange Server 2019', build: '15.2.1748', precision: 'cu' },
    ]);
    expect(one?.exchange).toBe(2);
    const two = main.get('192.0.2.2');
    expect(two).toMatchObject({ exchange: 2, finding: false, disagree: false });
  });

  it('is never better than any endpoint proves: vulnerable beats current, no verdict beats a guess', () => {
    const { main } = facts([
      endpoint({ ip: '192.0.2.1', build: '15.2.1748.49', patchLevel: 'current' }),
      endpoint({ ip: '192.0.2.1', host: 'a.example', build: '15.2.986.14', kev: ['CVE-2023-21529'] }),
      endpoint({ ip: '192.0.2.2', build: '15.2.1748.49', patchLevel: 'current' }),
      { ...endpoint({ ip: '192.0.2.2', port: 80, scheme: 'http' }), exchange: null },
    ]);
    expect(main.get('192.0.2.1')?.worst?.build).toBe('15.2.986.14');
    expect(main.get('192.0.2.2')?.worst).toBeNull();
    expect(main.get('192.0.2.2')?.finding).toBe(true);
  });

  it('between equally urgent verdicts takes the less certain, then the older build', () => {
    const v = (build: string, certainty: 'confirmed' | 'possible') =>
      endpoint({ ip: '192.0.2.1', build, patchLevel: 'outdated', certainty }).exchange;
    expect(compareVerdicts(v('15.2.1748.36', 'possible'), v('15.2.1748.36', 'confirmed'))).toBeLessThan(0);
    expect(compareVerdicts(v('15.2.1748.10', 'confirmed'), v('15.2.1748.36', 'confirmed'))).toBeLessThan(0);
    expect(olderBuildFirst('15.1.2507', '15.1.2507.6')).toBeLessThan(0);
    expect(olderBuildFirst('15.1.999.1', '15.1.2507.6')).toBeLessThan(0);
    expect(olderBuildFirst(null, '8.3.485.1')).toBeLessThan(0);
    expect(olderBuildFirst('<b>', '8.3.485.1')).toBeLessThan(0);
  });

  it('is judged per owner from that owner’s endpoints only', () => {
    const { main, byOwner } = facts([
      endpoint({ ip: '192.0.2.1', owner: acme, patchLevel: 'current' }),
      endpoint({ ip: '192.0.2.1', host: 'x.other.example', owner: other, kev: ['CVE-2023-21529'] }),
    ]);
    expect(main.get('192.0.2.1')?.worst?.patchLevel).toBe('vulnerable');
    expect(byOwner.get('ACME')?.get('192.0.2.1')?.worst?.patchLevel).toBe('current');
    expect(byOwner.get('Other Ltd')?.get('192.0.2.1')?.worst?.patchLevel).toBe('vulnerable');
  });
});

describe('the layout of servers in a report', () => {
  it('sections per server up to a bound, then per verdict with the lowest keys listed', () => {
    const records = Array.from({ length: 30 }, (_, i) =>
      endpoint({ ip: `192.0.2.${30 - i}`, patchLevel: i % 2 === 0 ? 'outdated' : 'current' }),
    );
    const { main } = surveyRecords(records).servers;
    const small = planServers(main, { groupAbove: 20, tableLimit: 5 });
    expect(small.grouped).toBe(false);
    expect(small.detailed).toHaveLength(15);
    expect(small.current).toEqual({
      total: 15,
      listed: ['192.0.2.1', '192.0.2.3', '192.0.2.5', '192.0.2.7', '192.0.2.9'],
    });
    const large = planServers(main, { groupAbove: 10, tableLimit: 5 });
    expect(large.grouped).toBe(true);
    expect(large.groups).toHaveLength(1);
    expect(large.groups[0]?.servers).toBe(15);
    expect(large.groups[0]?.listed).toEqual([
      '192.0.2.2',
      '192.0.2.4',
      '192.0.2.6',
      '192.0.2.8',
      '192.0.2.10',
    ]);
    expect(large.built.size).toBe(10);
  });
});
