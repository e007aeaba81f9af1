// What the bench asks of its fleet process, and the parent-side handle that asks it.
import { startChild, type BenchChild } from './children.js';
import type { ReferenceHost } from './reference-client.js';

export type FleetSpec =
  | { kind: 'scaled'; base: string; count: number; httpsPort: number; logCapacity: number }
  | { kind: 'standard'; base: string; httpsPort: number; httpPort: number; logCapacity: number };

export interface EndpointPaths {
  ip: string;
  port: number;
  requests: number;
  connections: number;
  /** [path, requests] as the fleet counted them. */
  paths: [string, number][];
}

export interface FleetStats {
  requests: number;
  connections: number;
  /** Timestamps the log's ring overwrote (figures over the ring then cover its tail only). */
  dropped: number;
  /** Most requests the fleet saw in any 1,000 ms sliding window (server-side arrival times). */
  maxIn1s: number;
  /** First and last request arrival, epoch ms. */
  firstMs: number | null;
  lastMs: number | null;
  /** Arrival of the request at 10 % and 90 % of the retained ones (the steady part of a run). */
  p10Ms: number | null;
  p90Ms: number | null;
  /** Consecutive requests to one address: the smallest gap, and how many were below the asked gap. */
  gaps: { min: number | null; below: number; pairs: number };
  maxRequestsPerEndpoint: number;
  /** The fleet process's CPU so far (user + system, ms): the difference of two answers is what serving took between them. */
  cpuMs: number;
  /** Per endpoint, only when asked for. */
  endpoints: EndpointPaths[];
}

export interface FleetProcess {
  /** Soft limit of open files in the fleet process (after the bench raised it), null when unknown. */
  fdLimit: number | null;
  start(spec: FleetSpec): Promise<{ hosts: number; startMs: number; rssBytes: number }>;
  stats(opts?: { gapMs?: number; endpoints?: boolean }): Promise<FleetStats>;
  /** The requests received since the last reset, per endpoint in arrival order (the replay's list). */
  replay(): Promise<ReferenceHost[]>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const ANSWER_MS = 120_000;

export async function startFleetProcess(lifetimeMs: number): Promise<FleetProcess> {
  const child: BenchChild = startChild('./fleet-child.js', { lifetimeMs });
  const hello = (await child.hello) as { fdLimit: number | null };
  return {
    fdLimit: hello.fdLimit,
    start: (spec) => child.request({ op: 'start', spec, lifetimeMs }, ANSWER_MS),
    stats: (opts = {}) =>
      child.request({ op: 'stats', gapMs: opts.gapMs ?? 0, endpoints: opts.endpoints === true }, ANSWER_MS),
    replay: () => child.request({ op: 'replay' }, ANSWER_MS),
    reset: () => child.request({ op: 'reset' }, ANSWER_MS),
    async stop() {
      await child.request({ op: 'stop' }, ANSWER_MS).catch(() => child.kill());
      await child.exited;
    },
  };
}
