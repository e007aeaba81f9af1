// Preloaded into an `owa-audit` process the bench starts (`node --import …/cli-hook.js bin/owa-audit.js …`),
// so a command is measured exactly as a user runs it without a line of the product changed. It
// samples the process's memory every 50 ms and, when asked, records the moment undici writes each
// request head (its `undici:client:sendHeaders` diagnostics event — where the scanner's rate gate
// counts from); at exit it collects garbage (with --expose-gc) and writes everything as one JSON
// file to $OWA_BENCH_HOOK_OUT. Nothing here runs unless that variable is set.
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { mainThreadTimes, type MainThreadTimes } from './main-thread.js';

export interface HookReport {
  /** Epoch ms when the hook was loaded (the process's first moment, near enough) and at exit. */
  startMs: number;
  exitMs: number;
  exitCode: number | undefined;
  cpuMs: number;
  /**
   * CPU of the main thread alone (Linux: /proc/self/task/<pid>/stat, 10 ms ticks; null elsewhere).
   * The rest of `cpuMs` ran beside it: V8's compile and GC helper threads, libuv's pool.
   */
  mainThreadCpuMs: number | null;
  /** Kernel high-water mark of the RSS (getrusage maxrss). */
  maxRssBytes: number;
  /** Heap in use at exit after a full collection (null without --expose-gc). */
  heapAfterGcBytes: number | null;
  /** [epoch ms, RSS bytes, V8 heap used bytes], every 50 ms. */
  samples: [number, number, number][];
  /**
   * [epoch ms, the main thread's times so far] at the same moments (main-thread.ts), so that a
   * phase timed elsewhere (the fleet's first and last request) can be cut out; empty off Linux.
   */
  mainThread: [number, MainThreadTimes][];
  /** [epoch ms, address] of each request head written (only with OWA_BENCH_HOOK_WIRE=1). */
  sends: [number, string][];
}

const now = (): number => performance.timeOrigin + performance.now();
const file = process.env.OWA_BENCH_HOOK_OUT;

if (file !== undefined && file !== '') {
  const report: HookReport = {
    startMs: now(),
    exitMs: 0,
    exitCode: undefined,
    cpuMs: 0,
    mainThreadCpuMs: null,
    maxRssBytes: 0,
    heapAfterGcBytes: null,
    samples: [],
    mainThread: [],
    sends: [],
  };
  const sample = (): void => {
    const m = process.memoryUsage();
    const t = now();
    report.samples.push([t, m.rss, m.heapUsed]);
    const main = mainThreadTimes();
    if (main !== null) report.mainThread.push([t, main]);
  };
  sample();
  setInterval(sample, 50).unref();
  if (process.env.OWA_BENCH_HOOK_WIRE === '1')
    subscribe('undici:client:sendHeaders', (message: unknown) => {
      const socket = (message as { socket?: { remoteAddress?: unknown } } | null)?.socket;
      const ip = typeof socket?.remoteAddress === 'string' ? socket.remoteAddress : '?';
      report.sends.push([now(), ip]);
    });
  process.once('exit', (code) => {
    sample();
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc !== undefined) {
      gc();
      report.heapAfterGcBytes = process.memoryUsage().heapUsed;
    }
    const cpu = process.cpuUsage();
    report.cpuMs = (cpu.user + cpu.system) / 1000;
    report.mainThreadCpuMs = mainThreadTimes()?.cpuMs ?? null;
    report.maxRssBytes = process.resourceUsage().maxRSS * 1024;
    report.exitCode = code;
    report.exitMs = now();
    writeFileSync(file, JSON.stringify(report));
  });
}
