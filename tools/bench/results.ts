// bench-results.json: every figure the bench prints, for CI and for docs/bench.md.
import type { Machine } from './machine.js';
import type { HistoryFigures } from './sections/history.js';
import type { MemoryFigures } from './sections/memory.js';
import type { PoolFigures } from './sections/pool.js';
import type { RateFigures } from './sections/rate.js';
import type { RenderFigures } from './sections/render.js';
import type { RequestsFigures } from './sections/requests.js';
import type { ThroughputFigures } from './sections/throughput.js';

export const BENCH_SCHEMA = 'owa-audit/bench@1' as const;
export const RESULTS_FILE = 'bench-results.json';

export interface BenchResults {
  schema: typeof BENCH_SCHEMA;
  mode: 'full' | 'quick';
  command: string;
  machine: Machine;
  wallSeconds: number;
  /** Wall time of each section that ran. */
  sectionSeconds: Partial<Record<string, number>>;
  throughput: ThroughputFigures[];
  rate: RateFigures | null;
  requests: RequestsFigures | null;
  memory: MemoryFigures[];
  render: RenderFigures[];
  history: HistoryFigures[];
  /** The endpoint pool's cost per task, p-limit against the hand-written pool it replaced. */
  pool: PoolFigures | null;
  /** Anything that makes a figure differ from what was asked (lowered counts, mismatches, skips). */
  notes: string[];
  /** Sections that failed, with the reason; their figures are absent. */
  failures: { section: string; error: string }[];
}
