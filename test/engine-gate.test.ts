// The gate's parts without sockets: the sliding window, per-host state, back-off bounds, abort,
// turns granted at once, and the pausable endpoint deadline and its fanout from the scan's signal. On vitest's fake clock (setTimeout and performance.now, which
// the window, the gate and the deadline read), so every time below is exact and nothing waits.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SlidingWindow } from '../src/engine/sliding-window.js';
import { createRateGate, gapWithMargin, globalWindow } from '../src/engine/rate-gate.js';
import { createEndpointDeadline } from '../src/engine/deadline.js';
import { AbortFanout } from '../src/engine/signals.js';
import { ProbeError } from '../src/core/errors.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Milliseconds on the fake clock since the test began. */
let origin = 0;
beforeEach(() => {
  origin = performance.now();
});
const clock = (): number => performance.now() - origin;

/** When `p` settles on the fake clock; null while it is pending. */
function settled(p: Promise<unknown>): { at: number | null } {
  const r: { at: number | null } = { at: null };
  const mark = (): void => {
    r.at = clock();
  };
  p.then(mark, mark);
  return r;
}

describe('SlidingWindow', () => {
  it('grants at most cap per sliding window, in FIFO order', async () => {
    const w = new SlidingWindow(3, 200);
    const order: number[] = [];
    const times: number[] = [];
    const all = Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        w.acquire().then(() => {
          order.push(i);
          times.push(clock());
        }),
      ),
    );
    await vi.advanceTimersByTimeAsync(400);
    await all;
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // Three at once, then the next three when the first have left the window, and so on.
    expect(times).toEqual([0, 0, 0, 200, 200, 200, 400, 400, 400]);
  });

  it('counts a re-stamped grant from the moment it reached the wire', async () => {
    const w = new SlidingWindow(1, 200);
    const slot = await w.acquire();
    await vi.advanceTimersByTimeAsync(100);
    slot.restamp(); // the handshake took 100 ms: the window runs from here
    const next = settled(w.acquire());
    await vi.advanceTimersByTimeAsync(199);
    expect(next.at).toBeNull(); // 200 ms after the grant, but not after the wire
    await vi.advanceTimersByTimeAsync(1);
    expect(next.at).toBe(300);
  });

  it('frees slots in the order their requests reached the wire, not the order they were granted', async () => {
    const w = new SlidingWindow(2, 200);
    const first = await w.acquire();
    await vi.advanceTimersByTimeAsync(10);
    await w.acquire(); // the second grant, on the wire at once
    await vi.advanceTimersByTimeAsync(40);
    first.restamp(); // the first grant's handshake ended after the second grant: it counts from 50
    const a = settled(w.acquire());
    const b = settled(w.acquire());
    await vi.advanceTimersByTimeAsync(300);
    // The second (on the wire since 10) leaves the window at 210, the first at 250.
    expect([a.at, b.at]).toEqual([210, 250]);
    expect(w.inWindow).toBe(2);
  });

  it('keeps the grant time of a slot re-stamped after it left the window', async () => {
    const w = new SlidingWindow(1, 100);
    const slot = await w.acquire();
    await vi.advanceTimersByTimeAsync(150); // a handshake longer than the window
    expect(w.inWindow).toBe(0);
    slot.restamp();
    expect(w.inWindow).toBe(0);
    const next = settled(w.acquire());
    await vi.advanceTimersByTimeAsync(0);
    expect(next.at).toBe(150);
  });

  it('counts exactly over many windows of many grants, re-stamped or not', async () => {
    const w = new SlidingWindow(500, 100);
    let granted = 0;
    const slots = [];
    for (let i = 0; i < 5_000; i++) {
      slots.push(
        w.acquire().then((slot) => {
          granted++;
          if (granted % 3 === 0) slot.restamp();
          return slot;
        }),
      );
      if (i % 250 === 249) await vi.advanceTimersByTimeAsync(25);
      expect(w.inWindow).toBeLessThanOrEqual(500);
    }
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(slots);
    expect(granted).toBe(5_000);
    expect(w.inWindow).toBe(0);
  });

  it('spreads grants by the minimum spacing', async () => {
    const w = new SlidingWindow(10, 1000, 30);
    const times: number[] = [];
    const all = Promise.all(Array.from({ length: 5 }, () => w.acquire().then(() => times.push(clock()))));
    await vi.advanceTimersByTimeAsync(200);
    await all;
    // 30 ms apart on a virtual schedule that starts at most 2 ms (one timer tick) behind the first
    // grant, so that a late timer does not slow a high rate down.
    expect(times).toEqual([0, 28, 58, 88, 118]);
  });

  it('drops an aborted waiter without blocking the ones behind it', async () => {
    const w = new SlidingWindow(1, 300);
    await w.acquire();
    const stop = new AbortController();
    const aborted = w.acquire(stop.signal);
    const next = settled(w.acquire());
    stop.abort(new Error('gone'));
    await expect(aborted).rejects.toThrow('gone');
    await vi.advanceTimersByTimeAsync(300);
    expect(next.at).toBe(300);
    expect(w.inWindow).toBe(1);
  });
});

