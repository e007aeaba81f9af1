// Process-level tools of the fault suite: another process's memory from /proc, waiting for a file
// to grow, and a private mount namespace for the full-disk and read-only cases.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** VmRSS of `pid` in bytes, or null once it has exited. */
export function rssOf(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] === undefined ? null : Number(m[1]) * 1024;
  } catch {
    return null;
  }
}

/** Samples the RSS of `pid` until stopped; `peak()` is the largest sample. */
export function sampleRss(pid: number, intervalMs = 20): { peak(): number; stop(): number } {
  let peak = 0;
  const tick = (): void => {
    peak = Math.max(peak, rssOf(pid) ?? 0);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    peak: () => peak,
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** Newline-terminated lines in `path` (0 when it does not exist yet). */
export async function completeLines(path: string): Promise<number> {
  const text = await readFile(path, 'utf8').catch(() => '');
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Polls until `path` holds at least `n` complete lines; rejects after `timeoutMs` or when `gone()` says the writer ended. */
export async function waitForLines(
  path: string,
  n: number,
  timeoutMs: number,
  gone: () => boolean,
): Promise<number> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const lines = await completeLines(path);
    if (lines >= n) return lines;
    if (gone()) throw new Error(`the scan ended with ${lines} lines in ${path}, before ${n}`);
    if (performance.now() > until) throw new Error(`only ${lines} lines in ${path} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

/**
 * How to run a command in a private mount namespace where this process may mount a tmpfs:
 * `unshare -m` as root, `unshare -rm` (a user namespace) otherwise. The mount vanishes with the
 * command, so nothing is left mounted whatever happens. Null when neither works here.
 */
export function privateMountPrefix(probeDir: string): string[] | null {
  const candidates =
    process.getuid?.() === 0
      ? [
          ['unshare', '-m'],
          ['unshare', '-rm'],
        ]
      : [['unshare', '-rm']];
  for (const prefix of candidates) {
    const probe = spawnSync(
      prefix[0] ?? 'unshare',
      [...prefix.slice(1), 'sh', '-c', 'mount -t tmpfs -o size=16k tmpfs "$1"', 'sh', probeDir],
      {
        timeout: 5_000,
        stdio: 'ignore',
      },
    );
    if (probe.status === 0) return prefix;
  }
  return null;
}
