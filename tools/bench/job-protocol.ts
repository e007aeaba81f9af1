// The measured jobs (each in a fresh child process, see job-child.ts) and what they report.
import type { MainThreadTimes } from './main-thread.js';
import type { LocatedBrowser } from '../../src/report/chromium.js';
import { startChild } from './children.js';
import type { ReferenceHost, ReferenceResult } from './reference-client.js';

export interface JobMemory {
  /** After modules (and for scans the knowledge base) were loaded and a GC, before the job. */
  baselineRssBytes: number;
  baselineHeapUsedBytes: number;
  /** The larger of the sampled peak and the kernel's high-water mark (VmHWM). */
  peakRssBytes: number;
  sampledPeakRssBytes: number;
  peakHeapUsedBytes: number;
  endRssBytes: number;
  /** Heap still in use after the job and a full GC: what the job left behind. */
  endHeapUsedAfterGcBytes: number;
  /** Render jobs: summed PSS of Chromium's processes at their peak sample. */
  peakTreeBytes: number | null;
}

export interface ReferenceJob {
  op: 'reference';
  hosts: ReferenceHost[];
  concurrency: number;
  timeoutMs: number;
}

export interface ReferenceJobResult extends ReferenceResult {
  cpuMs: number;
  memory: JobMemory;
  /** The main thread's times over the replay (main-thread.ts); null off Linux. */
  mainThread: MainThreadTimes | null;
}

export interface RenderJob {
  op: 'render';
  count: number;
  dir: string;
  /** The browser to print with, or null to measure HTML only. */
  browser: LocatedBrowser | null;
}

export interface RenderResult {
  count: number;
  htmlMs: number;
  htmlBytes: number;
  pdf: { launchMs: number; pdfMs: number; bytes: number; pages: number | null } | null;
  memory: JobMemory;
}

/** Run one job in a fresh process and return its answer; the process is ended either way. */
export async function runJob<T>(job: ReferenceJob | RenderJob, timeoutMs: number): Promise<T> {
  const child = startChild('./job-child.js', { lifetimeMs: timeoutMs + 10_000 });
  try {
    await child.hello;
    return await child.request<T>({ ...job }, timeoutMs);
  } finally {
    child.kill();
    await child.exited;
  }
}

export type { ReferenceHost };
