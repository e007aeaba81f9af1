// startFleet: one listening socket per (address, port), all feeding one shared HTTP server.
// TLS is done per connection with one shared SecureContext per certificate, so a host costs a
// listening socket and a few small objects — 10,000 hosts fit in a bench run. Everything closes
// on stop() or by itself when the lifetime ends.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, isIP, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import { MAIN_CERT, EXPIRED_CERT, HOSTILE_CERT } from './assets/certs.js';
import { getProfile, isProfileId } from './catalogue.js';
import { dnsTable, startDnsServer, type DnsServer } from './dns-server.js';
import { fleetNow, RequestLog } from './request-log.js';
import type { HostRuntime, PortRuntime } from './respond/common.js';
import { handleRequest, splitTarget } from './respond/dispatch.js';
import { serveGarbage, serveSlowDrip } from './respond/hostile.js';
import type {
  Fleet,
  FleetCertName,
  FleetHostSpec,
  FleetOptions,
  PortRole,
  Profile,
  RunningHost,
} from './types.js';

const DEFAULT_LIFETIME_MS = 10 * 60 * 1000;
const DEFAULT_LOG_CAPACITY = 100_000;
const TLS_HANDSHAKE_MS = 30_000;
const LISTEN_BATCH = 1000;

const CERTS = { main: MAIN_CERT, expired: EXPIRED_CERT, hostile: HOSTILE_CERT } as const;

function isLoopback(ip: string): boolean {
  const family = isIP(ip);
  return (family === 4 && ip.startsWith('127.')) || (family === 6 && ip === '::1');
}

function resolveProfile(profile: FleetHostSpec['profile']): Profile {
  if (typeof profile !== 'string') return profile;
  if (!isProfileId(profile)) throw new Error(`unknown fleet profile ${JSON.stringify(profile)}`);
  return getProfile(profile);
}

function validate(opts: FleetOptions): void {
  const seen = new Set<string>();
  for (const host of opts.hosts) {
    // Hostile servers must never be reachable from outside the machine.
    if (!isLoopback(host.ip))
      throw new Error(`fleet host ${JSON.stringify(host.ip)} is not a loopback address`);
    if (host.ports.length === 0) throw new Error(`fleet host ${host.ip} has no ports`);
    for (const { port } of host.ports) {
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new Error(`fleet host ${host.ip}: bad port ${String(port)}`);
      const key = `${host.ip}|${String(port)}`;
      if (seen.has(key)) throw new Error(`fleet endpoint ${host.ip}:${String(port)} is listed twice`);
      seen.add(key);
    }
  }
  if (opts.dns !== undefined && !isLoopback(opts.dns.ip))
    throw new Error(`fleet DNS address ${opts.dns.ip} is not loopback`);
}

function roleOf(profile: Profile, scheme: 'http' | 'https', hasHttps: boolean): PortRole {
  const exchange = profile.kind === 'exchange' || profile.kind === 'exchange-legacy';
  return scheme === 'http' && hasHttps && exchange ? 'redirect-https' : 'serve';
}

function runningHost(
  spec: FleetHostSpec,
  profile: Profile,
): { running: RunningHost; httpsPort: number | null } {
  const httpsPort = spec.ports.find((p) => p.scheme === 'https')?.port ?? null;
  const ports = spec.ports.map((p) => {
    const hostPart = spec.ip.includes(':') ? `[${spec.ip}]` : spec.ip;
    return {
      port: p.port,
      scheme: p.scheme,
      role: roleOf(profile, p.scheme, httpsPort !== null),
      origin: `${p.scheme}://${hostPart}:${String(p.port)}`,
      expect: p.scheme === 'http' ? (profile.expectHttp ?? profile.expect) : profile.expect,
    };
  });
  const first = ports[0];
  const running: RunningHost = {
    ip: spec.ip,
    name: spec.name ?? null,
    aliases: spec.aliases ?? [],
    profile,
    ports,
    expect: first?.expect ?? profile.expect,
    expectThorough: profile.expectThorough ?? first?.expect ?? profile.expect,
  };
  return { running, httpsPort };
}