describe('turns granted at once (no promise, no timer)', () => {
  it('a window slot is taken at once only when one is free and nobody queues for one', async () => {
    const w = new SlidingWindow(2, 200);
    expect(w.tryAcquire()).not.toBeNull();
    expect(w.tryAcquire()).not.toBeNull();
    expect(w.tryAcquire()).toBeNull(); // the window is full
    const queued = settled(w.acquire());
    await vi.advanceTimersByTimeAsync(200);
    expect(queued.at).toBe(200);
  });

  it('keeps the spacing after a slot taken at once exactly as after a waited one', async () => {
    const waited = new SlidingWindow(10, 1000, 50);
    const atOnce = new SlidingWindow(10, 1000, 50);
    await waited.acquire();
    expect(atOnce.tryAcquire()).not.toBeNull();
    expect(atOnce.tryAcquire()).toBeNull(); // too soon after the last grant
    const afterWaited = settled(waited.acquire());
    const afterAtOnce = settled(atOnce.acquire());
    expect(atOnce.tryAcquire()).toBeNull(); // FIFO: the waiting one goes first
    await vi.advanceTimersByTimeAsync(100);
    expect(afterAtOnce.at).not.toBeNull();
    expect(afterAtOnce.at).toBe(afterWaited.at);
  });

  it('counts slots taken at once in the window, and re-stamps them at the wire', async () => {
    const w = new SlidingWindow(1, 200);
    const slot = w.tryAcquire();
    await vi.advanceTimersByTimeAsync(100);
    slot?.restamp();
    const next = settled(w.acquire());
    await vi.advanceTimersByTimeAsync(199);
    expect(next.at).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(next.at).toBe(300);
  });

  it('a host gets its turn at once only when its gap and back-off passed and none of its turns waits', async () => {
    const gate = createRateGate({ rate: 1000, hostGapMs: 100 });
    const first = gate.tryTurn('192.0.2.40');
    expect(first).not.toBeNull();
    expect(gate.tryTurn('192.0.2.40')).toBeNull(); // inside the gap
    expect(gate.tryTurn('192.0.2.41')).not.toBeNull(); // another host is not held
    const waiting = settled(gate.turn('192.0.2.40'));
    await vi.advanceTimersByTimeAsync(gapWithMargin(100));
    expect(waiting.at).toBe(gapWithMargin(100));
    // The gap counts from the waiting turn's grant now.
    expect(gate.tryTurn('192.0.2.40')).toBeNull();
    await vi.advanceTimersByTimeAsync(gapWithMargin(100));
    const again = gate.tryTurn('192.0.2.40');
    expect(again).not.toBeNull();
    // The wire restarts the gap, as for a waiting turn.
    await vi.advanceTimersByTimeAsync(gapWithMargin(100) - 1);
    again?.onWire();
    await vi.advanceTimersByTimeAsync(1);
    expect(gate.tryTurn('192.0.2.40')).toBeNull();
    gate.backOff('192.0.2.42', 500);
    expect(gate.tryTurn('192.0.2.42')).toBeNull();
    expect(gate.granted).toBe(4);
  });

  it('never at once while another turn for the host waits, even with its gap passed (FIFO per host)', async () => {
    const gate = createRateGate({ rate: 2, hostGapMs: 0, windowMarginMs: 0 });
    expect(gate.tryTurn('192.0.2.50')).not.toBeNull();
    const waiting = settled(gate.turn('192.0.2.50')); // the global spacing holds it
    expect(gate.tryTurn('192.0.2.50')).toBeNull();
    expect(gate.tryTurn('192.0.2.51')).toBeNull(); // nor past the global queue
    await vi.advanceTimersByTimeAsync(250);
    expect(waiting.at).not.toBeNull();
    expect(gate.granted).toBe(2);
  });

  it('a scan-wide abort leaves the waiting path to refuse', () => {
    const stop = new AbortController();
    const gate = createRateGate({ rate: 100, hostGapMs: 0, signal: stop.signal });
    stop.abort(new Error('ctrl-c'));
    expect(gate.tryTurn('192.0.2.60')).toBeNull();
  });
});

