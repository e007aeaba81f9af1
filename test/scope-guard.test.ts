import { describe, expect, it } from 'vitest';
import { createScopeGuard } from '../src/scope/guard.js';
import { parseScopeEntry } from '../src/scanfile/entries.js';
import type { ScopeEntry } from '../src/scanfile/types.js';
import type { Resolver } from '../src/scope/types.js';

function entries(list: string[]): ScopeEntry[] {
  return list.map((t) => {
    const r = parseScopeEntry(t);
    if (!r.ok) throw new Error(r.error);
    return r.value;
  });
}

function guard(include: string[], exclude: string[] = [], resolver: Resolver = () => Promise.resolve([])) {
  return createScopeGuard({ include: entries(include), exclude: entries(exclude) }, { resolver });
}

const allowed = { allowed: true };

describe('address rules', () => {
  const g = guard(
    ['203.0.113.0/28', '198.51.100.7', '2001:db8:5::/120', '2001:db8:9::1'],
    ['203.0.113.7', '2001:db8:5::80/124'],
  );

  it('allows addresses inside include ranges and IP literals (v4 and v6)', () => {
    for (const ip of [
      '203.0.113.0',
      '203.0.113.15',
      '198.51.100.7',
      '2001:db8:5::1',
      '2001:db8:5::ff',
      '2001:db8:9::1',
    ]) {
      expect(g.checkAddress(ip), ip).toEqual(allowed);
    }
  });

  it('refuses addresses outside, naming why', () => {
    expect(g.checkAddress('203.0.113.16')).toEqual({
      allowed: false,
      reason: '203.0.113.16 is not in any scope.include range',
    });
    expect(g.checkAddress('198.51.100.8').allowed).toBe(false);
    expect(g.checkAddress('2001:db8:5::100').allowed).toBe(false);
    expect(g.checkAddress('2001:db8:9::2').allowed).toBe(false);
    expect(g.checkAddress('mail.acme.example')).toEqual({
      allowed: false,
      reason: 'mail.acme.example is not an IP address',
    });
  });

  it('lets exclude beat include, also for a range excluded inside an included range', () => {
    expect(g.checkAddress('203.0.113.7')).toEqual({
      allowed: false,
      reason: '203.0.113.7 is excluded by scope.exclude[0] (203.0.113.7)',
    });
    expect(g.checkAddress('2001:db8:5::85')).toEqual({
      allowed: false,
      reason: '2001:db8:5::85 is excluded by scope.exclude[1] (2001:db8:5::80/124)',
    });
    expect(g.checkAddress('2001:db8:5::8f').allowed).toBe(false);
    expect(g.checkAddress('2001:db8:5::90')).toEqual(allowed);
  });

  it('applies the IPv4 rules to IPv4-mapped IPv6', () => {
    expect(g.checkAddress('::ffff:203.0.113.5')).toEqual(allowed);
    expect(g.checkAddress('::ffff:cb00:7105')).toEqual(allowed);
    expect(g.checkAddress('::ffff:203.0.113.7').allowed).toBe(false);
    expect(g.checkAddress('::ffff:203.0.113.99').allowed).toBe(false);
    const mappedInclude = guard(['::ffff:198.51.100.0/120']);
    expect(mappedInclude.checkAddress('198.51.100.77')).toEqual(allowed);
  });
});

