// The V8 flags of the long-running commands (src/cli/v8-tuning.ts): the commands that stream a scan
// or a run directory set the heap growth factor before they load anything (the knowledge base's
// first full collection sets the limit the heap grows from), `scan` alone also turns TurboFan's
// inlining off; the quick commands leave V8's defaults alone. In-process, V8 mocked: the test checks
// who sets which flag, not V8 (their effects are measured by `npm run bench`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

const setFlags = vi.hoisted(() => vi.fn<(flags: string) => void>());
vi.mock('node:v8', async (importOriginal) => ({
  ...(await importOriginal<typeof import('node:v8')>()),
  setFlagsFromString: setFlags,
}));

const { main } = await import('../src/cli/main.js');
const { HEAP_GROWTH_FLAG, NO_INLINING_FLAG } = await import('../src/cli/v8-tuning.js');

const dir = mkdtempSync(join(tmpdir(), 'owa-heap-growth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]): Promise<number> {
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return await main(['node', 'owa-audit', ...args]);
  } finally {
    stderr.mockRestore();
    stdout.mockRestore();
  }
}

beforeEach(() => setFlags.mockClear());

describe('the V8 flags', () => {
  it('is the flag Node 20 knows, a factor of 1.75', () => {
    expect(HEAP_GROWTH_FLAG).toBe('--heap-growing-percent=75');
  });

  it('comes with no TurboFan inlining for scan, before it loads its modules, and for no other command', async () => {
    expect(NO_INLINING_FLAG).toBe('--no-turbo-inlining');
    expect(await run('scan', join(dir, 'missing.yaml'), '--no-history')).not.toBe(0);
    expect(setFlags.mock.calls).toEqual([[HEAP_GROWTH_FLAG], [NO_INLINING_FLAG]]);
    for (const args of [
      ['report', join(dir, 'no-run'), '--format', 'nonsense'],
      ['merge', join(dir, 'no-shard'), '--out', join(dir, 'merged'), '--no-history'],
      ['reclassify', join(dir, 'no-run'), '--no-history'],
    ]) {
      setFlags.mockClear();
      await run(...args);
      expect(setFlags.mock.calls).toEqual([[HEAP_GROWTH_FLAG]]);
    }
  });

  it.each([
    ['scan', [join(dir, 'missing.yaml'), '--no-history']],
    ['report', [join(dir, 'no-run'), '--format', 'nonsense']],
    ['merge', [join(dir, 'no-shard'), '--out', join(dir, 'merged'), '--no-history']],
    ['reclassify', [join(dir, 'no-run'), '--no-history']],
    ['history import', [join(dir, 'no-run'), '--history', join(dir, 'h.db')]],
  ])('is set by %s before it loads its modules (here: it then fails on bad input)', async (name, args) => {
    const status = await run(...name.split(' '), ...args);
    expect(status).not.toBe(0);
    expect(setFlags).toHaveBeenCalledWith(HEAP_GROWTH_FLAG);
  });

  it.each([
    ['--version'],
    ['--help'],
    ['classify', '15.1.2507.6'],
    ['scan', '--dry-run', join(dir, 'missing.yaml')],
    ['history', 'list', '--history', join(dir, 'none.db')],
  ])('is left alone by %s', async (...args) => {
    await run(...args);
    expect(setFlags).not.toHaveBeenCalled();
  });
});
