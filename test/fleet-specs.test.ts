// Pure parts of the fleet: the builders' address plans and the request log's bookkeeping.
import { describe, expect, it } from 'vitest';
import {
  EXCHANGE_PROFILE_IDS,
  PROFILE_IDS,
  PROFILES,
  hostAddress,
  maxInSlidingWindow,
  scaledFleet,
  standardFleet,
  standardFleetLayout,
} from '../src/fleet/index.js';
import { RequestLog } from '../src/fleet/request-log.js';

describe('standardFleet', () => {
  const hosts = standardFleet({ base: '127.100.0.0', httpsPort: 443, httpPort: 80 });

  it('puts one host per catalogue profile inside base/24 and the sentinel outside it', () => {
    const ids = hosts.map((h) => (typeof h.profile === 'string' ? h.profile : h.profile.id));
    expect([...ids].sort()).toEqual([...PROFILE_IDS].sort());
    expect(hosts[0]?.ip).toBe('127.100.0.1');
    const scannable = hosts.filter((h) => h.profile !== 'sentinel');
    for (const h of scannable) expect(h.ip).toMatch(/^127\.100\.0\.(\d+)$/);
    expect(new Set(hosts.map((h) => h.ip)).size).toBe(hosts.length);
    const sentinel = hosts.find((h) => h.profile === 'sentinel');
    expect(sentinel).toMatchObject({
      ip: '127.100.250.1',
      name: 'outside.fleet.test',
      aliases: ['mixed.fleet.test'],
    });
    expect(standardFleetLayout('127.100.0.0')).toEqual({
      scope: '127.100.0.0/24',
      sentinel: '127.100.250.1',
    });
  });

  it('aims the out-of-scope redirect at the sentinel and gives the main host both schemes', () => {
    const redirect = hosts.find(
      (h) => typeof h.profile !== 'string' && h.profile.id === 'redirect-out-of-scope',
    );
    expect(redirect?.profile).toMatchObject({
      kind: 'redirect-out-of-scope',
      target: 'https://127.100.250.1/owa/',
    });
    expect(PROFILES['redirect-out-of-scope'].target).toBe('https://127.250.0.1/owa/'); // the catalogue entry is untouched
    const mail = hosts.find((h) => h.name === 'mail.fleet.test');
    expect(mail?.ports).toEqual([
      { port: 443, scheme: 'https' },
      { port: 80, scheme: 'http' },
    ]);
    const withPort = standardFleet({ base: '127.10.0.0', httpsPort: 18443, httpPort: 18080 });
    const r = withPort.find((h) => typeof h.profile !== 'string' && h.profile.id === 'redirect-out-of-scope');
    expect(r?.profile).toMatchObject({ target: 'https://127.10.250.1:18443/owa/' });
  });

  it('refuses bases outside 127/8, not ending in .0, or too high for the sentinel', () => {
    expect(() => standardFleet({ base: '10.0.0.0', httpsPort: 1, httpPort: 2 })).toThrow(/127\.0\.0\.0\/8/);
    expect(() => standardFleet({ base: '127.1.0.5', httpsPort: 1, httpPort: 2 })).toThrow(/ending in \.0/);
    expect(() => standardFleetLayout('127.1.250.0')).toThrow(/below 250/);
  });
});

