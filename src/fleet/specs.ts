// Fleet builders: the standard catalogue fleet (demo, tests) and N Exchange-like hosts (bench).
// Addresses are base + 1, base + 2, … skipping x.x.x.0 and x.x.x.255 so no host looks like a
// network or broadcast address to the scope code.
import { isIPv4 } from 'node:net';
import { EXCHANGE_PROFILE_IDS, PROFILES, type ProfileId } from './catalogue.js';
import type { FleetHostSpec, FleetPortSpec } from './types.js';

const USABLE_PER_24 = 254;

export function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function intToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function loopbackBase(base: string): number {
  if (!isIPv4(base) || !base.startsWith('127.') || !base.endsWith('.0')) {
    throw new Error(
      `fleet base must be an IPv4 address in 127.0.0.0/8 ending in .0, got ${JSON.stringify(base)}`,
    );
  }
  return ipv4ToInt(base);
}

/** The index-th host address after `base` (index 0 → base + 1). */
export function hostAddress(base: string, index: number): string {
  const start = loopbackBase(base);
  const n = start + Math.floor(index / USABLE_PER_24) * 256 + (index % USABLE_PER_24) + 1;
  if (n >= ipv4ToInt('128.0.0.0'))
    throw new Error(`fleet of ${index + 1} hosts from ${base} runs past 127.255.255.255`);
  return intToIpv4(n);
}

/** Where the standard fleet puts things: scan `scope`; the out-of-scope `sentinel` listens outside it. */
export function standardFleetLayout(base: string): { scope: string; sentinel: string } {
  const start = loopbackBase(base);
  if (((start >>> 8) & 255) >= 250)
    throw new Error(`standard fleet base needs a third octet below 250, got ${base}`);
  return { scope: `${base}/24`, sentinel: intToIpv4((start & 0xffff0000) + 250 * 256 + 1) };
}

type PortPlan = 'https' | 'http' | 'both';

/** The standard fleet, in order. `both`: https plus an http port (redirecting for Exchange hosts). */
const STANDARD: { id: ProfileId; ports?: PortPlan; name?: string; aliases?: string[] }[] = [
  { id: 'ex2016-cu23-aug26su', ports: 'both', name: 'mail.fleet.test', aliases: ['mixed.fleet.test'] },
  { id: 'ex2007-sp3' },
  { id: 'ex2010-sp3-ru32' },
  { id: 'ex2010-sp3-ru30' },
  { id: 'ex2013-cu23-dec20su' },
  { id: 'ex2013-cu23-mar23su', name: 'legacy.fleet.test' },
  { id: 'ex2016-cu9-mar21su' },
  { id: 'ex2016-cu9-disputed' },
  { id: 'ex2016-cu20-component' },
  { id: 'ex2016-cu22-nov21su' },
  { id: 'ex2016-cu23-jan23su' },
  { id: 'ex2016-cu23-jan23su-header' },
  { id: 'ex2019-cu9' },
  { id: 'ex2019-cu11-nov21su' },
  { id: 'ex2019-cu13' },
  { id: 'ex2019-cu14-apr24hu' },
  { id: 'ex2019-cu15-aug25su', ports: 'http' },
  { id: 'ex2019-cu15-unpublished' },
  { id: 'exse-rtm' },
  { id: 'exse-aug26su', ports: 'both' },
  { id: 'exse-aug26su-bare' },
  { id: 'exchange-online' },
  { id: 'iis-default', ports: 'both' },
  { id: 'nginx-default', ports: 'http' },
  { id: 'apache-404' },
  { id: 'imitator-owa-version' },
  { id: 'imitator-feserver' },
  { id: 'hostile-markup' },
  { id: 'retry-after' },
  { id: 'tarpit' },
  { id: 'reset' },
  { id: 'garbage' },
  { id: 'slow-drip' },
  { id: 'huge-body' },
  { id: 'redirect-loop' },
  { id: 'redirect-out-of-scope' },
];

function portsFor(plan: PortPlan, httpsPort: number, httpPort: number): FleetPortSpec[] {
  if (plan === 'http') return [{ port: httpPort, scheme: 'http' }];
  if (plan === 'both')
    return [
      { port: httpsPort, scheme: 'https' },
      { port: httpPort, scheme: 'http' },
    ];
  return [{ port: httpsPort, scheme: 'https' }];
}

/**
 * The catalogue fleet for `demo` and tests: one host per profile on base + 1 … (all inside
 * `standardFleetLayout(base).scope`), plus the sentinel outside that /24, which the
 * redirect-out-of-scope host points at and `outside.fleet.test` resolves to; `mixed.fleet.test`
 * resolves to mail.fleet.test's address and the sentinel.
 */
export function standardFleet(opts: { base: string; httpsPort: number; httpPort: number }): FleetHostSpec[] {
  const { sentinel } = standardFleetLayout(opts.base);
  const sentinelUrl =
    opts.httpsPort === 443 ? `https://${sentinel}/owa/` : `https://${sentinel}:${opts.httpsPort}/owa/`;
  const hosts = STANDARD.map((entry, i): FleetHostSpec => {
    const profile =
      entry.id === 'redirect-out-of-scope'
        ? { ...PROFILES['redirect-out-of-scope'], target: sentinelUrl }
        : entry.id;
    return {
      ip: hostAddress(opts.base, i),
      name: entry.name ?? `${entry.id}.fleet.test`,
      ...(entry.aliases === undefined ? {} : { aliases: entry.aliases }),
      profile,
      ports: portsFor(entry.ports ?? 'https', opts.httpsPort, opts.httpPort),
    };
  });
  hosts.push({
    ip: sentinel,
    name: 'outside.fleet.test',
    aliases: ['mixed.fleet.test'],
    profile: 'sentinel',
    ports: [{ port: opts.httpsPort, scheme: 'https' }],
  });
  return hosts;
}

/** `count` Exchange-like hosts on https, cycling through the normal on-premises Exchange profiles. */
export function scaledFleet(opts: {
  base: string;
  count: number;
  httpsPort: number;
  profiles?: ProfileId[];
}): FleetHostSpec[] {
  const profiles = opts.profiles ?? EXCHANGE_PROFILE_IDS;
  if (!Number.isInteger(opts.count) || opts.count < 1)
    throw new Error(`scaledFleet count must be a positive integer, got ${String(opts.count)}`);
  if (profiles.length === 0) throw new Error('scaledFleet needs at least one profile');
  hostAddress(opts.base, opts.count - 1); // range check once
  const hosts: FleetHostSpec[] = [];
  for (let i = 0; i < opts.count; i++) {
    hosts.push({
      ip: hostAddress(opts.base, i),
      name: `h${i + 1}.scale.fleet.test`,
      profile: profiles[i % profiles.length] ?? 'ex2016-cu23-aug26su',
      ports: [{ port: opts.httpsPort, scheme: 'https' }],
    });
  }
  return hosts;
}
