// One target as listed (inline in `targets`, or one line of a plain targets file): an IP literal,
// a CIDR or a hostname, optionally with ":port" ("[v6]:port" for IPv6).
import { parseCidr, parseHostnameEntry, parseIpLiteral, type Parsed } from './entries.js';
import { parsePortNumber } from './ports.js';

export type ParsedTarget =
  | { kind: 'ip'; family: 4 | 6; ip: string; port: number | null }
  | { kind: 'cidr'; family: 4 | 6; network: string; prefix: number; text: string }
  | { kind: 'host'; name: string; port: number | null };

const fail = (error: string): Parsed<ParsedTarget> => ({ ok: false, error });

function withPort(hostPart: string, portText: string | null, original: string): Parsed<ParsedTarget> {
  let port: number | null = null;
  if (portText !== null) {
    port = parsePortNumber(portText);
    if (port === null) return fail(`"${original}": the port must be a number from 1 to 65535`);
  }
  const ip = parseIpLiteral(hostPart);
  if (ip !== null) {
    if (!ip.ok) return ip;
    return { ok: true, value: { kind: 'ip', family: ip.value.family, ip: ip.value.address, port } };
  }
  const host = parseHostnameEntry(hostPart);
  if (!host.ok)
    return portText === null ? host : fail(`"${original}" is not an IP address, CIDR or hostname`);
  return { ok: true, value: { kind: 'host', name: host.value.name, port } };
}

export function parseTarget(raw: string): Parsed<ParsedTarget> {
  const text = raw.trim();
  if (text.length === 0) return fail('is empty');
  if (/\s/.test(text)) return fail(`"${text}" contains whitespace; list one target per entry`);
  if (text.includes('*')) {
    return fail(`"${text}": wildcards match names but cannot be enumerated; list the names to probe`);
  }
  if (text.startsWith('[')) {
    const m = /^\[([^\]]+)\](?::([^:]*))?$/.exec(text);
    if (m?.[1] === undefined || !m[1].includes(':'))
      return fail(`"${text}" is not "[IPv6]" or "[IPv6]:port"`);
    return withPort(m[1], m[2] ?? null, text);
  }
  if (text.includes('/')) {
    const c = parseCidr(text);
    if (!c.ok) return c;
    const { family, network, prefix } = c.value;
    return { ok: true, value: { kind: 'cidr', family, network, prefix, text } };
  }
  const colons = text.split(':').length - 1;
  if (colons === 1) {
    const i = text.indexOf(':');
    return withPort(text.slice(0, i), text.slice(i + 1), text);
  }
  return withPort(text, null, text);
}

/** The target name a record shows: the hostname or the address, without the port. */
export function targetLabel(t: ParsedTarget): string {
  return t.kind === 'host' ? t.name : t.kind === 'ip' ? t.ip : t.text;
}
