// createResolver over a real UDP socket: a tiny DNS server on 127.2.0.53 answers A/AAAA.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResolver, DnsError } from '../src/engine/resolver.js';
import { createScopeGuard } from '../src/scope/guard.js';
import { parseScopeEntry } from '../src/scanfile/entries.js';
import type { ScopeEntry } from '../src/scanfile/types.js';
import { startDnsServer, type TestDnsServer } from './helpers/scope-dns.js';

const entries = (list: string[]): ScopeEntry[] =>
  list.map((t) => {
    const r = parseScopeEntry(t);
    if (!r.ok) throw new Error(r.error);
    return r.value;
  });

let dns: TestDnsServer;
beforeAll(async () => {
  dns = await startDnsServer('127.2.0.53', 15353, {
    'mail.acme.example': ['127.2.1.10', '2001:db8:5::10'],
    'v4only.acme.example': ['127.2.1.11'],
    'outside.acme.example': ['127.9.9.9', '198.51.100.77'],
    'nodata.acme.example': [],
    'evil.acme.example': ['10.0.0.5', '127.0.0.1'],
  });
});
afterAll(async () => {
  await dns.close();
});

describe('createResolver', () => {
  it('returns A and AAAA answers from the configured server', async () => {
    const resolve = createResolver([dns.address], { timeoutMs: 2000 });
    expect((await resolve('mail.acme.example')).sort()).toEqual(['127.2.1.10', '2001:db8:5::10']);
    expect(await resolve('v4only.acme.example')).toEqual(['127.2.1.11']);
    expect(dns.queries.get('mail.acme.example/A')).toBe(1);
    expect(dns.queries.get('mail.acme.example/AAAA')).toBe(1);
  });

  it('answers [] for a name without records and for NXDOMAIN', async () => {
    const resolve = createResolver([dns.address], { timeoutMs: 2000 });
    expect(await resolve('nodata.acme.example')).toEqual([]);
    expect(await resolve('nxdomain.acme.example')).toEqual([]);
  });

  it('gives up within its budget when the server does not answer', async () => {
    dns.silent.add('slow.acme.example');
    const resolve = createResolver([dns.address], { timeoutMs: 600 });
    const started = Date.now();
    const err: unknown = await resolve('slow.acme.example').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DnsError);
    expect((err as DnsError).code).toBe('ETIMEOUT');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('a hostname that resolves out of scope, through a real resolver', () => {
  const scope = {
    include: entries(['127.2.1.0/24', '*.acme.example']),
    exclude: entries(['127.2.1.11']),
  };

  it('splits the answers into allowed and refused, and asks DNS once per name', async () => {
    const guard = createScopeGuard(scope, { resolver: createResolver([dns.address], { timeoutMs: 2000 }) });
    const before = dns.queries.get('outside.acme.example/A') ?? 0;
    const r = await guard.resolveAllowed('outside.acme.example');
    await guard.resolveAllowed('OUTSIDE.acme.example.');
    expect(r).toEqual({
      allowed: ['198.51.100.77'],
      refused: [
        {
          ip: '127.9.9.9',
          reason:
            '127.9.9.9 (outside.acme.example) is a loopback address, allowed only inside a scope.include range',
        },
      ],
    });
    expect((dns.queries.get('outside.acme.example/A') ?? 0) - before).toBe(1);
    expect(guard.checkConnection('127.9.9.9', 'outside.acme.example').allowed).toBe(false);
    expect(guard.checkConnection('198.51.100.77', 'outside.acme.example')).toEqual({ allowed: true });
  });

  it('refuses every address of a name that points only at internal networks', async () => {
    const guard = createScopeGuard(scope, { resolver: createResolver([dns.address], { timeoutMs: 2000 }) });
    const r = await guard.resolveAllowed('evil.acme.example');
    expect(r.allowed).toEqual([]);
    expect(r.refused.map((x) => x.ip)).toEqual(['10.0.0.5', '127.0.0.1']);
  });

  it('refuses an excluded address of an included name', async () => {
    const guard = createScopeGuard(scope, { resolver: createResolver([dns.address], { timeoutMs: 2000 }) });
    const r = await guard.resolveAllowed('v4only.acme.example');
    expect(r).toEqual({
      allowed: [],
      refused: [
        {
          ip: '127.2.1.11',
          reason: '127.2.1.11 (v4only.acme.example) is excluded by scope.exclude[0] (127.2.1.11)',
        },
      ],
    });
  });
});
