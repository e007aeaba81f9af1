// The machine the figures came from: they mean little without it.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { TOOL_VERSION } from '../../src/util/version.js';

export interface Machine {
  date: string;
  nproc: number;
  cpuModel: string;
  ramGb: number;
  node: string;
  os: string;
  /** 1-minute load average when the bench started (other work on the machine skews the figures). */
  loadAverage: number;
  openFileLimit: number | null;
  toolVersion: string;
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m?.[1] !== undefined) return m[1].trim();
  } catch {
    /* not Linux */
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function describeMachine(openFileLimit: number | null): Machine {
  return {
    date: new Date().toISOString(),
    nproc: availableParallelism(),
    cpuModel: cpuModel(),
    ramGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${platform()} ${release()}`,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    openFileLimit,
    toolVersion: TOOL_VERSION,
  };
}
