// bench-results.json: every figure the bench prints, for CI, docs/bench.md and README's Performance
// table (`npm run bench:readme -- FILE` prints it from this file). @2: the probe phase and the whole
// command against the keep-alive replay, start-up, rate at the sender, memory over ranges where
// nothing listens (and the opt-in /12).
import type { Machine } from './machine.js';
import type { CommandFigures } from './sections/command.js';
import type { HistoryFigures } from './sections/history.js';
import type { MemoryFigures } from './sections/memory.js';
import type { PoolFigures } from './sections/pool.js';
import type { RateFigures } from './sections/rate.js';
import type { RenderFigures } from './sections/render.js';
import type { RequestsFigures } from './sections/requests.js';
import type { StartupFigures } from './sections/startup.js';
import type { ThroughputFigures } from './sections/throughput.js';

export const BENCH_SCHEMA = 'owa-audit/bench@2' as const;
export const RESULTS_FILE = 'bench-results.json';

export interface BenchResults {
  schema: typeof BENCH_SCHEMA;
  mode: 'full' | 'quick';
  command: string;
  machine: Machine;
  wallSeconds: number;
  /** Wall time of each section that ran. */
  sectionSeconds: Partial<Record<string, number>>;
  /** The probe phase against the keep-alive replay of the same requests, per fleet size. */
  throughput: ThroughputFigures[];
  wholeCommand: CommandFigures | null;
  startup: StartupFigures | null;
  rate: RateFigures | null;
  requests: RequestsFigures | null;
  memory: MemoryFigures[];
  /** The opt-in /12 (section memory12). */
  memory12: MemoryFigures[];
  render: RenderFigures[];
  history: HistoryFigures[];
  /** The endpoint pool's cost per task, p-limit against the hand-written pool it replaced. */
  pool: PoolFigures | null;
  /** Anything that makes a figure differ from what was asked (lowered counts, mismatches, skips). */
  notes: string[];
  /** Sections that failed, with the reason; their figures are absent. */
  failures: { section: string; error: string }[];
}
