// `owa-audit … | head`: when the reader of stdout goes away, the command ends quietly with the
// status of a SIGPIPE death (141) instead of an unhandled EPIPE and a stack trace.
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
import { BIN, ROOT } from './helpers/cli.js';

it('ends quietly with status 141 when stdout is closed by its reader', async () => {
  // Enough output (a few MB of verdicts) that it cannot all sit in the pipe's buffer.
  const builds = Array.from({ length: 400 }, () => '15.1.2507.6');
  const child = spawn(process.execPath, [BIN, 'classify', '--json', ...builds], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  child.stdout.once('data', () => child.stdout.destroy());
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  expect(code).toBe(141);
  expect(stderr).not.toMatch(/EPIPE|Unhandled|at .*\.js:\d+/);
}, 30_000);
