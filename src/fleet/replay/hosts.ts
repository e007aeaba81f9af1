// Transcripts → replay fleet hosts: one loopback address per transcript (https), and DNS records
// that send every other host a capture redirects to (AD FS, login.microsoftonline.com, …) to the
// out-of-scope sentinel — so the scanner's scope guard refuses those hops exactly as it would on
// the internet, where they resolve outside the authorised scope.
import { isIP } from 'node:net';
import { hostAddress, standardFleetLayout } from '../specs.js';
import type { FleetHostSpec, ReplayProfile } from '../types.js';
import type { Transcript } from './transcript.js';

export interface ReplayFleetSpec {
  hosts: FleetHostSpec[];
  /** The range to authorise (base/24); the sentinel is outside it. */
  scope: string;
  /** Out-of-scope listener every foreign name resolves to; a correct scan never connects to it. */
  sentinel: string;
  /** name → [sentinel] for the fleet's DNS server. */
  dnsRecords: Record<string, string[]>;
}

export function replayProfile(t: Transcript): ReplayProfile {
  return { id: t.name, kind: 'replay', tls: 'main', expect: t.expect, transcript: t };
}

/** Host names of absolute Location targets that are not the capture's own (`self`). */
export function foreignHosts(t: Transcript): string[] {
  const found = new Set<string>();
  for (const e of t.exchanges) {
    for (const [name, value] of e.headers) {
      if (name.toLowerCase() !== 'location') continue;
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        continue; // relative: stays on the replay host
      }
      const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
      if (host !== '' && isIP(host) === 0 && !t.self.includes(host)) found.add(host);
    }
  }
  return [...found].sort();
}

export function replayFleet(
  transcripts: readonly Transcript[],
  opts: { base: string; httpsPort: number },
): ReplayFleetSpec {
  const { scope, sentinel } = standardFleetLayout(opts.base);
  if (transcripts.length > 240)
    throw new Error(`a replay fleet holds at most 240 transcripts (got ${transcripts.length})`);
  const hosts: FleetHostSpec[] = transcripts.map((t, i) => ({
    ip: hostAddress(opts.base, i),
    profile: replayProfile(t),
    ports: [{ port: opts.httpsPort, scheme: 'https' }],
  }));
  const dnsRecords: Record<string, string[]> = {};
  for (const t of transcripts) for (const h of foreignHosts(t)) dnsRecords[h] = [sentinel];
  hosts.push({
    ip: sentinel,
    name: 'outside.replay.test',
    profile: 'sentinel',
    ports: [{ port: opts.httpsPort, scheme: 'https' }],
  });
  return { hosts, scope, sentinel, dnsRecords };
}
