// The built-in address rules (README "Use it responsibly" and "Scan file"). Two kinds:
// - never: multicast, unspecified, broadcast and the rest of 240.0.0.0/4 — no scan file can
//   authorise them, not even an include range that contains them (they are not hosts);
// - conditional: private, loopback, link-local, CGNAT shared space and IPv6 unique-local — only
//   when an include *range or IP literal* contains them. A hostname in scope that resolves to one
//   of these is not enough: that is how a DNS answer would smuggle a scan into an internal network.
// Directed broadcast addresses of subnets are not knowable from a scan file and are not special.
import { cidrInterval, type Interval } from './intervals.js';
import { parseIPv4, parseIPv6 } from '../core/ip.js';

export interface SpecialRange {
  interval: Interval;
  label: string;
}

function v4(cidr: string, label: string): SpecialRange {
  const [net = '', prefix = '0'] = cidr.split('/');
  return { interval: cidrInterval(BigInt(parseIPv4(net)), Number(prefix), 32), label };
}

function v6(cidr: string, label: string): SpecialRange {
  const [net = '', prefix = '0'] = cidr.split('/');
  return { interval: cidrInterval(parseIPv6(net) ?? 0n, Number(prefix), 128), label };
}

/** Refused whatever the scan file says. Ordered: the first match names the reason. */
export const NEVER_V4: readonly SpecialRange[] = [
  v4('0.0.0.0/8', 'an unspecified ("this network") address'),
  v4('224.0.0.0/4', 'a multicast address'),
  v4('255.255.255.255/32', 'the broadcast address'),
  v4('240.0.0.0/4', 'a reserved (240.0.0.0/4) address'),
];

export const NEVER_V6: readonly SpecialRange[] = [
  v6('::/128', 'the unspecified address'),
  v6('ff00::/8', 'a multicast address'),
];

/** Allowed only when an include range or IP literal contains them. */
export const CONDITIONAL_V4: readonly SpecialRange[] = [
  v4('10.0.0.0/8', 'a private address'),
  v4('172.16.0.0/12', 'a private address'),
  v4('192.168.0.0/16', 'a private address'),
  v4('127.0.0.0/8', 'a loopback address'),
  v4('169.254.0.0/16', 'a link-local address'),
  v4('100.64.0.0/10', 'a shared (CGNAT) address'),
];

export const CONDITIONAL_V6: readonly SpecialRange[] = [
  v6('::1/128', 'the loopback address'),
  v6('fe80::/10', 'a link-local address'),
  v6('fc00::/7', 'a unique-local address'),
];

/**
 * Fast test for the IPv4 never-rules: all of them live in 0.0.0.0/8 and 224.0.0.0–255.255.255.255,
 * so one comparison pair decides the common case without touching the table.
 */
export function isNeverV4(n: number): boolean {
  return n < 0x01000000 || n >= 0xe0000000;
}

export function specialLabel(list: readonly SpecialRange[], x: bigint): string | null {
  for (const r of list) if (x >= r.interval.start && x <= r.interval.end) return r.label;
  return null;
}