describe('built-in rules', () => {
  it('allows loopback, private, link-local, CGNAT and ULA only when an include range contains them', () => {
    const none = guard(['*.acme.example', 'mail.acme.example']);
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.1.1',
      '100.64.0.1',
      '::1',
      'fe80::1',
      'fd00::1',
    ]) {
      expect(none.checkAddress(ip).allowed, ip).toBe(false);
    }
    const ranges = guard([
      '127.2.0.0/16',
      '10.0.0.0/8',
      '169.254.0.0/16',
      '100.64.0.0/10',
      '::1',
      'fd00::/120',
      '192.168.1.1',
    ]);
    for (const ip of [
      '127.2.3.4',
      '10.1.2.3',
      '169.254.1.1',
      '100.64.0.1',
      '::1',
      'fd00::1',
      '192.168.1.1',
    ]) {
      expect(ranges.checkAddress(ip), ip).toEqual(allowed);
    }
    expect(ranges.checkAddress('127.3.0.1').allowed).toBe(false);
  });

  it('never allows multicast, broadcast, unspecified or reserved, even when included', () => {
    const everything = guard(['0.0.0.0/0', '::/0']);
    expect(everything.checkAddress('8.8.8.8')).toEqual(allowed);
    expect(everything.checkAddress('224.0.0.1')).toEqual({
      allowed: false,
      reason: '224.0.0.1 is a multicast address, never probed',
    });
    expect(everything.checkAddress('239.255.255.250').allowed).toBe(false);
    expect(everything.checkAddress('255.255.255.255')).toEqual({
      allowed: false,
      reason: '255.255.255.255 is the broadcast address, never probed',
    });
    expect(everything.checkAddress('0.0.0.0').allowed).toBe(false);
    expect(everything.checkAddress('240.0.0.1').allowed).toBe(false);
    expect(everything.checkAddress('::')).toEqual({
      allowed: false,
      reason: ':: is the unspecified address, never probed',
    });
    expect(everything.checkAddress('ff02::1').allowed).toBe(false);
    expect(everything.checkAddress('::ffff:224.0.0.1').allowed).toBe(false);
    expect(guard(['224.0.0.1']).checkAddress('224.0.0.1').allowed).toBe(false);
  });

  it('holds a NAT64 address to the never and exclude rules of the IPv4 address it embeds', () => {
    const g = guard(['64:ff9b::/96'], ['203.0.113.7']);
    expect(g.checkAddress('64:ff9b::cb00:7105')).toEqual(allowed);
    expect(g.checkAddress('64:ff9b::203.0.113.7')).toEqual({
      allowed: false,
      reason: '64:ff9b::203.0.113.7 is excluded by scope.exclude[0] (203.0.113.7)',
    });
    expect(g.checkAddress('64:ff9b::e000:1').allowed).toBe(false);
  });
});

describe('name rules', () => {
  const g = guard(
    ['mail.acme.example', '*.acme.example', 'Owa.Other.Example.'],
    ['fragile.acme.example', '*.lab.acme.example'],
  );

  it('matches names case-insensitively with the trailing dot ignored', () => {
    expect(g.checkHostname('MAIL.ACME.EXAMPLE.')).toEqual(allowed);
    expect(g.checkHostname('owa.other.example')).toEqual(allowed);
  });

  it('matches a wildcard at any depth below its domain, but not the domain itself', () => {
    expect(g.checkHostname('autodiscover.acme.example')).toEqual(allowed);
    expect(g.checkHostname('a.b.c.acme.example')).toEqual(allowed);
    expect(g.checkHostname('acme.example')).toEqual({
      allowed: false,
      reason: 'acme.example is not matched by any scope.include name or wildcard',
    });
    expect(g.checkHostname('evilacme.example').allowed).toBe(false);
    expect(g.checkHostname('acme.example.evil.test').allowed).toBe(false);
  });

  it('lets an excluded name or wildcard beat include', () => {
    expect(g.checkHostname('fragile.acme.example')).toEqual({
      allowed: false,
      reason: 'fragile.acme.example is excluded by scope.exclude[0] (fragile.acme.example)',
    });
    expect(g.checkHostname('x.lab.acme.example')).toEqual({
      allowed: false,
      reason: 'x.lab.acme.example is excluded by scope.exclude[1] (*.lab.acme.example)',
    });
  });

  it('leaves IDN names as given and refuses what is not a name', () => {
    const idn = guard(['bücher.example', 'xn--bcher-kva.example']);
    expect(idn.checkHostname('BÜCHER.example')).toEqual(allowed);
    expect(idn.checkHostname('xn--bcher-kva.example')).toEqual(allowed);
    expect(g.checkHostname('10.0.0.1').allowed).toBe(false);
    expect(g.checkHostname('bad_name..acme.example').allowed).toBe(false);
  });
});

