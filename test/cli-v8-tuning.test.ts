// The V8 flags of the long-running commands (src/cli/v8-tuning.ts): the commands that stream a scan
// or a run directory set the heap growth factor before they load anything (the knowledge base's
// first full collection sets the limit the heap grows from) — `scan` once its pre-flight knows it
// may probe more than HEAP_BOUND_ABOVE endpoints, still before the knowledge base — and `scan`
// alone also turns TurboFan's inlining off; the quick commands leave V8's defaults alone. In-process, V8 mocked: the test checks
// who sets which flag, not V8 (their effects are measured by `npm run bench`).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

const setFlags = vi.hoisted(() => vi.fn<(flags: string) => void>());
vi.mock('node:v8', async (importOriginal) => ({
  ...(await importOriginal<typeof import('node:v8')>()),
  setFlagsFromString: setFlags,
}));

const { main } = await import('../src/cli/main.js');
const { HEAP_BOUND_ABOVE, HEAP_GROWTH_FLAG, NO_INLINING_FLAG, boundsHeapFor } =
  await import('../src/cli/v8-tuning.js');

const dir = mkdtempSync(join(tmpdir(), 'owa-heap-growth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the last run wrote on stderr. */
let said = '';

async function run(...args: string[]): Promise<number> {
  said = '';
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    said += String(chunk);
    return true;
  });
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
    // A scan file that cannot be read: no size known, so no heap bound yet.
    expect(await run('scan', join(dir, 'missing.yaml'), '--no-history')).not.toBe(0);
    expect(setFlags.mock.calls).toEqual([[NO_INLINING_FLAG]]);
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

describe("scan's heap bound, by the size its pre-flight knows", () => {
  let files = 0;
  /** Past the pre-flight and the knowledge base: the run directory could not be made. */
  const FAILED_AT_RUN_DIR = /blocker-\d+/;
  /** A scan file (and its target file) whose run directory cannot be made: it fails after the
   * pre-flight and the knowledge base, before any packet. */
  function scanFile(scope: string, targets: string[] | null, fileLines?: string[]): string[] {
    const n = ++files;
    const lines = [
      `name: heap-${n}`,
      'authorisation: { by: test, reference: T-1, contact: t@example.invalid, valid_until: 2099-12-31 }',
      `scope: { include: [${scope}] }`,
      'ports: [443, 8443]',
    ];
    if (fileLines !== undefined) {
      const list = join(dir, `targets-${n}.txt`);
      writeFileSync(list, `${fileLines.join('\n')}\n`);
      lines.push(`targets: [{ file: ${list} }]`);
    } else if (targets !== null) lines.push(`targets: [${targets.join(', ')}]`);
    const path = join(dir, `scan-${n}.yaml`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    const blocker = join(dir, `blocker-${n}`);
    writeFileSync(blocker, 'a file where the run directory would go');
    return [path, '--out', join(blocker, 'run'), '--no-history'];
  }

  it('is the policy: bounded above a /20 at one port, and when the size is not known', () => {
    expect(HEAP_BOUND_ABOVE).toBe(4096);
    expect(boundsHeapFor(4096)).toBe(false);
    expect(boundsHeapFor(4097)).toBe(true);
    expect(boundsHeapFor(null)).toBe(true);
  });

  it.each([
    ['a /17, every address at two ports', ['127.70.0.0/17', null], true],
    ['a /30 at two ports', ['127.70.0.0/30', null], false],
    ['a /19 listed inline, at two ports (16,384)', ['127.70.0.0/16', ['127.70.0.0/19']], true],
    ['a /21 listed inline, at two ports (4,096)', ['127.70.0.0/16', ['127.70.0.0/21']], false],
  ] as const)('%s: bounded %s', async (_name, [scope, targets], bounded) => {
    expect(await run('scan', ...scanFile(scope, targets === null ? null : [...targets]))).not.toBe(0);
    expect(said).toMatch(FAILED_AT_RUN_DIR);
    expect(setFlags.mock.calls.some(([f]) => f === HEAP_GROWTH_FLAG)).toBe(bounded);
    expect(setFlags).toHaveBeenCalledWith(NO_INLINING_FLAG);
  });

  it('counts the targets a file lists, and bounds a file that lists a range', async () => {
    const few = Array.from({ length: 600 }, (_, i) => `127.70.${i >> 8}.${i & 255}`);
    expect(await run('scan', ...scanFile('127.70.0.0/16', null, few))).not.toBe(0);
    expect(said).toMatch(FAILED_AT_RUN_DIR);
    expect(setFlags.mock.calls.some(([f]) => f === HEAP_GROWTH_FLAG)).toBe(false);
    setFlags.mockClear();
    const many = Array.from({ length: 2100 }, (_, i) => `127.70.${i >> 8}.${i & 255}`);
    expect(await run('scan', ...scanFile('127.70.0.0/16', null, many))).not.toBe(0);
    expect(setFlags.mock.calls.some(([f]) => f === HEAP_GROWTH_FLAG)).toBe(true); // 2,100 × 2 ports
    setFlags.mockClear();
    expect(await run('scan', ...scanFile('127.70.0.0/16', null, ['127.70.1.1', '127.70.2.0/30']))).not.toBe(
      0,
    );
    expect(setFlags.mock.calls.some(([f]) => f === HEAP_GROWTH_FLAG)).toBe(true);
  });
});
