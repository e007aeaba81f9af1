// Address parsing for the scope guard. IPv4 is a plain number (0 … 2^32-1) so that the hot path
// of a /8 expansion parses and compares without allocating; IPv6 is a bigint (cold path).
// Parsers are strict on purpose: "010.0.0.1" (octal to some tools) and zone ids are refused
// rather than guessed at, because a guessed address is an unauthorised address.

/** Parses a dotted quad; returns -1 when `s` is not one. No leading zeros, no shorthand. */
export function parseIPv4(s: string): number {
  const len = s.length;
  if (len < 7 || len > 15) return -1;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return -1; // leading zero
      octet = octet * 10 + (c - 48);
      if (octet > 255) return -1;
      digits++;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

export function formatIPv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

function hexGroup(s: string): number {
  if (s.length === 0 || s.length > 4) return -1;
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else if (c >= 65 && c <= 70) d = c - 55;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Appends the 16-bit groups of `part` ("a:b:c" or "a:b:1.2.3.4" when v4 tail is allowed). */
function pushGroups(part: string, out: number[], allowV4Tail: boolean): boolean {
  if (part === '') return true;
  const pieces = part.split(':');
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i] ?? '';
    if (allowV4Tail && i === pieces.length - 1 && p.includes('.')) {
      const v4 = parseIPv4(p);
      if (v4 < 0) return false;
      out.push(v4 >>> 16, v4 & 0xffff);
    } else {
      const g = hexGroup(p);
      if (g < 0) return false;
      out.push(g);
    }
  }
  return true;
}

/** Parses an IPv6 address (with optional embedded IPv4 tail); null when `s` is not one. */
export function parseIPv6(s: string): bigint | null {
  if (s.length < 2 || s.length > 45 || s.includes('%')) return null;
  const dbl = s.indexOf('::');
  const head: number[] = [];
  const tail: number[] = [];
  if (dbl >= 0) {
    if (s.indexOf('::', dbl + 1) >= 0) return null;
    const left = s.slice(0, dbl);
    const right = s.slice(dbl + 2);
    if (left.endsWith(':') || right.startsWith(':')) return null;
    if (!pushGroups(left, head, false) || !pushGroups(right, tail, true)) return null;
    if (head.length + tail.length > 7) return null;
  } else {
    if (!pushGroups(s, head, true) || head.length !== 8) return null;
  }
  const groups = new Array<number>(8).fill(0);
  for (let i = 0; i < head.length; i++) groups[i] = head[i] ?? 0;
  for (let i = 0; i < tail.length; i++) groups[8 - tail.length + i] = tail[i] ?? 0;
  let v = 0n;
  for (let i = 0; i < 8; i += 2) {
    v = (v << 32n) | BigInt(((groups[i] ?? 0) * 65536 + (groups[i + 1] ?? 0)) >>> 0);
  }
  return v;
}

/** RFC 5952 text: lower-case, longest run of zero groups (≥ 2) compressed, first on a tie. */
export function formatIPv6(v: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

export const V6_MAPPED_PREFIX = 0xffffn; // ::ffff:0:0/96, upper 96 bits
export const V6_NAT64_PREFIX = 0x64ff9bn << 64n; // 64:ff9b::/96, upper 96 bits

/** The IPv4 address carried by an IPv4-mapped IPv6 address, else -1. */
export function mappedV4(v: bigint): number {
  return v >> 32n === V6_MAPPED_PREFIX ? Number(v & 0xffffffffn) : -1;
}

/** The IPv4 address a NAT64 gateway (64:ff9b::/96) would forward to, else -1. */
export function nat64V4(v: bigint): number {
  return v >> 32n === V6_NAT64_PREFIX ? Number(v & 0xffffffffn) : -1;
}

export type ParsedAddress = { family: 4; v4: number } | { family: 6; v6: bigint };

/** Parses either family; IPv4-mapped IPv6 comes back as IPv4 (it follows the v4 rules). */
export function parseAddress(s: string): ParsedAddress | null {
  const v4 = parseIPv4(s);
  if (v4 >= 0) return { family: 4, v4 };
  const v6 = parseIPv6(s);
  if (v6 === null) return null;
  const m = mappedV4(v6);
  return m >= 0 ? { family: 4, v4: m } : { family: 6, v6 };
}

/** Canonical text of an address (mapped IPv6 → dotted quad), or null when `s` is not one. */
export function canonicalIp(s: string): string | null {
  if (parseIPv4(s) >= 0) return s; // the strict parser only accepts canonical dotted quads
  const a = parseAddress(s);
  if (a === null) return null;
  return a.family === 4 ? formatIPv4(a.v4) : formatIPv6(a.v6);
}

export function formatAddress(family: 4 | 6, v: bigint): string {
  return family === 4 ? formatIPv4(Number(v)) : formatIPv6(v);
}
