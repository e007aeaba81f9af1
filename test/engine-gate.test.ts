// The gate's parts without sockets: the sliding window, per-host state, back-off bounds, abort,
// and the pausable endpoint deadline. Real (short) timers; bounds are loose on the slow side.
import { describe, expect, it } from 'vitest';
import { SlidingWindow } from '../src/engine/sliding-window.js';
import { createRateGate, gapWithMargin, globalWindow } from '../src/engine/rate-gate.js';
import { createEndpointDeadline } from '../src/engine/deadline.js';
import { ProbeError } from '../src/core/errors.js';
import { maxInWindow } from './helpers/engine-servers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('SlidingWindow', () => {
  it('grants at most cap per sliding window, in FIFO order', async () => {
    const w = new SlidingWindow(3, 200);
    const order: number[] = [];
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        w.acquire().then(() => {
          order.push(i);
          times.push(performance.now());
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(maxInWindow(times, 199)).toBeLessThanOrEqual(3);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(400 - 2);
  });

  it('counts a re-stamped grant from the moment it reached the wire', async () => {
    const w = new SlidingWindow(1, 200);
    const slot = await w.acquire();
    await sleep(100);
    slot.restamp(); // the handshake took 100 ms: the window runs from here
    const t0 = performance.now();
    await w.acquire();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it('spreads grants by the minimum spacing', async () => {
    const w = new SlidingWindow(10, 1000, 30);
    const times: number[] = [];
    await Promise.all(Array.from({ length: 5 }, () => w.acquire().then(() => times.push(performance.now()))));
    // On a virtual schedule 30 ms apart; one gap may be up to 2 ms short when a timer fired late.
    for (let i = 1; i < times.length; i++)
      expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(27);
    expect((times[4] as number) - (times[0] as number)).toBeGreaterThanOrEqual(4 * 30 - 3);
  });

  it('drops an aborted waiter without blocking the ones behind it', async () => {
    const w = new SlidingWindow(1, 300);
    await w.acquire();
    const stop = new AbortController();
    const aborted = w.acquire(stop.signal);
    const next = w.acquire();
    stop.abort(new Error('gone'));
    await expect(aborted).rejects.toThrow('gone');
    await next;
    expect(w.inWindow).toBeLessThanOrEqual(1);
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
    const t0 = performance.now();
    await gate.turn('192.0.2.1');
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(140);
    expect(waited).toBeLessThan(1000);
    // Another host is not affected.
    const t1 = performance.now();
    await gate.turn('192.0.2.2');
    expect(performance.now() - t1).toBeLessThan(100);
  });

  it('restarts a host gap when its request reaches the wire', async () => {
    const gate = createRateGate({ rate: 100, hostGapMs: 150 });
    const ticket = await gate.turn('192.0.2.3');
    await sleep(100);
    ticket.onWire();
    const t0 = performance.now();
    await gate.turn('192.0.2.3');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('forgets idle hosts, so its state does not grow with the scan', async () => {
    const gate = createRateGate({ rate: 1000, hostGapMs: 1 });
    for (let i = 0; i < 200; i++) await gate.turn(`198.51.100.${i % 250}`);
    expect(gate.trackedHosts).toBeGreaterThan(100);
    await sleep(1100);
    await gate.turn('203.0.113.1');
    expect(gate.trackedHosts).toBeLessThanOrEqual(2);
    expect(gate.granted).toBe(201);
  });

  it('rejects waiting turns when the scan is aborted, and keeps per-host order for the rest', async () => {
    const stop = new AbortController();
    const gate = createRateGate({ rate: 100, hostGapMs: 300, signal: stop.signal });
    await gate.turn('192.0.2.9');
    const waiting = gate.turn('192.0.2.9');
    setTimeout(() => stop.abort(new Error('ctrl-c')), 50).unref();
    await expect(waiting).rejects.toThrow('ctrl-c');
    await expect(gate.turn('192.0.2.10')).rejects.toThrow('ctrl-c');
  });

  it('lets one caller give up its turn without losing the host order', async () => {
    const gate = createRateGate({ rate: 100, hostGapMs: 100 });
    await gate.turn('192.0.2.20');
    const mine = new AbortController();
    const first = gate.turn('192.0.2.20', mine.signal);
    const second = gate.turn('192.0.2.20');
    mine.abort(new Error('endpoint deadline'));
    await expect(first).rejects.toThrow('endpoint deadline');
    // The abandoned turn passes the host's place on; the next one is served (not stuck behind it).
    const t0 = performance.now();
    await second;
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('endpoint deadline', () => {
  it('aborts with a timeout ProbeError once the active budget is spent', async () => {
    const d = createEndpointDeadline(100);
    await sleep(150);
    expect(d.signal.aborted).toBe(true);
    expect(d.signal.reason).toBeInstanceOf(ProbeError);
    expect((d.signal.reason as ProbeError).code).toBe('timeout');
    d.dispose();
  });

  it('does not count paused time (waits at the gate)', async () => {
    const t0 = performance.now();
    const d = createEndpointDeadline(400);
    await sleep(50);
    d.pause();
    const active = performance.now() - t0;
    await sleep(500);
    expect(d.signal.aborted).toBe(false);
    d.resume();
    // What was used is the active time only, however long the paused stretch took.
    expect(d.used()).toBeGreaterThanOrEqual(45);
    expect(d.used()).toBeLessThanOrEqual(active + 5);
    await sleep(450);
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
