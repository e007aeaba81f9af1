import { describe, expect, it } from 'vitest';
import { canonicalIp, formatIPv4, formatIPv6, parseAddress, parseIPv4, parseIPv6 } from '../src/core/ip.js';
import { mergeIntervals, subtractIntervals, intersectIntervals, V4Lookup } from '../src/scope/intervals.js';

describe('IPv4 parsing', () => {
  it.each([
    ['0.0.0.0', 0],
    ['203.0.113.5', 0xcb007105],
    ['255.255.255.255', 0xffffffff],
  ])('%s', (text, n) => {
    expect(parseIPv4(text)).toBe(n);
    expect(formatIPv4(n)).toBe(text);
  });

  it.each([
    '010.0.0.1',
    '1.2.3',
    '1.2.3.4.5',
    '256.0.0.1',
    '1..2.3',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '0x7f.0.0.1',
    '1.2.3.-1',
    '',
  ])('refuses %j', (text) => expect(parseIPv4(text)).toBe(-1));
});

describe('IPv6 parsing', () => {
  it.each([
    ['2001:db8::1', '2001:db8::1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['fe80::', 'fe80::'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['::ffff:203.0.113.5', '::ffff:cb00:7105'],
  ])('%s → %s', (text, canon) => {
    const v = parseIPv6(text);
    expect(v).not.toBeNull();
    expect(formatIPv6(v ?? 0n)).toBe(canon);
  });

  it.each([
    '1:::2',
    ':1::2',
    '1::2::3',
    '12345::1',
    'fe80::1%eth0',
    '1:2:3:4:5:6:7',
    'g::1',
    '1:2:3:4:5:6:7:8:9',
  ])('refuses %j', (text) => expect(parseIPv6(text)).toBeNull());

  it('treats IPv4-mapped IPv6 as IPv4', () => {
    expect(parseAddress('::ffff:203.0.113.5')).toEqual({ family: 4, v4: 0xcb007105 });
    expect(canonicalIp('::FFFF:cb00:7105')).toBe('203.0.113.5');
    expect(canonicalIp('2001:DB8::0:1')).toBe('2001:db8::1');
    expect(canonicalIp('nope')).toBeNull();
  });
});

describe('interval arithmetic', () => {
  const iv = (a: number, b: number) => ({ start: BigInt(a), end: BigInt(b) });
  it('merges overlapping and adjacent intervals', () => {
    expect(mergeIntervals([iv(10, 20), iv(0, 5), iv(6, 8), iv(15, 30)])).toEqual([iv(0, 8), iv(10, 30)]);
  });
  it('subtracts holes and tails', () => {
    expect(subtractIntervals([iv(0, 100)], [iv(10, 20), iv(50, 60), iv(90, 200)])).toEqual([
      iv(0, 9),
      iv(21, 49),
      iv(61, 89),
    ]);
    expect(subtractIntervals([iv(0, 10), iv(20, 30)], [iv(5, 25)])).toEqual([iv(0, 4), iv(26, 30)]);
    expect(subtractIntervals([iv(0, 10)], [iv(0, 10)])).toEqual([]);
  });
  it('intersects', () => {
    expect(intersectIntervals([iv(0, 10), iv(20, 30)], [iv(5, 25)])).toEqual([iv(5, 10), iv(20, 25)]);
  });
  it('looks up IPv4 numbers over typed arrays', () => {
    const l = new V4Lookup([iv(10, 20), iv(0xfffffff0, 0xffffffff)]);
    expect([9, 10, 20, 21, 0xffffffff].map((n) => l.has(n))).toEqual([false, true, true, false, true]);
  });
});
