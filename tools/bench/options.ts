// Command line of `npm run bench` and the sizes of a full and a quick run.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { utcStamp } from '../../src/core/time.js';

export const SECTIONS = ['throughput', 'rate', 'requests', 'memory', 'render', 'history', 'pool'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchSizes {
  /** Exchange-like hosts for the throughput figures. */
  throughputHosts: number[];
  /** Endpoints in flight, for the scanner and the reference client alike. */
  concurrency: number;
  rate: { hosts: number; limit: number; hostGapMs: number; concurrency: number };
  /** Whole-request budget for the standard fleet (its tarpit and slow drip use it up). */
  requestsTimeoutMs: number;
  /** Targets for the memory figures, and how many of them are live hosts. */
  memoryTargets: number[];
  memoryLiveHosts: number;
  renderHosts: number[];
  /** Endpoints per run for the history figures (recorded as four weekly runs). */
  historyEndpoints: number[];
  /** Tasks per round of the endpoint pool figures. */
  poolTasks: number;
}

export interface BenchOptions {
  quick: boolean;
  out: string;
  /** Second octet of the first of the five /16s the bench binds (127.N.0.0/16 … 127.N+4.0.0/16). */
  octet: number;
  /** Port of every https endpoint (http: port − 1000 … see layout). */
  httpsPort: number;
  sections: Section[];
  sizes: BenchSizes;
}

const FULL: BenchSizes = {
  throughputHosts: [1_000, 10_000],
  concurrency: 128,
  rate: { hosts: 1_000, limit: 200, hostGapMs: 500, concurrency: 256 },
  requestsTimeoutMs: 2_000,
  memoryTargets: [10_000, 100_000],
  memoryLiveHosts: 300,
  renderHosts: [1_000, 10_000],
  historyEndpoints: [10_000, 100_000],
  poolTasks: 50_000,
};

const QUICK: BenchSizes = {
  throughputHosts: [100, 300],
  concurrency: 64,
  rate: { hosts: 120, limit: 200, hostGapMs: 250, concurrency: 64 },
  requestsTimeoutMs: 800,
  memoryTargets: [1_000, 3_000],
  memoryLiveHosts: 30,
  renderHosts: [100, 300],
  historyEndpoints: [300],
  poolTasks: 5_000,
};

export const USAGE = `usage: node --expose-gc dist-tools/tools/bench/main.js [--quick] [--out DIR] [--only ${SECTIONS.join(',')}] [--octet N] [--port N]

  --quick       small counts: a smoke run in well under a minute (CI, the test suite)
  --out DIR     where bench-results.json (and the scan runs) go; default a new temp directory
  --only LIST   run only these sections
  --octet N     first of five /16s of 127.0.0.0/8 to bind (default 110: 127.110–127.114)
  --port N      https port of the simulated hosts (default 19443; http uses N − 1000)`;

export function parseBenchArgs(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      out: { type: 'string' },
      only: { type: 'string' },
      octet: { type: 'string', default: '110' },
      port: { type: 'string', default: '19443' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const octet = Number(values.octet);
  // 127.100.0.0/24 is the demo's; the bench's addresses live in 127.110–127.114 by default, and
  // anywhere else in 127.1–127.254 when asked (the fault suite runs --quick on 127.43–127.47).
  if (!Number.isInteger(octet) || octet < 1 || octet > 250)
    throw new Error(`--octet must be a whole number from 1 to 250, got ${values.octet}`);
  if (octet <= 100 && octet + 4 >= 100)
    throw new Error(
      `--octet ${octet} would bind 127.100.0.0/16, where the demo's fleet lives; choose another`,
    );
  const httpsPort = Number(values.port);
  if (!Number.isInteger(httpsPort) || httpsPort < 2024 || httpsPort > 65535)
    throw new Error(`--port must be from 2024 to 65535, got ${values.port}`);
  const sections = values.only === undefined ? [...SECTIONS] : values.only.split(',').map((s) => s.trim());
  for (const s of sections)
    if (!(SECTIONS as readonly string[]).includes(s))
      throw new Error(`--only: unknown section "${s}" (${SECTIONS.join(', ')})`);
  return {
    quick: values.quick,
    out: values.out ?? join(tmpdir(), `owa-audit-bench-${utcStamp()}`),
    octet,
    httpsPort,
    sections: sections as Section[],
    sizes: values.quick ? QUICK : FULL,
  };
}

/** The five /16s of a bench run, one per section (the memory section takes two). */
export function layout(octet: number): {
  throughput: string;
  rate: string;
  requests: string;
  memory: string;
} {
  return {
    throughput: `127.${octet}.0.0`,
    rate: `127.${octet + 1}.0.0`,
    requests: `127.${octet + 2}.0.0`,
    memory: `127.${octet + 3}.0.0`, // and 127.(octet + 4) for 100,000 targets
  };
}
