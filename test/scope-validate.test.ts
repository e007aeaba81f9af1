import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateScanTargets } from '../src/scope/validate.js';
import { createScopeGuard } from '../src/scope/guard.js';
import { loadScanFile } from '../src/scope/load.js';
import { InputError } from '../src/core/errors.js';
import type { Resolver } from '../src/scope/types.js';

const TODAY = '2026-11-27';
const AUTH =
  'authorisation: { by: ACME, reference: T-1, contact: sec@acme.example, valid_until: 2026-12-31 }\n';
const SCOPE = 'scope:\n  include: [127.2.4.0/24, "*.acme.example"]\n  exclude: [127.2.4.66]\n';

const DNS: Record<string, { addrs: string[]; delayMs: number }> = {
  'in-range.other.example': { addrs: ['127.2.4.10'], delayMs: 0 },
  'slow-outside.other.example': { addrs: ['198.51.100.1'], delayMs: 80 },
  'outside.other.example': { addrs: ['198.51.100.2', '127.2.5.1'], delayMs: 0 },
  'empty.other.example': { addrs: [], delayMs: 0 },
};

let dir = '';
let asked: string[] = [];
const resolver: Resolver = async (name) => {
  asked.push(name);
  const hit = DNS[name];
  if (hit === undefined) throw new Error(`DNS lookup of ${name} failed (ENOTFOUND)`);
  await new Promise((r) => setTimeout(r, hit.delayMs));
  return hit.addrs;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'owa-scope-validate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function validate(targets: string, files: Record<string, string> = {}) {
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  const path = join(dir, `v-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(path, `${AUTH}${SCOPE}targets:\n${targets}`);
  const scan = await loadScanFile(path, { today: TODAY });
  asked = [];
  const guard = createScopeGuard(scan.scope, { resolver });
  const result: unknown = await validateScanTargets(scan, guard).catch((e: unknown) => e);
  return { path, result };
}

function formatted(result: unknown): string {
  if (!(result instanceof InputError)) throw new Error(`expected an InputError, got ${String(result)}`);
  return result.format();
}

describe('validateScanTargets', () => {
  it('accepts names in the include names without DNS, and names that resolve into an include range', async () => {
    const { result } = await validate(
      '  - mail.acme.example\n  - in-range.other.example\n  - 127.2.4.0/30\n  - 127.2.4.66\n',
    );
    expect(result).toEqual({ checked: 4, excluded: 1, ranges: 1 }); // 127.2.4.0/30 is a range
    expect(asked).toEqual(['in-range.other.example']);
  });

  it('refuses a listed name that resolves outside the scope, naming file, line and field', async () => {
    const { path, result } = await validate('  - mail.acme.example\n  - outside.other.example:8443\n');
    expect(formatted(result)).toBe(
      `${path}:7: targets[1]: target outside the scope: outside.other.example is not matched by any scope.include name or wildcard, and none of its addresses (198.51.100.2, 127.2.5.1) is in scope`,
    );
  });

  it('refuses a listed name that does not resolve, or has no addresses', async () => {
    const a = await validate('  - gone.other.example\n');
    expect(formatted(a.result)).toBe(
      `${a.path}:6: targets[0]: target outside the scope: gone.other.example is not matched by any scope.include name or wildcard, and it does not resolve (DNS lookup of gone.other.example failed (ENOTFOUND))`,
    );
    const b = await validate('  - empty.other.example\n');
    expect(formatted(b.result)).toBe(
      `${b.path}:6: targets[0]: target outside the scope: empty.other.example is not matched by any scope.include name or wildcard, and it has no A or AAAA records`,
    );
  });

  it('checks names inside targets files, and reports the first violation in listing order', async () => {
    const file = join(dir, 'names.txt');
    const { result } = await validate('  - file: names.txt\n', {
      'names.txt':
        'mail.acme.example\nslow-outside.other.example\nin-range.other.example\noutside.other.example\n',
    });
    // the slow lookup on line 2 finishes after the fast one on line 4: line 2 is still reported
    expect(formatted(result)).toBe(
      `${file}:2: targets[0].file: target outside the scope: slow-outside.other.example is not matched by any scope.include name or wildcard, and none of its addresses (198.51.100.1) is in scope`,
    );
    expect(asked).toContain('outside.other.example');
  });

  it('resolves each name once even when it is listed many times', async () => {
    const { result } = await validate('  - file: many.txt\n', {
      'many.txt': 'in-range.other.example\n'.repeat(200),
    });
    expect(result).toEqual({ checked: 200, excluded: 0, ranges: 0 });
    expect(asked).toEqual(['in-range.other.example']);
  });
});

describe('validateScanTargets in a shard', () => {
  it('resolves only the names its filter keeps; the shard that owns the others checks them', async () => {
    const path = join(dir, 'shard.yaml');
    await writeFile(path, `${AUTH}${SCOPE}targets:\n  - in-range.other.example\n  - outside.other.example\n`);
    const scan = await loadScanFile(path, { today: TODAY });
    const guard = createScopeGuard(scan.scope, { resolver });
    asked = [];
    const mine = { accepts: (id: string) => id === 'in-range.other.example', share: 0.5 };
    await expect(validateScanTargets(scan, guard, { filter: mine })).resolves.toEqual({
      checked: 2,
      excluded: 0,
      ranges: 0,
    });
    expect(asked).toEqual(['in-range.other.example']);
    const theirs = { accepts: (id: string) => id === 'outside.other.example', share: 0.5 };
    const refused: unknown = await validateScanTargets(scan, guard, { filter: theirs }).catch(
      (e: unknown) => e,
    );
    expect(formatted(refused)).toMatch(/targets\[1\]: target outside the scope: outside\.other\.example/);
  });
});
