// The scan file the demo writes for its fleet: a CERT-style scan with owners, so the demo shows
// every output (main report, per-owner notifications, CSV). Plain YAML text, so the user can read
// it next to the run and start from it.
import { aYearAfter } from '../core/time.js';

export interface DemoScanInput {
  hosts: readonly { ip: string; ports: readonly { port: number }[] }[];
  scope: string;
  sentinel: string;
  dns: { ip: string; port: number };
  ports: { https: number; http: number };
  /** Default: a year from now. */
  validUntil?: string;
}

/** Fictitious owners of parts of the fleet's /24, so per-owner reports have something to hold. */
function owners(scope: string): string {
  const prefix = scope.split('.').slice(0, 3).join('.');
  return `owners:
  - name: Northwind Traders
    contact: it-security@northwind.example
    match: [${prefix}.0/28, "mail.fleet.test"]
  - name: Contoso Hosting
    contact: abuse@contoso.example
    match: [${prefix}.16/28]
  - name: Fabrikam Research
    contact: cert@fabrikam.example
    match: [${prefix}.32/27]
`;
}

export function demoScanFile(input: DemoScanInput): string {
  const targets: string[] = [];
  for (const h of input.hosts) {
    if (h.ip === input.sentinel) continue; // outside the scope on purpose: it proves nothing reaches it
    for (const p of h.ports) targets.push(`  - "${h.ip}:${p.port}"`);
  }
  // Names: one resolving into the scope, one resolving into the scope and to the out-of-scope
  // sentinel (only the in-scope address is probed).
  targets.push('  - mail.fleet.test', '  - mixed.fleet.test');
  return `# Written by \`owa-audit demo\` for the simulated Exchange fleet on loopback.
name: demo
authorisation:
  by: owa-audit demo (simulated fleet on loopback; no real host is scanned)
  reference: DEMO-1
  contact: demo@owa-audit.invalid
  valid_until: ${input.validUntil ?? aYearAfter()}
scope:
  include: [${input.scope}]
  exclude: []
targets:
${targets.join('\n')}
ports: [${input.ports.https}, "http:${input.ports.http}"]
${owners(input.scope)}probe:
  rate: 100
  concurrency: 32
  host_gap_ms: 100
  timeout_ms: 3000
  mode: standard
  resolvers: ["${input.dns.ip}:${input.dns.port}"]
`;
}
