// The standard fleet's profiles grouped by what a scanner has to do for them: how much an Exchange
// server gives away decides how many GETs the plan needs.
import type { Profile } from '../../src/fleet/types.js';

export const HOST_KINDS = [
  'Exchange 2013+, X-OWA-Version header',
  'Exchange 2013+, manifest only',
  'Exchange 2013+, CU only (asset path)',
  'Exchange 2007/2010',
  'Exchange Online',
  'not Exchange (IIS, nginx, Apache)',
  'imitators (one Exchange header)',
  'hostile, Exchange-like (markup, Retry-After)',
  'hostile network (tarpit, reset, garbage, drip, 50 MB)',
  'hostile redirects (loop, out of scope)',
  'replayed captures',
] as const;

export type HostKind = (typeof HOST_KINDS)[number];

export function hostKindOf(p: Profile): HostKind {
  switch (p.kind) {
    case 'exchange':
      if (p.markup !== undefined || p.retryAfterSeconds !== undefined)
        return 'hostile, Exchange-like (markup, Retry-After)';
      if (p.owaVersion !== null) return 'Exchange 2013+, X-OWA-Version header';
      return p.manifest !== null ? 'Exchange 2013+, manifest only' : 'Exchange 2013+, CU only (asset path)';
    case 'exchange-legacy':
      return 'Exchange 2007/2010';
    case 'exchange-online':
      return 'Exchange Online';
    case 'iis-default':
    case 'nginx-default':
    case 'apache-404':
    case 'sentinel':
      return 'not Exchange (IIS, nginx, Apache)';
    case 'imitator':
      return 'imitators (one Exchange header)';
    case 'redirect-loop':
    case 'redirect-out-of-scope':
      return 'hostile redirects (loop, out of scope)';
    case 'tarpit':
    case 'reset':
    case 'garbage':
    case 'slow-drip':
    case 'huge-body':
      return 'hostile network (tarpit, reset, garbage, drip, 50 MB)';
    case 'replay':
      return 'replayed captures';
  }
}
