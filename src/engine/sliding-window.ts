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
  restamp(): void;
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

export class SlidingWindow {
  /** Stamps of the grants still inside the window (unordered once re-stamped; at most `cap`). */
  private stamps: { t: number }[] = [];
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

  /** Grants currently counted in the window. */
  get inWindow(): number {
    this.prune(this.now());
    return this.stamps.length;
  }

  private prune(t: number): void {
    if (this.stamps.some((s) => s.t <= t - this.windowMs))
      this.stamps = this.stamps.filter((s) => s.t > t - this.windowMs);
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
      if (this.stamps.length >= this.cap) {
        const oldest = this.stamps.reduce((min, s) => Math.min(min, s.t), Number.POSITIVE_INFINITY);
        wait = Math.max(wait, oldest + this.windowMs - t);
      }
      if (wait > 0) {
        // Rounded up: a timer may fire a hair early relative to performance.now().
        this.timer = setTimeout(() => {
          this.pump();
        }, Math.ceil(wait));
        return;
      }
      // The schedule advances by the spacing from where it was, not from when the (late) timer
      // fired, so timer granularity does not cap high rates; it may lag real time by at most
      // PACE_SLACK_MS, which bounds the catch-up burst.
      this.nextAt = Math.max(this.nextAt, t - PACE_SLACK_MS) + this.minSpacingMs;
      const stamp = { t };
      this.stamps.push(stamp);
      waiter.done = true;
      this.head++;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve({
        restamp: () => {
          stamp.t = Math.max(stamp.t, this.now());
        },
      });
    }
    this.waiters.length = 0;
    this.head = 0;
  }
}
