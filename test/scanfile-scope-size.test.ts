// Scope sanity for the biggest mistakes: a scope wider than a /8 worth of IPv4 addresses is
// refused (exit status 2, file, line, field, and how to acknowledge it) unless the scan file says
// how big it expects it to be (scope.expected_addresses), and no scope may hold more than it says.
// The size is the scope's own interval arithmetic; nothing is resolved, enumerated or sent.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.js';
import { loadScanFile } from '../src/scope/load.js';
import { scopeAddressCount, WIDE_SCOPE_ADDRESSES } from '../src/scope/scope-size.js';
import { parseScopeEntry } from '../src/scanfile/entries.js';
import type { ScopeEntry } from '../src/scanfile/types.js';

const TODAY = '2026-11-27';
const AUTH =
  'name: wide\nauthorisation:\n  by: ACME\n  reference: T-1\n  contact: sec@acme.example\n  valid_until: 2026-12-31\n';

let dir = '';
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'owa-scope-size-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(yaml: string) {
  const path = join(dir, `case-${++n}.yaml`);
  await writeFile(path, yaml);
  return { path, scan: await loadScanFile(path, { today: TODAY }) };
}

async function refusal(yaml: string): Promise<string> {
  const path = join(dir, `case-${++n}.yaml`);
  await writeFile(path, yaml);
  try {
    await loadScanFile(path, { today: TODAY });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    expect(error.exitCode).toBe(2);
    return error.format().replace(path, 'FILE');
  }
  throw new Error('the scan file was accepted');
}

function entries(list: string[]): ScopeEntry[] {
  return list.map((t) => {
    const r = parseScopeEntry(t);
    if (!r.ok) throw new Error(r.error);
    return r.value;
  });
}

describe('the size of a scope', () => {
  it('is include minus exclude minus the addresses never probed, by arithmetic', () => {
    const size = (include: string[], exclude: string[] = []): number =>
      scopeAddressCount({ include: entries(include), exclude: entries(exclude) });
    expect(WIDE_SCOPE_ADDRESSES).toBe(16_777_216);
    expect(size(['10.0.0.0/8'])).toBe(16_777_216);
    expect(size(['10.0.0.0/8', '10.1.0.0/16', 'mail.acme.example'])).toBe(16_777_216);
    expect(size(['10.0.0.0/7'], ['11.0.0.0/8', '10.0.0.1'])).toBe(16_777_215);
    // 0.0.0.0/0 less 0/8 ("this network"), multicast, reserved, broadcast: what the dry run calls
    // "about 3,741,319,168".
    expect(size(['0.0.0.0/0'])).toBe(3_741_319_168);
    expect(size(['2001:db8::/32'])).toBe(0);
  });
});

describe('a scope wider than a /8', () => {
  it('is refused without an acknowledgement, naming the widest range and the key to write', async () => {
    expect(await refusal(`${AUTH}scope:\n  include: ["0.0.0.0/0"]\n`)).toBe(
      'FILE:8: scope.include[0]: the scope holds 3,741,319,168 IPv4 addresses (include minus exclude; ' +
        'scope.include[0] 0.0.0.0/0 is its widest range), more than a /8 (16,777,216): a typo in a prefix ' +
        'length? If the scope is right, acknowledge its size: write "expected_addresses: 3741319168" under scope',
    );
  });

  it('counts every range: two /9s and a /24 are more than a /8', async () => {
    expect(
      await refusal(
        `${AUTH}scope:\n  include:\n    - 198.51.100.0/24\n    - 10.0.0.0/9\n    - 172.0.0.0/9\n`,
      ),
    ).toMatch(
      /^FILE:10: scope\.include\[1\]: the scope holds 16,777,472 IPv4 addresses \(include minus exclude; scope\.include\[1\] 10\.0\.0\.0\/9 is its widest range\)/,
    );
  });

  it('is accepted up to a /8 without a word, and when exclude brings it under', async () => {
    await load(`${AUTH}scope:\n  include: [10.0.0.0/8]\n`);
    const { scan } = await load(`${AUTH}scope:\n  include: [10.0.0.0/7]\n  exclude: [11.0.0.0/8]\n`);
    expect(scan.scope.expectedAddresses).toBeNull();
  });

  it('is accepted when expected_addresses is at least its size, and the value is kept', async () => {
    const { scan } = await load(
      `${AUTH}scope:\n  include: ["0.0.0.0/0"]\n  expected_addresses: 3741319168\n`,
    );
    expect(scan.scope.expectedAddresses).toBe(3_741_319_168);
    // An opt-out added later only makes the scope smaller: the acknowledgement still holds.
    await load(
      `${AUTH}scope:\n  include: ["0.0.0.0/0"]\n  exclude: [203.0.113.0/24]\n  expected_addresses: 3741319168\n`,
    );
    await load(`${AUTH}scope:\n  include: [10.0.0.0/7]\n  expected_addresses: 33554432\n`);
  });

  it('is refused when it holds more than expected_addresses says — also below a /8', async () => {
    expect(await refusal(`${AUTH}scope:\n  include: [8.0.0.0/6]\n  expected_addresses: 33554432\n`)).toBe(
      'FILE:9: scope.expected_addresses: is 33,554,432, but the scope holds 67,108,864 IPv4 addresses ' +
        '(include minus exclude; scope.include[0] 8.0.0.0/6 is its widest range): a typo in a prefix ' +
        'length? If the scope is right, write "expected_addresses: 67108864" under scope',
    );
    expect(
      await refusal(`${AUTH}scope:\n  expected_addresses: 256\n  include: [192.0.2.0/24, 198.51.100.0/30]\n`),
    ).toMatch(/^FILE:8: scope\.expected_addresses: is 256, but the scope holds 260 IPv4 addresses/);
  });

  it('refuses a malformed acknowledgement', async () => {
    const help =
      'must be a whole number of IPv4 addresses from 1 to 4294967296, written without separators (e.g. 33554432)';
    for (const v of ['lots', '"3741319168"', '0', '1.5', '4294967297', '3_741_319_168']) {
      const msg = await refusal(`${AUTH}scope:\n  include: [10.0.0.0/8]\n  expected_addresses: ${v}\n`);
      expect(msg, v).toMatch(
        new RegExp(`^FILE:9: scope\\.expected_addresses: ${help.replace(/[().]/g, '\\$&')}`),
      );
    }
    expect(await refusal(`${AUTH}scope:\n  include: [10.0.0.0/8]\n  expected_adresses: 1\n`)).toBe(
      'FILE:9: scope.expected_adresses: unknown key "expected_adresses"; did you mean "expected_addresses"?',
    );
  });

  it('does not count IPv6 ranges, which are never walked wider than /112', async () => {
    await load(`${AUTH}scope:\n  include: ["2001:db8::/32"]\ntargets: ["2001:db8::5"]\n`);
  });
});
