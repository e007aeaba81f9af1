// The progress line: what it counts, how it draws on a terminal and in a log, and that it stops.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress, type ProgressStream } from '../src/scan/progress.js';
import { formatDuration } from '../src/core/time.js';
import { RESULT_SCHEMA, type ExchangeVerdict, type ResultRecord } from '../src/core/result-schema.js';

function sink(isTTY: boolean, columns?: number): ProgressStream & { out: string[] } {
  const out: string[] = [];
  return { out, isTTY, ...(columns === undefined ? {} : { columns }), write: (t: string) => out.push(t) };
}

function rec(status: ResultRecord['status'], patchLevel?: ExchangeVerdict['patchLevel']): ResultRecord {
  return {
    schema: RESULT_SCHEMA,
    target: 'x',
    host: null,
    ip: '192.0.2.1',
    port: 443,
    scheme: 'https',
    status,
    observedAt: '2026-11-27T00:00:00.000Z',
    requests: 1,
    exchange:
      patchLevel === undefined
        ? null
        : {
            product: 'Exchange Server 2016',
            build: '15.1.2507.6',
            precision: 'exact',
            release: null,
            releaseDate: null,
            patchLevel,
            certainty: 'confirmed',
            supported: false,
            endOfSupport: null,
            latest: null,
            cves: [],
          },
    evidence: [],
    tls: null,
    owner: null,
    error: null,
  };
}

describe('progress', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts done/total, requests per second, Exchange, vulnerable, errors, and an ETA', () => {
    let t = 0;
    const p = createProgress({ total: 100, stream: sink(false), now: () => t });
    t = 10_000;
    for (let i = 0; i < 20; i++) p.onRequest();
    p.onRecord(rec('exchange', 'vulnerable'));
    p.onRecord(rec('exchange', 'current'));
    p.onRecord(rec('unreachable'));
    p.onRecord(rec('error'));
    p.onRecord(rec('not-exchange'));
    // 5 endpoints in 10 s → 95 left at 0.5/s = 3 min 10 s. 20 requests over the last 5 s window → 4/s.
    expect(p.text()).toBe(
      '5/100 endpoints (5.0%) · 4.0 req/s · Exchange 2 · vulnerable 1 · errors 2 · ETA 3 min 10 s',
    );
    p.stop();
  });

  it('shows done and rate when the total is unknown, and starts from a resumed run’s counts', () => {
    let t = 0;
    const seed = {
      records: 40,
      byStatus: { exchange: 3, 'exchange-online': 0, 'not-exchange': 30, unreachable: 7, error: 0 },
      vulnerable: 2,
      requests: 90,
    };
    const p = createProgress({ total: null, stream: sink(false), now: () => t, seed });
    t = 2000;
    p.onRecord(rec('not-exchange'));
    expect(p.text()).toBe('41 endpoints done (0.5/s) · 0.0 req/s · Exchange 3 · vulnerable 2 · errors 7');
    p.stop();
  });

  it('prints plain periodic lines when stderr is not a terminal', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const s = sink(false);
    const p = createProgress({ total: 10, stream: s, intervalMs: 30 });
    p.onRecord(rec('not-exchange'));
    vi.advanceTimersByTime(100);
    expect(s.out).toHaveLength(3); // at 30, 60 and 90 ms
    p.stop();
    p.stop();
    expect(s.out).toHaveLength(4); // and one last line at the stop
    expect(s.out.every((l) => l.endsWith('\n') && !l.includes('\r') && !l.includes('\x1b'))).toBe(true);
    vi.advanceTimersByTime(80);
    expect(s.out).toHaveLength(4); // stopped means stopped
  });

  it('redraws one live line on a terminal, only when something changed, and ends it with a newline', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const s = sink(true, 200);
    const p = createProgress({ total: 10, stream: s, refreshMs: 20 });
    vi.advanceTimersByTime(70);
    expect(s.out).toHaveLength(1); // the first draw at 20 ms; nothing changed at 40 and 60
    p.onRecord(rec('exchange', 'vulnerable'));
    vi.advanceTimersByTime(50);
    expect(s.out).toHaveLength(2); // redrawn at 80 ms, not again at 100 and 120
    p.stop();
    expect(s.out).toHaveLength(4); // the final state, then the newline that ends the line
    expect(s.out.slice(0, -1).every((l) => l.startsWith('\r\x1b[2K'))).toBe(true);
    expect(s.out[1]).toContain('vulnerable 1');
    expect(s.out.at(-1)).toBe('\n');
  });

  it('cuts the live line to the terminal width instead of wrapping', () => {
    const s = sink(true, 30);
    const p = createProgress({ total: 1000, stream: s });
    p.stop();
    const drawn = (s.out[0] ?? '').replace('\r\x1b[2K', '');
    expect(drawn.length).toBeLessThan(30);
  });

  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59_400)).toBe('59 s');
    expect(formatDuration(190_000)).toBe('3 min 10 s');
    expect(formatDuration(3_726_000)).toBe('1 h 2 min');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});
