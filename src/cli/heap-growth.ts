// The commands that stream a scan or a run directory (scan, demo, merge, reclassify, report,
// history import) make a great deal of short-lived garbage per endpoint and keep little: ~20–26 MB
// live after a full collection. V8's default lets the old generation grow to about four times the
// live heap before it compacts, so a /17 peaked at 257–306 MB of RSS; a growth factor of 1.2 held
// it at ~130–150 MB with no loss of throughput (issue 17). Set once, process-wide, when such a
// command starts — before the knowledge base loads, whose first full collection sets the limit the
// heap grows from — never in a library function, whose caller owns the process's flags.
import { setFlagsFromString } from 'node:v8';

/** The V8 flag; Node 20's V8 knows it (`node --v8-options | grep heap-growing`). */
export const HEAP_GROWTH_FLAG = '--heap-growing-percent=20';

export function boundHeapGrowth(): void {
  setFlagsFromString(HEAP_GROWTH_FLAG);
}
