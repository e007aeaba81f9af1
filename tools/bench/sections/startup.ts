// Start-up: the commands that should answer at once — `--version`, `--help`, `classify BUILD`,
// `scan --dry-run` — each spawn to exit beside a bare `node -e 0`, interleaved round by round,
// the median of N runs; RSS is the kernel's high-water mark (/usr/bin/time), when that is there.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CLI } from '../cli-run.js';
import { round, mb, type BenchContext } from '../context.js';
import { median, ratio } from '../measures.js';
import { layout } from '../options.js';
import { PACKAGE_ROOT } from '../../../src/util/version.js';
import { benchScanFile } from '../scan-file.js';
import { nullableRound } from './throughput.js';

const TIME = '/usr/bin/time';
const RUN_MS = 60_000;

export interface StartupFigures {
  runs: number;
  /** `node -e 0`: median wall ms and max RSS MB. */
  bare: { ms: number; rssMb: number | null };
  commands: { command: string; ms: number; rssMb: number | null; ratio: number | null }[];
}

async function timed(argv: string[]): Promise<{ ms: number; rssBytes: number | null }> {
  const withTime = existsSync(TIME);
  const [file, ...args] = withTime ? [TIME, '-f', '%M', ...argv] : argv;
  const started = performance.now();
  const child = spawn(file ?? process.execPath, args, {
    cwd: PACKAGE_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, OWA_AUDIT_HISTORY: 'none' },
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2_000)));
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_MS);
  const code = await new Promise<number | null>((resolve) => {
    child.once('close', resolve);
    child.once('error', () => resolve(null));
  });
  const ms = performance.now() - started;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${argv.join(' ')} exited ${String(code)}: ${stderr.slice(-600)}`);
  const kb = withTime ? /(\d+)\s*$/.exec(stderr)?.[1] : undefined;
  return { ms, rssBytes: kb === undefined ? null : Number(kb) * 1024 };
}

export async function startup(ctx: BenchContext): Promise<StartupFigures> {
  const runs = ctx.options.sizes.startupRuns;
  const base = layout(ctx.options.octet).requests;
  const scanPath = await ctx.file(
    'startup-dry-run.yaml',
    benchScanFile({
      name: 'bench-startup',
      include: [`${base}/24`],
      ports: [ctx.options.httpsPort],
      rate: 100,
      concurrency: 16,
      hostGapMs: 500,
      timeoutMs: 5_000,
    }),
  );
  const node = process.execPath;
  const commands: [string, string[]][] = [
    ['--version', ['--version']],
    ['--help', ['--help']],
    ['classify 15.1.2507.6', ['classify', '15.1.2507.6']],
    ['scan --dry-run (a /24)', ['scan', '--dry-run', scanPath]],
  ];
  ctx.log(`start-up: ${commands.length} commands beside node -e 0, median of ${runs} runs each`);
  if (!existsSync(TIME)) ctx.note(`start-up: ${TIME} is missing; no RSS figures`);
  const bare: { ms: number[]; rss: number[] } = { ms: [], rss: [] };
  const per = commands.map(() => ({ ms: [] as number[], rss: [] as number[] }));
  // One warm-up of each (file cache), then rounds that interleave them so load falls on all alike.
  await timed([node, '-e', '0']);
  for (const [, args] of commands) await timed([node, CLI, ...args]);
  for (let r = 0; r < runs; r++) {
    const b = await timed([node, '-e', '0']);
    bare.ms.push(b.ms);
    if (b.rssBytes !== null) bare.rss.push(b.rssBytes);
    for (const [i, [, args]] of commands.entries()) {
      const c = await timed([node, CLI, ...args]);
      per[i]?.ms.push(c.ms);
      if (c.rssBytes !== null) per[i]?.rss.push(c.rssBytes);
    }
  }
  const bareMs = median(bare.ms);
  const f: StartupFigures = {
    runs,
    bare: { ms: round(bareMs), rssMb: bare.rss.length === 0 ? null : mb(median(bare.rss)) },
    commands: commands.map(([command], i) => {
      const m = median(per[i]?.ms ?? []);
      const rss = per[i]?.rss ?? [];
      return {
        command,
        ms: round(m),
        rssMb: rss.length === 0 ? null : mb(median(rss)),
        ratio: nullableRound(ratio(m, bareMs)),
      };
    }),
  };
  ctx.log(
    `  node -e 0 ${f.bare.ms} ms; ${f.commands.map((c) => `${c.command} ${c.ms} ms ×${String(c.ratio)}`).join(', ')}`,
  );
  return f;
}
