// Progress on stderr — never stdout, which belongs to --json. On a terminal: one live line,
// redrawn at most 10 times a second. Otherwise (CI logs, files): a plain line every 5 s.
import type { ResultRecord } from '../core/result-schema.js';
import { formatDuration } from '../core/time.js';
import { colorsFor } from '../util/colors.js';
import { addToTally, copyTally, emptyTally, type Tally } from '../run-store/tally.js';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** Endpoints in the whole run, or null when unknown (streamed target files). */
  total: number | null;
  /** Default process.stderr. */
  stream?: ProgressStream;
  /** Default: stream.isTTY. */
  tty?: boolean;
  /** Colour follows the one policy (util/colors.ts: NO_COLOR, FORCE_COLOR, TERM); default process.env. */
  env?: Record<string, string | undefined>;
  /** Counts carried over from earlier sessions of a resumed run. */
  seed?: Tally;
  /** Plain-line period when not a TTY. Default 5 s. */
  intervalMs?: number;
  /** Redraw period on a TTY. Default 100 ms. */
  refreshMs?: number;
  now?: () => number;
}

export interface ProgressReporter {
  onRecord(record: ResultRecord): void;
  onRequest(): void;
  /** The current line, uncoloured. */
  text(): string;
  /** Stop the timers and print the final line. Idempotent. */
  stop(): void;
}

const RATE_WINDOW_MS = 5_000;
const BUCKET_MS = 250;

const fmt = new Intl.NumberFormat('en-US');

/** Requests per second over the last few seconds, in a ring of fixed buckets (constant memory). */
class RateMeter {
  private readonly buckets = new Float64Array(RATE_WINDOW_MS / BUCKET_MS);
  private lastIndex = 0;

  constructor(
    private readonly now: () => number,
    private readonly since: number,
  ) {}

  /** Current bucket index; buckets skipped since the last call are emptied. */
  private advance(): number {
    const n = this.buckets.length;
    const index = Math.floor((this.now() - this.since) / BUCKET_MS);
    const steps = Math.min(index - this.lastIndex, n);
    for (let i = 1; i <= steps; i++) this.buckets[(this.lastIndex + i) % n] = 0;
    if (index > this.lastIndex) this.lastIndex = index;
    return index;
  }

  add(): void {
    const i = this.advance() % this.buckets.length;
    this.buckets[i] = (this.buckets[i] ?? 0) + 1;
  }

  perSecond(): number {
    this.advance();
    const span = Math.min(RATE_WINDOW_MS, Math.max(BUCKET_MS, this.now() - this.since));
    return (this.buckets.reduce((a, b) => a + b, 0) * 1000) / span;
  }
}

export function createProgress(opts: ProgressOptions): ProgressReporter {
  const stream: ProgressStream = opts.stream ?? process.stderr;
  const tty = opts.tty ?? stream.isTTY === true;
  const colors = colorsFor({ isTTY: tty }, opts.env);
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const seed = opts.seed ?? emptyTally();
  const tally = copyTally(seed);
  const requests = new RateMeter(now, started);
  let dirty = true;
  let stopped = false;

  function parts(): { plain: string; coloured: string } {
    const done = tally.records;
    const newDone = done - seed.records;
    const elapsed = now() - started;
    const perSecond = elapsed > 0 ? (newDone * 1000) / elapsed : 0;
    const errors = tally.byStatus.error + tally.byStatus.unreachable;
    const segs: [string, (s: string) => string][] = [];
    if (opts.total !== null && opts.total > 0) {
      const pct = Math.min(100, (done / opts.total) * 100).toFixed(1);
      segs.push([`${fmt.format(done)}/${fmt.format(opts.total)} endpoints (${pct}%)`, colors.bold]);
    } else {
      segs.push([`${fmt.format(done)} endpoints done (${perSecond.toFixed(1)}/s)`, colors.bold]);
    }
    segs.push([`${requests.perSecond().toFixed(1)} req/s`, (s) => s]);
    segs.push([`Exchange ${fmt.format(tally.byStatus.exchange)}`, colors.cyan]);
    segs.push([`vulnerable ${fmt.format(tally.vulnerable)}`, tally.vulnerable > 0 ? colors.red : (s) => s]);
    segs.push([`errors ${fmt.format(errors)}`, errors > 0 ? colors.yellow : (s) => s]);
    if (opts.total !== null && opts.total > 0) {
      const remaining = Math.max(0, opts.total - done);
      const eta = remaining === 0 ? 0 : perSecond > 0 ? (remaining / perSecond) * 1000 : Number.NaN;
      segs.push([`ETA ${formatDuration(eta)}`, colors.dim]);
    }
    const sep = ' · ';
    return {
      plain: segs.map(([s]) => s).join(sep),
      coloured: segs.map(([s, c]) => c(s)).join(colors.dim(sep)),
    };
  }

  function renderLive(): void {
    if (!dirty) return;
    dirty = false;
    const { plain, coloured } = parts();
    const width = stream.columns ?? 0;
    // Too wide for the terminal: a wrapped line could not be redrawn in place, so cut it.
    const line = width > 0 && plain.length >= width ? plain.slice(0, width - 1) : coloured;
    stream.write(`\r\x1b[2K${line}`);
  }

  const timer = setInterval(
    () => {
      if (tty) renderLive();
      else stream.write(`${parts().plain}\n`);
    },
    tty ? (opts.refreshMs ?? 100) : (opts.intervalMs ?? 5_000),
  );
  timer.unref();

  return {
    onRecord(record) {
      addToTally(tally, record);
      dirty = true;
    },
    onRequest() {
      requests.add();
      dirty = true;
    },
    text: () => parts().plain,
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      if (tty) {
        dirty = true;
        renderLive();
        stream.write('\n');
      } else {
        stream.write(`${parts().plain}\n`);
      }
    },
  };
}
