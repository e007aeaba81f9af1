// The machine the figures came from: they mean little without it.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { promisify } from 'node:util';
import type { LocatedBrowser } from '../../src/report/chromium.js';
import { TOOL_VERSION } from '../../src/util/version.js';

/** The browser that prints the bench's PDFs (render and whole-command sections): locateBrowser()'s choice. */
export interface BrowserFacts {
  /** "system headless shell", "system", "bundled @sparticuz/chromium 143.0.4", … */
  label: string;
  executable: string;
  /** What `<executable> --version` printed ("Chromium 150.0.7871.100"), null when it would not say. */
  version: string | null;
}

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
  /** Which browser printed; null when none was found. Absent in results written before it was recorded. */
  browser?: BrowserFacts | null;
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

/** The located browser, with its own word on its version (a few milliseconds; no page is opened). */
export async function describeBrowser(located: LocatedBrowser | null): Promise<BrowserFacts | null> {
  if (located === null) return null;
  let version: string | null = null;
  try {
    const { stdout } = await promisify(execFile)(located.executable, ['--version'], {
      env: { ...process.env, ...located.env },
      timeout: 10_000,
    });
    version = stdout.trim().split('\n')[0]?.trim() || null;
  } catch {
    /* a browser that will not say: the label and path still tell which one */
  }
  return { label: located.label, executable: located.executable, version };
}

/** "Chromium 150.0.7871.100 (system headless shell: /usr/bin/chromium-headless-shell)", for headings. */
export function browserText(m: Machine): string | null {
  if (m.browser === undefined) return null;
  if (m.browser === null) return 'no browser (no PDF figures)';
  const b = m.browser;
  return `${b.version ?? 'a browser'} (${b.label}: ${b.executable})`;
}

export function describeMachine(openFileLimit: number | null, browser: BrowserFacts | null = null): Machine {
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
    browser,
  };
}
