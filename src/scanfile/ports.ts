// Port specs of `ports:` and the scheme rule for ports that come from a target itself
// (inline "host:8443" or a port a masscan/ZMap file discovered).
import type { Scheme } from '../core/result-schema.js';
import type { PortSpec } from './types.js';
import type { Parsed } from './entries.js';
import { show } from './show.js';

export function parsePortNumber(text: string): number | null {
  if (!/^[1-9][0-9]{0,4}$/.test(text)) return null;
  const n = Number(text);
  return n <= 65535 ? n : null;
}

/** `ports:` entries: 443 → https, 80 → http, other numbers https, or explicit "http:8080" / "https:8443". */
export function parsePortSpec(value: unknown): Parsed<PortSpec> {
  const bad = (): Parsed<PortSpec> => ({
    ok: false,
    error: `${show(value)} is not a port: write a number from 1 to 65535, or "http:8080" / "https:8443"`,
  });
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1 || value > 65535) return bad();
    return { ok: true, value: { port: value, scheme: value === 80 ? 'http' : 'https' } };
  }
  if (typeof value !== 'string') return bad();
  const m = /^(?:(https?):)?([0-9]+)$/.exec(value.trim().toLowerCase());
  const port = m?.[2] === undefined ? null : parsePortNumber(m[2]);
  if (m === null || port === null) return bad();
  const scheme: Scheme =
    m[1] === 'http' ? 'http' : m[1] === 'https' ? 'https' : port === 80 ? 'http' : 'https';
  return { ok: true, value: { port, scheme } };
}

/**
 * Scheme for a port that a target brings with it (inline "host:port", a masscan/ZMap discovery):
 * the scan's own `ports` entry for that port when there is one (so "http:8081" in `ports` also
 * governs a discovered 8081); otherwise 80 and 8080 are http and everything else (443, 8443, …)
 * is https, since Exchange front ends listen on TLS.
 */
export function schemeForPort(port: number, ports: readonly PortSpec[]): Scheme {
  for (const p of ports) if (p.port === port) return p.scheme;
  return port === 80 || port === 8080 ? 'http' : 'https';
}
