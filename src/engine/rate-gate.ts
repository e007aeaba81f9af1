// The rate gate: every request waits here for its turn. Two limits, kept apart on purpose:
//
//  - per IP: a minimum gap between two requests to one address, plus any Retry-After back-off.
//    Each IP has its own FIFO; a request waits out its host's gap *before* it asks for a global
//    slot, so a slow host never holds a global slot (measured on these machines: holding one ran 60%
//    slower).
//  - global: at most `rate` requests in any sliding window (sliding-window.ts), not fixed buckets,
//    so no burst crosses a bucket edge.
//
// Both are measured where the targets see them: a turn returns a ticket, and the session calls
// `ticket.onWire()` when the request's connection comes up and again when undici writes the
// request (wire-events.ts): a request leaves one handshake — and, on a busy machine, some
// scheduling delay — after its grant. The per-IP gap and the global window count from then.
//
// The window is 1 s plus a margin (default 25 ms) for what lies between our write and the far
// end's clock. What is exact is the sender side: never more than `rate` requests written in any
// 1 s, never two to one IP closer than the gap (counted at undici's write, above). The far end
// sees the same as long as its arrival times jitter by less than the margin relative to each other;
// a far end that stalls longer (measured on the loaded 2-core test machine: up to 250 ms, where
// even the former 100 ms margin let 202 of 200 into one of its seconds) sees the requests it
// queued meanwhile closer together, and no margin short of its longest stall covers that. The cost
// of the margin: a saturated scan runs at most at rate / 1.025 (97.6 % of the nominal rate; the
// former 100 ms capped it at 91 %, below the 95 % the project promises). Measured with the gate
// alone (600 hosts × 3 requests, limit 200, a 0–50 ms handshake held in each first slot): 96.7–99.4 %
// of the limit at 25 ms, 90.2–92.0 % at 100 ms, never over 200 in any 1 s at the sender.
// Grants are also paced at least half the average interval apart, so a full window's worth
// spreads over at least half a second instead of leaving in one burst. The per-IP gap gets a
// small margin for the same reason (4%, 5–50 ms): without it the far end saw 245 ms between two
// requests under a 250 ms gap on a loaded machine.
import { linkedController, sleep, throwIfAborted, untilAborted } from './signals.js';
import { SlidingWindow, type WindowSlot } from './sliding-window.js';

export interface GateTicket {
  /** The request has just reached the wire: its host gap and its global slot count from now. */
  onWire(): void;
}

export interface RateGate {
  /** Resolves when a request to `ip` may be sent; rejects with the abort reason if aborted. */
  turn(ip: string, signal?: AbortSignal): Promise<GateTicket>;
  /**
   * The turn at once when nothing stands in its way (no one queued for `ip`, its gap and back-off
   * passed, a global slot free and nobody queued for one); else null, and the caller waits with
   * `turn`. Costs no promise and no timer: the common case of a rate that is not binding.
   */
  tryTurn(ip: string): GateTicket | null;
  /** Retry-After from `ip`: no request to it before `ms` from now (bounded by maxBackOffMs). */
  backOff(ip: string, ms: number): void;
  /** Turns granted so far. */
  readonly granted: number;
  /** IPs with live per-host state (idle ones are dropped). */
  readonly trackedHosts: number;
}

export interface RateGateOptions {
  /** Requests per second over all hosts (> 0). Fractional rates above 1 round down. */
  rate: number;
  /** Minimum gap between two requests to one IP (>= 0). */
  hostGapMs: number;
  /** Scan-wide abort: rejects every waiting turn. Not needed when every turn's own signal follows
   *  the scan's (the engine's endpoint deadlines do): a turn with both pays for a linked controller. */
  signal?: AbortSignal;
  /** Added to the 1 s window for jitter between us and the far end (see above). Default 25. */
  windowMarginMs?: number;
  /** Upper bound of one Retry-After back-off. Default 60 s: a host asking for longer is not
   *  worth a scan slot for minutes; its endpoint carries on after a minute. */
  maxBackOffMs?: number;
  /** Clock, for tests. Default performance.now(). */
  now?: () => number;
}

export const DEFAULT_MAX_BACK_OFF_MS = 60_000;
export const DEFAULT_WINDOW_MARGIN_MS = 25;
const SWEEP_EVERY_MS = 1_000;

interface HostState {
  /** Earliest time of the next grant from the gap. */
  readyAt: number;
  /** Earliest time of the next grant from Retry-After. */
  backOffUntil: number;
  /** Settles when the last queued turn for this host is done (FIFO per host). */
  tail: Promise<void>;
  waiters: number;
}

/** Window size for the global limit: ≤ rate grants in any 1 s window (rate < 1: one per 1/rate s). */
export function globalWindow(rate: number, marginMs: number): { cap: number; windowMs: number } {
  if (!Number.isFinite(rate) || rate <= 0)
    throw new RangeError(`rate must be a positive number, got ${rate}`);
  if (rate >= 1) return { cap: Math.floor(rate), windowMs: 1000 + marginMs };
  return { cap: 1, windowMs: 1000 / rate + marginMs };
}