describe('resolution and checkConnection', () => {
  const table: Record<string, string[]> = {
    'mail.acme.example': ['198.51.100.20', '2001:db8:77::1'],
    'split.acme.example': ['198.51.100.21', '203.0.113.7', '10.0.0.5', '224.0.0.9'],
    'internal.acme.example': ['10.0.0.5', '127.0.0.1'],
    'ranged.other.example': ['203.0.113.3'],
    'fragile.acme.example': ['203.0.113.4'],
  };
  const calls: string[] = [];
  const resolver: Resolver = (name) => {
    calls.push(name);
    const hit = table[name];
    return hit === undefined ? Promise.reject(new Error(`no such name ${name}`)) : Promise.resolve(hit);
  };
  const g = guard(['203.0.113.0/28', '*.acme.example'], ['203.0.113.7', 'fragile.acme.example'], resolver);

  it('allows public addresses of an included name that lie outside the include ranges', async () => {
    expect(await g.resolveAllowed('Mail.Acme.Example.')).toEqual({
      allowed: ['198.51.100.20', '2001:db8:77::1'],
      refused: [],
    });
    expect(g.checkConnection('198.51.100.20', 'mail.acme.example')).toEqual(allowed);
    expect(g.checkConnection('2001:db8:77::1', 'MAIL.acme.example')).toEqual(allowed);
  });

  it('refuses excluded, never and private addresses of an included name', async () => {
    const r = await g.resolveAllowed('split.acme.example');
    expect(r.allowed).toEqual(['198.51.100.21']);
    expect(r.refused).toEqual([
      {
        ip: '203.0.113.7',
        reason: '203.0.113.7 (split.acme.example) is excluded by scope.exclude[0] (203.0.113.7)',
      },
      {
        ip: '10.0.0.5',
        reason:
          '10.0.0.5 (split.acme.example) is a private address, allowed only inside a scope.include range',
      },
      { ip: '224.0.0.9', reason: '224.0.0.9 (split.acme.example) is a multicast address, never probed' },
    ]);
    expect(g.checkConnection('203.0.113.7', 'split.acme.example').allowed).toBe(false);
    expect(g.checkConnection('10.0.0.5', 'split.acme.example').allowed).toBe(false);
    const internal = await g.resolveAllowed('internal.acme.example');
    expect(internal.allowed).toEqual([]);
    expect(internal.refused.map((x) => x.ip)).toEqual(['10.0.0.5', '127.0.0.1']);
  });

  it('allows a name outside the include names only at addresses inside the include ranges', async () => {
    const r = await g.resolveAllowed('ranged.other.example');
    expect(r).toEqual({ allowed: ['203.0.113.3'], refused: [] });
    expect(g.checkConnection('203.0.113.3', 'ranged.other.example')).toEqual(allowed);
  });

  it('refuses every address of an excluded name, even inside an include range', async () => {
    const r = await g.resolveAllowed('fragile.acme.example');
    expect(r.allowed).toEqual([]);
    expect(g.checkConnection('203.0.113.4', 'fragile.acme.example')).toEqual({
      allowed: false,
      reason: 'fragile.acme.example is excluded by scope.exclude[1] (fragile.acme.example)',
    });
    expect(g.checkConnection('203.0.113.4', null)).toEqual(allowed);
  });

  it('refuses a connection to an address the name was not resolved to by the guard', async () => {
    await g.resolveAllowed('mail.acme.example');
    expect(g.checkConnection('198.51.100.99', 'mail.acme.example').allowed).toBe(false);
    // never resolved through the guard: a name alone does not authorise an address
    expect(g.checkConnection('198.51.100.30', 'other.acme.example')).toEqual({
      allowed: false,
      reason:
        '198.51.100.30 is not in any scope.include range, and it is not an in-scope address of other.acme.example',
    });
    expect(g.checkConnection('not-an-ip', 'mail.acme.example').allowed).toBe(false);
    expect(g.checkConnection('203.0.113.2', '203.0.113.2')).toEqual(allowed);
  });

  it('resolves each name once, failures included', async () => {
    const before = calls.length;
    await g.resolveAllowed('mail.acme.example');
    await g.resolveAllowed('MAIL.acme.example.');
    await expect(g.resolveAllowed('gone.acme.example')).rejects.toThrow('no such name');
    await expect(g.resolveAllowed('gone.acme.example')).rejects.toThrow('no such name');
    expect(calls.slice(before)).toEqual(['gone.acme.example']);
  });

  it('answers an IP literal without asking DNS', async () => {
    const before = calls.length;
    expect(await g.resolveAllowed('203.0.113.9')).toEqual({ allowed: ['203.0.113.9'], refused: [] });
    expect((await g.resolveAllowed('198.51.100.1')).allowed).toEqual([]);
    expect(calls.length).toBe(before);
  });
});
