// Command line of `npm run bench` and the sizes of a full and a quick run.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { utcStamp } from '../../src/core/time.js';

export const SECTIONS = [
  'throughput',
  'command',
  'startup',
  'rate',
  'requests',
  'memory',
  'memory12',
  'render',
  'history',
  'pool',
] as const;
export type Section = (typeof SECTIONS)[number];
/** Sections a plain run leaves out (minutes each): `--all` or `--only` asks for them. */
export const OPT_IN: readonly Section[] = ['memory12'];

export interface BenchSizes {
  /**
   * The probe-phase fleets (scanner against the keep-alive replay): Exchange-like hosts, and the
   * scan-and-replay pairs run on each (the median pair is reported). The smaller fleet gets more:
   * on a 2-core machine one build's 600-host pairs ranged ×1.25–×1.59, wider than the goal's
   * margin, and a pair takes seconds there, not a minute.
   */
  throughput: readonly { hosts: number; repeats: number }[];
  /** Exchange-like hosts for the whole `scan` command. */
  commandHosts: number;
  /** Whole-command-and-replay pairs (the median pair is reported). */
  commandRepeats: number;
  /** Runs of each start-up command (the median is the figure). */
  startupRuns: number;
  /** Endpoints in flight, for the scanner and the reference client alike. */
  concurrency: number;
  rate: { hosts: number; limit: number; hostGapMs: number; concurrency: number };
  /** Whole-request budget for the standard fleet (its tarpit and slow drip use it up). */
  requestsTimeoutMs: number;
  /** Prefix length of the range nothing listens on for the memory figures (17: 32,766 endpoints). */
  memoryPrefix: number;
  /** The same for the opt-in section memory12 (12: 1,048,576 addresses). */
  memoryWidePrefix: number;
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
  throughput: [
    { hosts: 600, repeats: 7 },
    { hosts: 10_000, repeats: 3 },
  ],
  commandHosts: 600,
  commandRepeats: 5,
  startupRuns: 7,
  concurrency: 128,
  rate: { hosts: 1_000, limit: 200, hostGapMs: 500, concurrency: 256 },
  requestsTimeoutMs: 2_000,
  memoryPrefix: 17,
  memoryWidePrefix: 12,
  renderHosts: [100, 1_000, 10_000],
  historyEndpoints: [10_000, 100_000],
  poolTasks: 50_000,
};

const QUICK: BenchSizes = {
  throughput: [
    { hosts: 100, repeats: 1 },
    { hosts: 300, repeats: 1 },
  ],
  commandHosts: 100,
  commandRepeats: 1,
  startupRuns: 2,
  concurrency: 64,
  rate: { hosts: 120, limit: 200, hostGapMs: 250, concurrency: 64 },
  requestsTimeoutMs: 800,
  memoryPrefix: 22,
  memoryWidePrefix: 20,
  renderHosts: [100, 300],
  historyEndpoints: [300],
  poolTasks: 5_000,
};

export const USAGE = `usage: node --expose-gc dist-tools/tools/bench/main.js [--quick] [--all] [--out DIR] [--only ${SECTIONS.join(',')}] [--octet N] [--port N]

  --quick       small counts: a smoke run in about a minute (CI, the test suite)
  --all         every section, with the opt-in ${OPT_IN.join(', ')} (a /12 where nothing listens: ~15 minutes more)
  --out DIR     where bench-results.json (and the scan runs) go; default a new temp directory
  --only LIST   run only these sections
  --octet N     first of five /16s of 127.0.0.0/8 to bind (default 110: 127.110–127.114)
  --port N      https port of the simulated hosts (default 19443; http uses N − 1000)`;

export function parseBenchArgs(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
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
  if (values.all && values.only !== undefined) throw new Error('--all and --only exclude each other');
  const sections =
    values.only !== undefined
      ? values.only.split(',').map((s) => s.trim())
      : SECTIONS.filter((s) => values.all || !OPT_IN.includes(s));
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

/** The four /16s of a bench run with a fleet or a range (memory12 takes the /12 after them, see sections/memory.ts). */
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
    memory: `127.${octet + 3}.0.0`,
  };
}