export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  validate(opts);
  const log = new RequestLog(opts.logCapacity ?? DEFAULT_LOG_CAPACITY);
  const contexts = new Map<FleetCertName, SecureContext>();
  const contextFor = (name: FleetCertName): SecureContext => {
    let ctx = contexts.get(name);
    if (ctx === undefined) {
      ctx = createSecureContext({ cert: CERTS[name].cert, key: CERTS[name].key });
      contexts.set(name, ctx);
    }
    return ctx;
  };
  const sockets = new Set<Duplex>();
  const track = (s: Duplex): void => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };
  const portOf = new WeakMap<object, PortRuntime>();

  const http = createHttpServer({ keepAliveTimeout: 5000 }, (req: IncomingMessage, res: ServerResponse) => {
    const pr = portOf.get(req.socket);
    if (pr === undefined) {
      res.destroy();
      return;
    }
    const now = fleetNow();
    const { path, query } = splitTarget(req.url ?? '/');
    log.request(pr.slot, path, now);
    try {
      handleRequest(req, res, pr, path, query, now);
    } catch {
      res.destroy();
    }
  });

  const wrapTls = (raw: Socket, cert: FleetCertName): TLSSocket => {
    const tls = new TLSSocket(raw, { isServer: true, secureContext: contextFor(cert) });
    tls.on('error', () => undefined);
    const timer = setTimeout(() => tls.destroy(), TLS_HANDSHAKE_MS);
    timer.unref();
    tls.once('secure', () => clearTimeout(timer));
    tls.once('close', () => clearTimeout(timer));
    track(tls);
    return tls;
  };

  const onConnection = (raw: Socket, pr: PortRuntime): void => {
    track(raw);
    raw.on('error', () => undefined);
    log.connection(pr.slot);
    const p = pr.host.profile;
    if (p.kind === 'reset') {
      raw.resetAndDestroy();
      return;
    }
    if (p.kind === 'tarpit') {
      raw.resume(); // read and drop whatever arrives; never send a byte, not even a TLS hello
      return;
    }
    const socket: Duplex = pr.scheme === 'https' ? wrapTls(raw, p.tls) : raw;
    const onRaw = (): void => log.request(pr.slot, '*');
    if (p.kind === 'garbage') serveGarbage(socket, pr.host.ip, onRaw);
    else if (p.kind === 'slow-drip')
      serveSlowDrip(socket, p.dripIntervalMs ?? 1000, p.dripMaxBytes ?? 300, onRaw);
    else {
      portOf.set(socket, pr);
      http.emit('connection', socket);
    }
  };

  const hosts: RunningHost[] = [];
  const byIp = new Map<string, RunningHost>();
  const servers: { server: Server; ip: string; port: number }[] = [];
  for (const spec of opts.hosts) {
    const profile = resolveProfile(spec.profile);
    const { running, httpsPort } = runningHost(spec, profile);
    const host: HostRuntime = { ip: spec.ip, running, profile, httpsPort, retryUntil: null };
    hosts.push(running);
    byIp.set(spec.ip, running);
    for (const rp of running.ports) {
      const pr: PortRuntime = {
        host,
        port: rp.port,
        scheme: rp.scheme,
        role: rp.role,
        slot: log.register(spec.ip, rp.port),
      };
      const server = createNetServer({ noDelay: true }, (raw) => onConnection(raw, pr));
      servers.push({ server, ip: spec.ip, port: rp.port });
    }
  }

  let dnsServer: DnsServer | null = null;
  let stopping: Promise<void> | null = null;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      clearTimeout(lifeTimer);
      const closing = servers.map(
        ({ server }) =>
          new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
      );
      for (const s of sockets) s.destroy();
      await Promise.all([...closing, dnsServer?.close()]);
      resolveClosed();
    })();
    return stopping;
  };

  // The lifetime starts now, so even a fleet stuck while starting ends by itself.
  const lifeTimer = setTimeout(() => void stop(), opts.lifetimeMs ?? DEFAULT_LIFETIME_MS);
  lifeTimer.unref();
  try {
    for (let i = 0; i < servers.length; i += LISTEN_BATCH) {
      await Promise.all(
        servers.slice(i, i + LISTEN_BATCH).map(
          ({ server, ip, port }) =>
            new Promise<void>((resolve, reject) => {
              server.once('error', reject);
              server.listen({ host: ip, port, exclusive: true }, () => {
                server.off('error', reject);
                server.on('error', () => undefined);
                resolve();
              });
            }),
        ),
      );
    }
    if (opts.dns !== undefined) {
      const names: [string, string][] = [];
      for (const h of hosts)
        for (const n of [...(h.name === null ? [] : [h.name]), ...h.aliases]) names.push([n, h.ip]);
      for (const [name, addresses] of Object.entries(opts.dns.records ?? {}))
        for (const a of addresses) names.push([name, a]);
      dnsServer = await startDnsServer({ ip: opts.dns.ip, port: opts.dns.port, table: dnsTable(names) });
    }
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    hosts,
    requestLog: log,
    dns: dnsServer === null ? null : { ip: dnsServer.ip, port: dnsServer.port },
    closed,
    host: (ip) => byIp.get(ip),
    stop,
  };
}