describe('rate gate', () => {
  it('sizes the window from the rate', () => {
    expect(globalWindow(20, 100)).toEqual({ cap: 20, windowMs: 1100 });
    expect(globalWindow(2.5, 0)).toEqual({ cap: 2, windowMs: 1000 });
    expect(globalWindow(0.5, 0)).toEqual({ cap: 1, windowMs: 2000 });
    expect(() => globalWindow(0, 0)).toThrow(RangeError);
    expect(() => createRateGate({ rate: 10, hostGapMs: -1 })).toThrow(RangeError);
  });

  it('bounds a Retry-After back-off by maxBackOffMs', async () => {
    const gate = createRateGate({ rate: 100, hostGapMs: 0, maxBackOffMs: 150 });
    gate.backOff('192.0.2.1', 3_600_000);
    const backedOff = settled(gate.turn('192.0.2.1'));
    // Another host is not affected: it waits only for the global spacing (the window / 100 / 2).
    const other = settled(gate.turn('192.0.2.2'));
    await vi.advanceTimersByTimeAsync(149);
    expect(backedOff.at).toBeNull();
    expect(other.at).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(backedOff.at).toBe(150);
  });

  it('restarts a host gap when its request reaches the wire', async () => {
    const gate = createRateGate({ rate: 100, hostGapMs: 150 });
    const ticket = await gate.turn('192.0.2.3');
    await vi.advanceTimersByTimeAsync(100);
    ticket.onWire();
    const next = settled(gate.turn('192.0.2.3'));
    await vi.advanceTimersByTimeAsync(500);
    expect(next.at).toBe(100 + gapWithMargin(150));
  });

  it('forgets idle hosts, so its state does not grow with the scan', async () => {
    const gate = createRateGate({ rate: 1000, hostGapMs: 1 });
    const busy = (async () => {
      for (let i = 0; i < 200; i++) await gate.turn(`198.51.100.${i % 250}`);
    })();
    await vi.runAllTimersAsync();
    await busy;
    expect(gate.trackedHosts).toBe(200);
    vi.advanceTimersByTime(1100);
    const last = gate.turn('203.0.113.1');
    await vi.runAllTimersAsync();
    await last;
    expect(gate.trackedHosts).toBe(1); // only the host still inside its gap
    expect(gate.granted).toBe(201);
  });

  it('rejects waiting turns when the scan is aborted, and keeps per-host order for the rest', async () => {
    const stop = new AbortController();
    const gate = createRateGate({ rate: 100, hostGapMs: 300, signal: stop.signal });
    await gate.turn('192.0.2.9');
    const waiting = gate.turn('192.0.2.9');
    const when = settled(waiting);
    const refused = expect(waiting).rejects.toThrow('ctrl-c');
    setTimeout(() => stop.abort(new Error('ctrl-c')), 50);
    await vi.advanceTimersByTimeAsync(50);
    await refused;
    expect(when.at).toBe(50); // at the abort, not at the end of the host gap
    await expect(gate.turn('192.0.2.10')).rejects.toThrow('ctrl-c');
  });

  it('with both a scan signal and a caller signal, a turn stops on either, with its reason', async () => {
    const scan = new AbortController();
    const gate = createRateGate({ rate: 100, hostGapMs: 300, signal: scan.signal });
    await gate.turn('192.0.2.30');
    // Both wait out the host's gap.
    const endpointA = new AbortController();
    const a = gate.turn('192.0.2.30', endpointA.signal);
    const b = gate.turn('192.0.2.30', new AbortController().signal);
    endpointA.abort(new Error('endpoint deadline'));
    await expect(a).rejects.toThrow('endpoint deadline');
    scan.abort(new Error('ctrl-c'));
    await expect(b).rejects.toThrow('ctrl-c');
  });

  it('lets one caller give up its turn without losing the host order', async () => {
    const gate = createRateGate({ rate: 100, hostGapMs: 100 });
    await gate.turn('192.0.2.20');
    const mine = new AbortController();
    const first = gate.turn('192.0.2.20', mine.signal);
    const second = settled(gate.turn('192.0.2.20'));
    mine.abort(new Error('endpoint deadline'));
    await expect(first).rejects.toThrow('endpoint deadline');
    // The abandoned turn passes the host's place on; the next one is served at the end of the
    // gap (not stuck behind it).
    await vi.advanceTimersByTimeAsync(1000);
    expect(second.at).toBe(gapWithMargin(100));
  });
});

