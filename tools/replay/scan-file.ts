// The scan file the replay writes for its fleet: an ordinary scan file, scanned by the built CLI
// exactly as a user would scan. Targets are the replay hosts' addresses; the scope is their /24,
// so every foreign name a capture redirects to (resolved by the fleet's DNS to an address outside
// it) is refused by the scope guard.
import { stringify } from 'yaml';
import { aYearAfter } from '../../src/core/time.js';

export interface ReplayScanInput {
  scope: string;
  targets: string[];
  httpsPort: number;
  dns: { ip: string; port: number };
  /** YYYY-MM-DD; default: a year from now. */
  validUntil?: string;
}

export function replayScanFile(input: ReplayScanInput): string {
  const doc = {
    name: 'replay',
    authorisation: {
      by: 'owa-audit replay (recorded captures served on loopback; no real host is scanned)',
      reference: 'REPLAY-1',
      contact: 'replay@owa-audit.invalid',
      valid_until: input.validUntil ?? aYearAfter(),
    },
    scope: { include: [input.scope] },
    targets: input.targets,
    ports: [input.httpsPort],
    probe: {
      rate: 200,
      concurrency: 16,
      host_gap_ms: 20,
      timeout_ms: 4000,
      mode: 'standard',
      resolvers: [`${input.dns.ip}:${input.dns.port}`],
    },
  };
  return `# Written by the owa-audit replay (npm run replay).\n${stringify(doc)}`;
}
