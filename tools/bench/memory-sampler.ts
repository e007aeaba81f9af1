// Peak memory by sampling: RSS and V8 heap of this process, and optionally the summed RSS of
// the proportional memory of another process tree (Chromium and its renderers). Sampling misses spikes shorter than the
// interval; for the process itself the kernel's high-water mark (VmHWM) is read as well.
import { readdirSync, readFileSync } from 'node:fs';

export interface MemoryPeaks {
  /** RSS when sampling started. */
  startRssBytes: number;
  peakRssBytes: number;
  /** Kernel high-water mark of this process's RSS over its whole life (null off Linux). */
  hwmRssBytes: number | null;
  peakHeapUsedBytes: number;
  /** Summed PSS of the watched process tree at its peak sample (null when none was watched). */
  peakTreeBytes: number | null;
}

export interface MemorySampler {
  /** Also sample the memory (PSS) of `pid` and all its descendants (e.g. the browser). */
  watchTree(pid: number): void;
  stop(): MemoryPeaks;
}

const PAGE_BYTES = 4096;

function statusKb(path: string, field: string): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(path, 'utf8'));
    return m?.[1] === undefined ? null : Number(m[1]) * 1024;
  } catch {
    return null;
  }
}

/**
 * Memory of `root` and every descendant (Linux /proc): the sum of their proportional set sizes,
 * so pages the processes share (Chromium's renderers share most of theirs) count once. Falls
 * back to RSS where smaps_rollup is missing; 0 off Linux.
 */
export function treeMemoryBytes(root: number): number {
  let dirs: string[];
  try {
    dirs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const d of dirs) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may hold spaces.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(d), Number(rest[1]));
      rss.set(Number(d), Number(rest[21]) * PAGE_BYTES);
    } catch {
      /* the process ended meanwhile */
    }
  }
  let total = 0;
  for (const [pid, bytes] of rss) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        total += statusKb(`/proc/${pid}/smaps_rollup`, 'Pss') ?? bytes;
        break;
      }
    }
  }
  return total;
}

export function startMemorySampler(intervalMs = 50): MemorySampler {
  const start = process.memoryUsage();
  let peakRss = start.rss;
  let peakHeap = start.heapUsed;
  let tree: number | null = null;
  let peakTree: number | null = null;
  let ticks = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    // The process tree costs a /proc walk: every fourth tick is enough for a browser.
    if (tree !== null && ticks++ % 4 === 0) peakTree = Math.max(peakTree ?? 0, treeMemoryBytes(tree));
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    watchTree(pid) {
      tree = pid;
      peakTree = treeMemoryBytes(pid);
    },
    stop() {
      sample();
      clearInterval(timer);
      return {
        startRssBytes: start.rss,
        peakRssBytes: peakRss,
        hwmRssBytes: statusKb('/proc/self/status', 'VmHWM'),
        peakHeapUsedBytes: peakHeap,
        peakTreeBytes: peakTree,
      };
    },
  };
}
