// The global limit: at most `cap` grants in any sliding window of `windowMs`, FIFO, abortable.
//
// Each grant holds a slot stamped with the time it was granted. A slot can be re-stamped later
// (`restamp`) when its request actually reaches the wire — a request on a fresh connection leaves
// one TCP/TLS handshake after its grant — so the window counts requests where the targets see
// them. (p-queue's `strict` mode is the same sliding window but stamps only at grant time; under
// load the handshake and scheduling delays squeezed more than a window's worth into one second
// at the servers.)
import { abortReason } from './signals.js';

export interface WindowSlot {
  /**
   * The request reached the wire now: it counts against the window from now on. A slot that
   * already left the window (a handshake longer than the window) keeps its grant time, which is
   * when its first packet left.
   */
  restamp(at?: number): void;
}

/** About one timer tick: how far pacing may fall behind before it stops catching up. */
const PACE_SLACK_MS = 2;

interface Waiter {
  resolve: (slot: WindowSlot) => void;
  reject: (err: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
  done: boolean;
}

interface Stamp {
  t: number;
  /** Re-stamped: a newer stamp at the tail stands for this grant now. */
  dead: boolean;
}

export class SlidingWindow {
  /**
   * Stamps in time order (a FIFO: grants and re-stamps are pushed at the current time, and a
   * re-stamp kills its old entry), from `first` on; `live` of them count. O(1) per grant instead
   * of a scan of the whole window (which held 10,000 stamps at a non-binding rate of 10,000/s).
   */
  private stamps: Stamp[] = [];
  private first = 0;
  private live = 0;
  private readonly waiters: Waiter[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Pacing: the earliest time of the next grant, on a virtual schedule (see pump). */
  private nextAt = Number.NEGATIVE_INFINITY;

  /**
   * @param minSpacingMs least time between two grants: spreads a full window's worth of requests
   *   over at least part of the window instead of releasing them in one burst.
   */
  constructor(
    private readonly cap: number,
    private readonly windowMs: number,
    private readonly minSpacingMs = 0,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`cap must be a positive integer, got ${cap}`);
  }

  acquire(signal?: AbortSignal): Promise<WindowSlot> {
    if (signal?.aborted === true) return Promise.reject(abortReason(signal));
    return new Promise<WindowSlot>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        done: false,
        onAbort: () => {
          if (waiter.done) return;
          waiter.done = true;
          reject(abortReason(signal as AbortSignal));
          this.pump();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
      this.pump();
    });
  }

  /**
   * A slot now (`t`, on this window's clock), without waiting, when one is free and nobody queues for one (FIFO); else null, and
   * the caller waits with `acquire`. Most turns under a rate that is not binding take this path.
   */
  tryAcquire(t = this.now()): WindowSlot | null {
    if (this.nextWaiter() !== undefined) return null;
    this.prune(t);
    if (this.nextAt > t || this.live >= this.cap) return null;
    return this.grant(t);
  }

  /** Grants currently counted in the window. */
  get inWindow(): number {
    this.prune(this.now());
    return this.live;
  }

  private prune(t: number): void {
    const cutoff = t - this.windowMs;
    for (;;) {
      const s = this.stamps[this.first];
      if (s === undefined || !(s.dead || s.t <= cutoff)) break;
      if (!s.dead) this.live--;
      s.dead = true;
      this.first++;
    }
    if (this.first > 1024 && this.first * 2 > this.stamps.length) {
      this.stamps.splice(0, this.first);
      this.first = 0;
    }
  }

  /** The oldest stamp still counted (the head once pruned). */
  private oldest(): number {
    return this.stamps[this.first]?.t ?? Number.NEGATIVE_INFINITY;
  }

  private nextWaiter(): Waiter | undefined {
    while (this.head < this.waiters.length && this.waiters[this.head]?.done === true) this.head++;
    if (this.head > 1024 && this.head * 2 > this.waiters.length) {
      this.waiters.splice(0, this.head);
      this.head = 0;
    }
    return this.waiters[this.head];
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (let waiter = this.nextWaiter(); waiter !== undefined; waiter = this.nextWaiter()) {
      const t = this.now();
      this.prune(t);
      let wait = this.nextAt - t;
      if (this.live >= this.cap) wait = Math.max(wait, this.oldest() + this.windowMs - t);
      if (wait > 0) {
        // Rounded up: a timer may fire a hair early relative to performance.now().
        this.timer = setTimeout(() => {
          this.pump();
        }, Math.ceil(wait));
        return;
      }
      waiter.done = true;
      this.head++;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve(this.grant(t));
    }
    this.waiters.length = 0;
    this.head = 0;
  }

  /** Takes a slot at `t` (the caller checked that one is free). */
  private grant(t: number): WindowSlot {
    // The schedule advances by the spacing from where it was, not from when the (late) timer
    // fired, so timer granularity does not cap high rates; it may lag real time by at most
    // PACE_SLACK_MS, which bounds the catch-up burst.
    this.nextAt = Math.max(this.nextAt, t - PACE_SLACK_MS) + this.minSpacingMs;
    let stamp: Stamp = { t, dead: false };
    this.stamps.push(stamp);
    this.live++;
    return {
      restamp: (at = this.now()) => {
        // Pruned already (a handshake longer than the window): it keeps its grant time.
        if (stamp.dead) return;
        if (at <= stamp.t) return;
        stamp.dead = true;
        stamp = { t: at, dead: false };
        this.stamps.push(stamp);
      },
    };
  }
}