describe('scaledFleet', () => {
  it('skips .0 and .255 and cycles the normal Exchange profiles', () => {
    const hosts = scaledFleet({ base: '127.11.0.0', count: 600, httpsPort: 18443 });
    expect(hosts).toHaveLength(600);
    expect(hosts[0]?.ip).toBe('127.11.0.1');
    expect(hosts[253]?.ip).toBe('127.11.0.254');
    expect(hosts[254]?.ip).toBe('127.11.1.1');
    expect(hosts[599]?.ip).toBe('127.11.2.92');
    expect(hosts.some((h) => /\.(0|255)$/.test(h.ip))).toBe(false);
    expect(hosts[1]?.profile).toBe(EXCHANGE_PROFILE_IDS[1]);
    expect(EXCHANGE_PROFILE_IDS).not.toContain('retry-after');
    expect(EXCHANGE_PROFILE_IDS).not.toContain('hostile-markup');
    expect(EXCHANGE_PROFILE_IDS).toContain('ex2007-sp3');
    expect(hosts[0]?.name).toBe('h1.scale.fleet.test');
  });

  it('handles 10,000 hosts and refuses to run past 127/8', () => {
    expect(scaledFleet({ base: '127.11.0.0', count: 10_000, httpsPort: 1 }).at(-1)?.ip).toBe('127.11.39.94');
    expect(hostAddress('127.255.255.0', 253)).toBe('127.255.255.254');
    expect(() => hostAddress('127.255.255.0', 254)).toThrow(/past 127\.255\.255\.255/);
    expect(() => scaledFleet({ base: '127.11.0.0', count: 0, httpsPort: 1 })).toThrow(/positive integer/);
  });
});

describe('RequestLog', () => {
  it('counts per endpoint and path, and keeps a bounded ring of timestamps', () => {
    const log = new RequestLog(3);
    const a = log.register('127.0.0.1', 443);
    const b = log.register('127.0.0.1', 80);
    const c = log.register('127.0.0.2', 443);
    log.connection(a);
    log.request(a, '/owa/', 1000);
    log.request(a, '/owa/', 1100);
    log.request(b, '/', 1200);
    log.request(c, '/x', 1300);
    expect(log.requests).toBe(4);
    expect(log.connections).toBe(1);
    expect(log.count('127.0.0.1')).toBe(3);
    expect(log.count('127.0.0.1', 443)).toBe(2);
    expect(log.count('127.0.0.1', 443, '/owa/')).toBe(2);
    expect(log.count('127.0.0.9')).toBe(0);
    expect(log.maxRequestsPerEndpoint()).toBe(2);
    expect(log.dropped).toBe(1);
    expect(log.entries().map((e) => e.t)).toEqual([1100, 1200, 1300]);
    expect(log.entries({ ip: '127.0.0.1' }).map((e) => [e.port, e.path])).toEqual([
      [443, '/owa/'],
      [80, '/'],
    ]);
    expect(log.minGapMs('127.0.0.1')).toBe(100);
    expect(log.minGapMs('127.0.0.2')).toBeNull();
    expect(log.endpoints().map((e) => [e.ip, e.port, e.requests])).toEqual([
      ['127.0.0.1', 443, 2],
      ['127.0.0.1', 80, 1],
      ['127.0.0.2', 443, 1],
    ]);
    log.reset();
    expect(log.requests).toBe(0);
    expect(log.entries()).toEqual([]);
    expect(log.count('127.0.0.1')).toBe(0);
  });

  it('caps distinct paths per endpoint and path length', () => {
    const log = new RequestLog(0);
    const a = log.register('127.0.0.1', 443);
    for (let i = 0; i < 70; i++) log.request(a, `/p${String(i)}`);
    log.request(a, `/${'x'.repeat(500)}`);
    const paths = log.endpoints()[0]?.paths;
    expect(paths?.size).toBe(65);
    expect(paths?.get('(other)')).toBe(7);
    expect(log.entries()).toEqual([]);
    expect(log.count('127.0.0.1')).toBe(71);
  });

  it('finds the busiest sliding window', () => {
    expect(maxInSlidingWindow([], 1000)).toBe(0);
    expect(maxInSlidingWindow([0, 100, 999, 1000, 1500, 1999.5], 1000)).toBe(3);
    expect(maxInSlidingWindow([0, 1, 2, 999.9, 1000], 1000)).toBe(4);
    expect(maxInSlidingWindow([0, 1000, 2000], 1000)).toBe(1);
    const log = new RequestLog(100);
    const a = log.register('127.0.0.1', 443);
    for (const t of [5, 10, 400, 1200, 1300, 1350, 1399]) log.request(a, '/', t);
    expect(log.maxInWindow(1000)).toBe(5);
    expect(log.maxInWindow(100, { ip: '127.0.0.1', port: 443 })).toBe(3);
  });
});
