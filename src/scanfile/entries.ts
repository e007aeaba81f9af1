// Parsing of the address/name entries a scan file lists in scope.include, scope.exclude and
// owners[].match. Each parser returns the entry or a one-line reason; the loader adds file, line
// and field.
import type { ScopeEntry } from './types.js';
import { formatIPv4, formatIPv6, mappedV4, parseIPv4, parseIPv6 } from '../core/ip.js';
import { isHostname, normalizeHostname } from '../core/hostname.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

type CidrEntry = Extract<ScopeEntry, { kind: 'cidr' }>;
type IpEntry = Extract<ScopeEntry, { kind: 'ip' }>;

export function parseCidr(text: string): Parsed<CidrEntry> {
  const slash = text.indexOf('/');
  const addr = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) {
    return fail(`"${text}" is not a CIDR: the prefix after "/" must be a number`);
  }
  const prefix = Number(prefixText);
  const v4 = parseIPv4(addr);
  if (v4 >= 0) {
    if (prefix > 32) return fail(`"${text}" is not a CIDR: an IPv4 prefix is 0 to 32`);
    const network = BigInt(v4) & ~((1n << BigInt(32 - prefix)) - 1n);
    if (network !== BigInt(v4)) {
      return fail(`"${text}" has host bits set: the network is ${formatIPv4(Number(network))}/${prefix}`);
    }
    return ok({ kind: 'cidr', text, network: addr, prefix, family: 4 });
  }
  const v6 = parseIPv6(addr);
  if (v6 === null) return fail(`"${text}" is not a CIDR: "${addr}" is not an IPv4 or IPv6 address`);
  if (prefix > 128) return fail(`"${text}" is not a CIDR: an IPv6 prefix is 0 to 128`);
  const mask = (1n << BigInt(128 - prefix)) - 1n;
  if ((v6 & mask) !== 0n) {
    return fail(`"${text}" has host bits set: the network is ${formatIPv6(v6 & ~mask)}/${prefix}`);
  }
  const m = mappedV4(v6);
  if (m >= 0 && prefix >= 96) {
    // IPv4-mapped ranges follow the IPv4 rules, so they are kept as the IPv4 range they denote.
    return ok({ kind: 'cidr', text, network: formatIPv4(m), prefix: prefix - 96, family: 4 });
  }
  return ok({ kind: 'cidr', text, network: formatIPv6(v6), prefix, family: 6 });
}

/** An IP literal (IPv4, or IPv6 without brackets or zone); IPv4-mapped IPv6 becomes IPv4. */
export function parseIpLiteral(text: string): Parsed<IpEntry> | null {
  const v4 = parseIPv4(text);
  if (v4 >= 0) return ok({ kind: 'ip', text, address: text, family: 4 });
  if (!text.includes(':')) return null;
  if (text.includes('%')) return fail(`"${text}": zone ids (%…) are not allowed in a scan file`);
  const v6 = parseIPv6(text);
  if (v6 === null) return fail(`"${text}" is not a valid IPv6 address`);
  const m = mappedV4(v6);
  if (m >= 0) return ok({ kind: 'ip', text, address: formatIPv4(m), family: 4 });
  return ok({ kind: 'ip', text, address: formatIPv6(v6), family: 6 });
}

/**
 * "*.acme.example" → suffix "acme.example". The suffix needs two labels at least: "*.com" would
 * authorise every name under a public TLD and every public address those names resolve to.
 */
function parseWildcard(text: string): Parsed<ScopeEntry> {
  const suffix = normalizeHostname(text.slice(2));
  if (suffix.includes('*')) return fail(`"${text}": a wildcard is only allowed as a leading "*."`);
  if (!isHostname(suffix)) return fail(`"${text}" is not a valid wildcard: "${suffix}" is not a hostname`);
  if (!suffix.includes('.')) {
    return fail(
      `"${text}" is too broad: a wildcard needs a domain of two labels or more (e.g. "*.acme.example")`,
    );
  }
  return ok({ kind: 'wildcard', text, suffix });
}

export function parseHostnameEntry(text: string): Parsed<Extract<ScopeEntry, { kind: 'host' }>> {
  const name = normalizeHostname(text);
  if (/^[0-9.]+$/.test(name)) return fail(`"${text}" is not a valid IPv4 address`);
  if (!isHostname(name)) return fail(`"${text}" is not an IP address, CIDR or hostname`);
  return ok({ kind: 'host', text, name });
}

/** One entry of scope.include / scope.exclude / owners[].match. */
export function parseScopeEntry(text: string): Parsed<ScopeEntry> {
  if (text.length === 0) return fail('is empty');
  if (/\s/.test(text)) return fail(`"${text}" contains whitespace; list one address, CIDR or name per entry`);
  if (text.includes('/')) return parseCidr(text);
  const ip = parseIpLiteral(text);
  if (ip !== null) return ip;
  if (text.startsWith('*.')) return parseWildcard(text);
  if (text.includes('*')) return fail(`"${text}": a wildcard is only allowed as a leading "*."`);
  return parseHostnameEntry(text);
}
