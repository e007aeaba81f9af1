// The yardstick for the scanner's overhead: the least a client can do to send the same requests.
// Plain node:https GETs, the same hosts in flight at once as the scanner's concurrency, one new TLS
// connection per host kept alive for that host's requests (as the scanner's one client per
// endpoint), every body read to the end — and nothing else: no rate gate, no scope guard, no
// fingerprinting, no records.
import { Agent, request } from 'node:https';

export interface ReferenceHost {
  ip: string;
  port: number;
  /** Paths to GET, in order (repeats allowed). */
  paths: string[];
}

export interface ReferenceResult {
  requests: number;
  errors: number;
  bytes: number;
  elapsedMs: number;
  firstError: string | null;
}

function get(agent: Agent, host: ReferenceHost, path: string, timeoutMs: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const req = request(
      {
        host: host.ip,
        port: host.port,
        path,
        method: 'GET',
        agent,
        rejectUnauthorized: false,
        headers: { 'user-agent': 'owa-audit-bench-reference' },
      },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve(bytes));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export async function runReferenceClient(
  hosts: readonly ReferenceHost[],
  concurrency: number,
  timeoutMs: number,
): Promise<ReferenceResult> {
  const result: ReferenceResult = { requests: 0, errors: 0, bytes: 0, elapsedMs: 0, firstError: null };
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < hosts.length; i = next++) {
      const host = hosts[i];
      if (host === undefined) continue;
      // A fresh agent per host: a new TLS connection (no session resumption across hosts), kept alive for its paths.
      const agent = new Agent({ keepAlive: true, maxSockets: 1, maxCachedSessions: 0 });
      try {
        for (const path of host.paths) {
          result.requests++;
          try {
            result.bytes += await get(agent, host, path, timeoutMs);
          } catch (e) {
            result.errors++;
            result.firstError ??= `${host.ip}:${host.port}${path}: ${(e as Error).message}`;
          }
        }
      } finally {
        agent.destroy();
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, hosts.length)) }, worker));
  result.elapsedMs = performance.now() - started;
  return result;
}
