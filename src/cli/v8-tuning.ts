// V8 flags of the long-running commands, set once, process-wide, when such a command starts — never
// in a library function, whose caller owns the process's flags.
//
// Heap growth. The commands that stream a scan or a run directory (scan, demo, merge, reclassify, report,
// history import) make a great deal of short-lived garbage per endpoint and keep little: ~19–26 MB
// live after a full collection. V8's default lets the old generation grow to about four times the
// live heap before it compacts, so a /17 peaked at 180–306 MB of RSS. A growth factor bounds that,
// and costs full collections: each marks concurrently on V8's helper threads, which take CPU from
// everything else on a small machine. Measured on `npm run bench`'s fleets (10,000 Exchange-like
// hosts, with --trace-gc and per-thread CPU from /proc; a /17 with nothing listening):
//
//   factor        full collections   CPU beside the main thread   /17 peak RSS
//   1.2           ~110               ~6.1 s                       129–130 MB
//   1.5           ~70                ~5.3 s                       130–134 MB
//   1.75          ~54                ~4.9 s                       135–136 MB
//   2.0           42                 ~4.3 s                       142–143 MB
//   3.0           ~20                ~3.6 s                       ~160 MB
//   V8 default    15                 ~3.6 s                       180–183 MB
//
// 1.75 halves the full collections of 1.2 and keeps the /17 well inside issue 17's 150 MB. Set
// before the knowledge base loads, whose first full collection sets the limit the heap grows from.
//
// `scan` bounds the growth only when it may probe more than HEAP_BOUND_ABOVE endpoints (known
// after its pre-flight, before the knowledge base loads: scan/scan-size.ts). A smaller scan never
// reaches the memory the bound is for, and pays for it in CPU: on the bench's 600-host fleet,
// scan alone, six interleaved pairs, the bound's extra full collections cost 0.2 s of CPU and
// 0.19 s of the 2.8 s probe phase (4.27 → 4.07 s of CPU, peak RSS 158–176 → 175–180 MB without it).
//
// No inlining in the optimising compiler, for `scan` only. A scan of a few hundred hosts is over
// before its code is warm: with V8's defaults, `--trace-opt` on a 600-host bench scan showed ~1.8 s
// of TurboFan compile jobs (single functions up to 110 ms, inlined callees included), taken from
// the same two cores the probes need; `--single-threaded` moved that CPU onto the main thread
// rather than removing it. Without inlining the jobs are small. Measured with `npm run bench --
// --only throughput` (scanner ÷ keep-alive replay, probe phase; medians of five pairs, runs
// interleaved on one machine): 600 hosts ×1.40–1.56 → ×1.31–1.38, CPU ×1.83–2.25 → ×1.64–1.90;
// 10,000 hosts (one run each) 27.5 → 25.2 s of probing, 31.4 → 28.2 s of CPU. A smaller inlining budget
// (cumulative 200 or 460), a larger interrupt budget, a cap on optimised function size, Maglev and
// Sparkplug-first did no better within the noise.
import { setFlagsFromString } from 'node:v8';

/** The V8 flag; Node 20's V8 knows it (`node --v8-options | grep heap-growing`). */
export const HEAP_GROWTH_FLAG = '--heap-growing-percent=75';

export function boundHeapGrowth(): void {
  setFlagsFromString(HEAP_GROWTH_FLAG);
}

/** A /20 at one port. The /17 of issue 17's memory goal (32,768 endpoints) is far above it. */
export const HEAP_BOUND_ABOVE = 4096;

/** Whether a scan of at most this many endpoints (null: not known) bounds the heap's growth. */
export function boundsHeapFor(endpointsAtMost: number | null): boolean {
  return endpointsAtMost === null || endpointsAtMost > HEAP_BOUND_ABOVE;
}

/** For `scan`, once its size is known (RunScanOptions.onScanSize). */
export function boundHeapGrowthFor(endpointsAtMost: number | null): void {
  if (boundsHeapFor(endpointsAtMost)) boundHeapGrowth();
}

/** The V8 flag; Node 20's V8 knows it (`node --v8-options | grep turbo-inlining`). */
export const NO_INLINING_FLAG = '--no-turbo-inlining';

/** For `scan`: cheaper optimised code, for probe phases shorter than V8's warm-up. */
export function cheapenOptimisation(): void {
  setFlagsFromString(NO_INLINING_FLAG);
}
