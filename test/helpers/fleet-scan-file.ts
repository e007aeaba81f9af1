// The scan file the fleet tests scan the standard fleet with: the demo's, for the fleet at `base`,
// faster (rate 400, host gap 20 ms), valid until the end of the CLI's pinned month (OWA_AUDIT_NOW,
// vitest.config.ts), in the given probe mode.
import { demoScanFile } from '../../src/demo/scan-file.js';
import { standardFleetLayout, type Fleet } from '../../src/fleet/index.js';

export function fleetScanFile(
  fleet: Fleet,
  base: string,
  net: { dns: { ip: string; port: number }; ports: { https: number; http: number } },
  mode: 'standard' | 'thorough' = 'standard',
): string {
  const layout = standardFleetLayout(base);
  return demoScanFile({
    hosts: fleet.hosts,
    scope: layout.scope,
    sentinel: layout.sentinel,
    dns: net.dns,
    ports: net.ports,
    validUntil: '2026-12-31',
  })
    .replace('mode: standard', `mode: ${mode}`)
    .replace('rate: 100', 'rate: 400')
    .replace('host_gap_ms: 100', 'host_gap_ms: 20');
}