describe('endpoint deadline', () => {
  it('aborts with a timeout ProbeError once the active budget is spent', async () => {
    const d = createEndpointDeadline(100);
    await vi.advanceTimersByTimeAsync(99);
    expect(d.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(d.signal.aborted).toBe(true);
    expect(d.signal.reason).toBeInstanceOf(ProbeError);
    expect((d.signal.reason as ProbeError).code).toBe('timeout');
    d.dispose();
  });

  it('does not count paused time (waits at the gate)', async () => {
    const d = createEndpointDeadline(400);
    await vi.advanceTimersByTimeAsync(50);
    d.pause();
    d.pause(); // pauses nest
    await vi.advanceTimersByTimeAsync(500);
    d.resume();
    expect(d.signal.aborted).toBe(false);
    expect(d.used()).toBe(50);
    d.resume();
    // What was used is the active time only, however long the paused stretch took.
    await vi.advanceTimersByTimeAsync(349);
    expect(d.signal.aborted).toBe(false);
    expect(d.used()).toBe(399);
    await vi.advanceTimersByTimeAsync(1);
    expect(d.signal.aborted).toBe(true);
    d.dispose();
  });

  it('follows its parent (Ctrl-C) with the parent reason', () => {
    const parent = new AbortController();
    const d = createEndpointDeadline(10_000, parent.signal);
    parent.abort(new Error('ctrl-c'));
    expect((d.signal.reason as Error).message).toBe('ctrl-c');
    d.dispose();
  });

  it('follows the scan through a fanout, and leaves nothing attached once disposed', () => {
    const scan = new AbortController();
    const fanout = new AbortFanout(scan.signal);
    const done = createEndpointDeadline(10_000, fanout);
    const live = [createEndpointDeadline(10_000, fanout), createEndpointDeadline(10_000, fanout)];
    done.dispose();
    expect(fanout.size).toBe(2);
    scan.abort(new Error('ctrl-c'));
    for (const d of live) expect((d.signal.reason as Error).message).toBe('ctrl-c');
    expect(done.signal.aborted).toBe(false);
    expect(fanout.size).toBe(0);
    // One created after the abort is aborted at once.
    expect((createEndpointDeadline(10_000, fanout).signal.reason as Error).message).toBe('ctrl-c');
    for (const d of live) d.dispose();
    fanout.dispose();
  });

  it('tells its watchers of the abort without a listener: once, with the reason, at once when already aborted', async () => {
    const scan = new AbortController();
    const fanout = new AbortFanout(scan.signal);
    const timedOut = createEndpointDeadline(100, fanout);
    const heard: string[] = [];
    const watcher = (tag: string) => (reason: Error) => heard.push(`${tag}: ${reason.message}`);
    const gone = watcher('gone');
    timedOut.watch(watcher('a'));
    timedOut.watch(gone);
    timedOut.unwatch(gone);
    await vi.advanceTimersByTimeAsync(100);
    expect(heard).toEqual(['a: endpoint deadline of 100 ms passed']);
    timedOut.watch(watcher('late'));
    expect(heard[1]).toBe('late: endpoint deadline of 100 ms passed');
    const stopped = createEndpointDeadline(10_000, fanout);
    stopped.watch(watcher('b'));
    scan.abort(new Error('ctrl-c'));
    expect(heard[2]).toBe('b: ctrl-c');
    expect(stopped.signal.reason).toEqual(new Error('ctrl-c'));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(heard).toHaveLength(3); // once each
    timedOut.dispose();
    stopped.dispose();
  });

  it('races a pull against the scan: settles with it, or rejects at the abort, and detaches either way', async () => {
    const scan = new AbortController();
    const fanout = new AbortFanout(scan.signal);
    await expect(fanout.race(Promise.resolve(1))).resolves.toBe(1);
    await expect(fanout.race(Promise.reject(new Error('source failed')))).rejects.toThrow('source failed');
    expect(fanout.size).toBe(0);
    const stuck = fanout.race(new Promise(() => undefined));
    expect(fanout.size).toBe(1);
    scan.abort(new Error('ctrl-c'));
    await expect(stuck).rejects.toThrow('ctrl-c');
    await expect(fanout.race(Promise.resolve(2))).rejects.toThrow('ctrl-c');
    expect(fanout.size).toBe(0);
  });
});

describe('per-IP gap margin', () => {
  it('keeps a little more than the gap, so jitter at the far end never shows less than host_gap_ms', () => {
    expect(gapWithMargin(0)).toBe(0);
    expect(gapWithMargin(50)).toBe(55);
    expect(gapWithMargin(250)).toBe(260);
    expect(gapWithMargin(500)).toBe(520);
    expect(gapWithMargin(5000)).toBe(5050);
  });
});