/** The gap the gate keeps so that the far end sees at least `hostGapMs` despite jitter. */
export function gapWithMargin(hostGapMs: number): number {
  return hostGapMs === 0 ? 0 : hostGapMs + Math.min(50, Math.max(5, hostGapMs * 0.04));
}

export function createRateGate(opts: RateGateOptions): RateGate {
  const now = opts.now ?? (() => performance.now());
  if (!Number.isFinite(opts.hostGapMs) || opts.hostGapMs < 0) {
    throw new RangeError(`hostGapMs must be >= 0, got ${opts.hostGapMs}`);
  }
  const gap = gapWithMargin(opts.hostGapMs);
  const maxBackOff = opts.maxBackOffMs ?? DEFAULT_MAX_BACK_OFF_MS;
  const { cap, windowMs } = globalWindow(opts.rate, opts.windowMarginMs ?? DEFAULT_WINDOW_MARGIN_MS);
  const global = new SlidingWindow(cap, windowMs, windowMs / cap / 2, now);
  const hosts = new Map<string, HostState>();
  let granted = 0;
  let lastSweep = now();

  function stateOf(ip: string): HostState {
    let st = hosts.get(ip);
    if (st === undefined) {
      st = { readyAt: 0, backOffUntil: 0, tail: Promise.resolve(), waiters: 0 };
      hosts.set(ip, st);
    }
    return st;
  }

  // Amortised: at most one pass per second, so the map holds only hosts seen within the
  // longest of (gap, back-off, 1 s) — bounded by rate × that time, not by the scan's size.
  function sweep(t = now()): void {
    if (t - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = t;
    for (const [ip, st] of hosts) {
      if (st.waiters === 0 && st.readyAt <= t && st.backOffUntil <= t) hosts.delete(ip);
    }
  }

  async function waitForTurn(
    ip: string,
    st: HostState,
    signal: AbortSignal | undefined,
  ): Promise<GateTicket> {
    for (;;) {
      throwIfAborted(signal);
      const wait = Math.max(st.readyAt, st.backOffUntil) - now();
      if (wait > 0) {
        await sleep(wait, signal);
        continue;
      }
      const slot = await global.acquire(signal);
      // A back-off may have arrived while we queued for the global slot: the slot is spent
      // (never a burst), the host's limit still wins.
      if (Math.max(st.readyAt, st.backOffUntil) > now()) continue;
      return grant(ip, st, slot, now());
    }
  }

  function grant(ip: string, st: HostState, slot: WindowSlot, t: number): GateTicket {
    st.readyAt = t + gap;
    granted++;
    return {
      onWire: () => {
        const at = now();
        slot.restamp(at);
        // The host state may have been swept meanwhile; re-create it so the gap still holds.
        const current = stateOf(ip);
        current.readyAt = Math.max(current.readyAt, at + gap);
      },
    };
  }

  return {
    async turn(ip, signal) {
      throwIfAborted(opts.signal);
      throwIfAborted(signal);
      const st = stateOf(ip);
      st.waiters++;
      const previous = st.tail;
      let release!: () => void;
      st.tail = new Promise<void>((resolve) => {
        release = resolve;
      });
      // One signal is used as it is; only two (the gate's and the caller's) need a controller
      // linking them. The engine passes the gate none: each endpoint's signal follows the scan's.
      const link =
        opts.signal === undefined || signal === undefined ? null : linkedController(opts.signal, signal);
      const until = link?.signal ?? signal ?? opts.signal;
      try {
        await (until === undefined ? previous : untilAborted(previous, until));
        return await waitForTurn(ip, st, until);
      } finally {
        link?.dispose();
        st.waiters--;
        // Keep FIFO even when this turn was aborted early: the next waiter follows the previous.
        void previous.then(release);
        sweep();
      }
    },
    tryTurn(ip) {
      if (opts.signal?.aborted === true) return null;
      const known = hosts.get(ip);
      const t = now();
      if (known !== undefined && (known.waiters > 0 || Math.max(known.readyAt, known.backOffUntil) > t))
        return null;
      const slot = global.tryAcquire(t);
      if (slot === null) return null;
      const ticket = grant(ip, known ?? stateOf(ip), slot, t);
      sweep(t);
      return ticket;
    },
    backOff(ip, ms) {
      const bounded = Math.min(Math.max(0, Number.isFinite(ms) ? ms : maxBackOff), maxBackOff);
      const st = stateOf(ip);
      st.backOffUntil = Math.max(st.backOffUntil, now() + bounded);
    },
    get granted() {
      return granted;
    },
    get trackedHosts() {
      return hosts.size;
    },
  };
}
