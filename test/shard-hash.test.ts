// The shard assignment is part of the run-directory contract (a resumed shard and `merge`
// recompute it): pinned values, one shard per key, balance, independence of order, and the
// canonical identities that make a name or an address land in one shard however it is written.
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.js';
import {
  formatShard,
  parseShard,
  recordIdentity,
  shardFilter,
  shardHash,
  shardIdentity,
  shardOf,
} from '../src/shard/index.js';

/** Deterministic shuffle (xorshift32), so the test never depends on Math.random. */
function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function ipv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

// 64k consecutive addresses (the worst case for a weak hash: keys differ in their last bytes),
// 4k addresses spread over a /8, IPv6 and hostnames.
const KEYS: string[] = [
  ...Array.from({ length: 65_536 }, (_, i) => ipv4(0xc6336400 + i)),
  ...Array.from({ length: 4_096 }, (_, i) => ipv4(0x0a000000 + i * 4093)),
  ...Array.from({ length: 8_192 }, (_, i) => `2001:db8::${i.toString(16)}`),
  ...Array.from({ length: 8_192 }, (_, i) => `host${i}.example.org`),
];

describe('shard hash', () => {
  it('is pinned: FNV-1a 32 with the MurmurHash3 finaliser (changing it would reshuffle every shard run)', () => {
    expect(shardHash('')).toBe(2872998923);
    expect(shardHash('a')).toBe(444641715);
    expect(shardHash('192.0.2.1')).toBe(1941296713);
    expect(shardHash('2001:db8::1')).toBe(3849813818);
    expect(shardHash('mail.acme.example')).toBe(2879928437);
    expect([
      shardOf('192.0.2.1', 4),
      shardOf('2001:db8::1', 4),
      shardOf('mail.acme.example', 4),
      shardOf('a', 16),
    ]).toEqual([2, 4, 3, 2]);
  });

  it('puts every key in exactly one shard, numbered 1..N', () => {
    for (const n of [1, 2, 3, 4, 7]) {
      const filters = Array.from({ length: n }, (_, i) => shardFilter({ index: i + 1, count: n }));
      for (const key of KEYS.slice(0, 5000)) {
        const owners = filters.filter((f) => f.accepts(key)).length;
        expect(owners, `${key} in ${n} shards`).toBe(1);
        const k = shardOf(key, n);
        expect(k >= 1 && k <= n).toBe(true);
      }
    }
  });

  it('balances shards like a fair random split (every shard within 5 standard deviations), for consecutive addresses and for names', () => {
    for (const [label, keys] of [
      ['consecutive IPv4', KEYS.slice(0, 65_536)],
      ['everything', KEYS],
      ['names', KEYS.slice(-8_192)],
    ] as const) {
      for (const n of [2, 4, 7, 16]) {
        const sizes = new Array<number>(n).fill(0);
        for (const key of keys) {
          const k = shardOf(key, n) - 1;
          sizes[k] = (sizes[k] ?? 0) + 1;
        }
        const mean = keys.length / n;
        // A binomial split's standard deviation. Without the finaliser (FNV-1a's high bits scaled
        // to N), consecutive addresses miss by more than 12 of them on 16 shards.
        const sd = Math.sqrt(mean * (1 - 1 / n));
        for (const size of sizes)
          expect(Math.abs(size - mean) / sd, `${label}, ${n} shards: ${sizes.join(' ')}`).toBeLessThan(5);
        if (keys.length >= 65_536)
          expect(Math.max(...sizes) / Math.min(...sizes), `${label}, ${n} shards`).toBeLessThan(1.1);
      }
    }
  });

  it('depends on the key alone, never on the order in which targets come', () => {
    const sample = KEYS.filter((_, i) => i % 7 === 0);
    const assign = (list: readonly string[]): Map<string, number> =>
      new Map(list.map((k) => [k, shardOf(k, 4)]));
    const inOrder = assign(sample);
    for (const seed of [1, 42, 20261127]) {
      const other = assign(shuffled(sample, seed));
      for (const [k, shard] of inOrder) expect(other.get(k)).toBe(shard);
    }
    const split = Array.from({ length: 4 }, (_, i) => sample.filter((k) => shardOf(k, 4) === i + 1));
    expect(split.flat().sort()).toEqual([...sample].sort());
  });

  it('hashes the canonical identity: the same name or address in any spelling lands in one shard', () => {
    expect(shardIdentity('Mail.ACME.example.')).toBe('mail.acme.example');
    expect(shardIdentity('2001:DB8:0:0::0001')).toBe('2001:db8::1');
    expect(shardIdentity('::ffff:192.0.2.7')).toBe('192.0.2.7');
    for (const n of [3, 4, 16]) {
      expect(shardOf('Mail.ACME.example.', n)).toBe(shardOf('mail.acme.example', n));
      expect(shardOf('2001:DB8:0:0::0001', n)).toBe(shardOf('2001:db8::1', n));
      expect(shardOf('::ffff:192.0.2.7', n)).toBe(shardOf('192.0.2.7', n));
    }
  });

  it("takes a record's identity from the name it was scanned by, else its address", () => {
    expect(recordIdentity({ host: 'mail.acme.example', ip: '192.0.2.1' })).toBe('mail.acme.example');
    expect(recordIdentity({ host: 'mail.acme.example', ip: null })).toBe('mail.acme.example');
    expect(recordIdentity({ host: null, ip: '192.0.2.1' })).toBe('192.0.2.1');
  });
});

describe('--shard K/N', () => {
  it('reads K/N with K counted from 1', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    expect(parseShard('100000/100000')).toEqual({ index: 100000, count: 100000 });
    expect(formatShard({ index: 3, count: 8 })).toBe('3/8');
  });

  for (const bad of ['0/4', '5/4', '2/0', 'a/b', '2', '2/4/8', '-1/4', '1.5/4', '', '1/100001']) {
    it(`refuses "${bad}" as bad input naming --shard`, () => {
      let error: unknown;
      try {
        parseShard(bad);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).format()).toMatch(/^command line: --shard: /);
    });
  }
});
