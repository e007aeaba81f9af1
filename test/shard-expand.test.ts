// Target expansion of a shard: the N shards of a scan together yield exactly the endpoints of
// the whole scan, each in one shard; a shard never resolves another shard's names; and DNS
// answering differently in each shard process cannot lose or duplicate an endpoint.
// Pure computation: nothing is sent (the resolver is a function).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandTargets } from '../src/scope/expand.js';
import { createScopeGuard } from '../src/scope/guard.js';
import { loadScanFile } from '../src/scope/load.js';
import type { ScanFile } from '../src/scanfile/types.js';
import type { Resolver, TargetItem } from '../src/scope/types.js';
import { endpointKey } from '../src/core/result-schema.js';
import { shardFilter, shardOf } from '../src/shard/index.js';

const TODAY = '2026-11-27';
const AUTH =
  'authorisation: { by: CERT, reference: S-1, contact: cert@example.org, valid_until: 2026-12-31 }\n';
const N = 4;

const NAMES = Array.from({ length: 24 }, (_, i) => `host${i}.shard.test`);
// Every name has two addresses; host0 also points at a bare target, host1 at an address of the range.
function answer(name: string, call: number): string[] {
  const i = NAMES.indexOf(name);
  if (name === 'flappy.shard.test') return [`127.58.9.${(call % 5) + 1}`, `127.58.9.${(call % 7) + 10}`];
  if (name === 'nxdomain.shard.test' || i < 0) throw new Error(`NXDOMAIN ${name}`);
  if (i === 0) return ['127.58.2.1', '127.58.8.1'];
  if (i === 1) return ['127.58.1.7', '127.58.8.2'];
  return [`127.58.8.${2 * i + 1}`, `127.58.8.${2 * i + 2}`];
}

function countingResolver(perCall = false): { resolver: Resolver; lookups: string[] } {
  const lookups: string[] = [];
  let calls = 0;
  const resolver: Resolver = (name) => {
    lookups.push(name);
    try {
      return Promise.resolve(answer(name, perCall ? calls++ : 0));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  };
  return { resolver, lookups };
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'owa-shard-expand-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function scanOf(yaml: string, files: Record<string, string> = {}): Promise<ScanFile> {
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  const p = join(dir, `scan-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(p, AUTH + yaml);
  return loadScanFile(p, { today: TODAY });
}

function keyOf(item: TargetItem): string {
  return item.kind === 'endpoint' ? endpointKey(item.endpoint) : `${item.code} ${endpointKey(item)}`;
}

async function expand(
  scan: ScanFile,
  shard: number | null,
  resolver: Resolver,
): Promise<{ keys: string[]; estimate: number | null }> {
  const guard = createScopeGuard(scan.scope, { resolver });
  const source = expandTargets(
    scan,
    guard,
    shard === null ? {} : { filter: shardFilter({ index: shard, count: N }) },
  );
  const keys: string[] = [];
  for await (const item of source.items()) keys.push(keyOf(item));
  return { keys, estimate: source.estimateTotal() };
}

const LISTED = `scope:
  include: [127.58.0.0/16, "*.shard.test"]
  exclude: [127.58.1.9]
targets:
  - 127.58.1.0/26
  - 127.58.1.7
  - 127.58.2.1
  - 127.58.2.2:8443
  - 127.58.2.3
  - 127.58.2.3
${NAMES.map((n) => `  - ${n}`).join('\n')}
  - host5.shard.test
  - nxdomain.shard.test
  - HOST6.shard.test:8443
  - file: more.txt
ports: [443, "http:80"]
`;
const MORE = ['127.58.3.1', '127.58.3.2', '127.58.1.8', 'host7.shard.test', '127.58.4.0/28'].join('\n');

describe('shards of a listed scan', () => {
  it('together yield exactly the endpoints of the whole scan, each in exactly one shard', async () => {
    const scan = await scanOf(LISTED, { 'more.txt': MORE });
    const whole = await expand(scan, null, countingResolver().resolver);
    expect(new Set(whole.keys).size).toBe(whole.keys.length);
    const parts = [];
    for (let k = 1; k <= N; k++) parts.push((await expand(scan, k, countingResolver().resolver)).keys);
    expect(parts.flat().sort()).toEqual([...whole.keys].sort());
    for (const [i, keys] of parts.entries()) {
      expect(keys.length, `shard ${i + 1} is empty`).toBeGreaterThan(0);
    }
    // Every endpoint of one name, on every port and address, is in the shard of the name.
    for (const name of [...NAMES, 'nxdomain.shard.test']) {
      const holders = parts
        .map((keys, i) => (keys.some((k) => k.endsWith(`#${name}`)) ? i + 1 : null))
        .filter((x) => x !== null);
      expect(holders, name).toEqual([shardOf(name, N)]);
    }
    // A bare address is in one shard on every port.
    const holders = parts
      .map((keys, i) => (keys.some((k) => /\/\/127\.58\.2\.3:/.test(k)) ? i + 1 : null))
      .filter((x) => x !== null);
    expect(holders).toEqual([shardOf('127.58.2.3', N)]);
  });

  it('never resolves another shard’s names', async () => {
    const scan = await scanOf(LISTED, { 'more.txt': MORE });
    for (let k = 1; k <= N; k++) {
      const { resolver, lookups } = countingResolver();
      await expand(scan, k, resolver);
      const mine = [...NAMES, 'nxdomain.shard.test'].filter((n) => shardOf(n, N) === k);
      expect(new Set(lookups), `shard ${k}`).toEqual(new Set(mine));
    }
  });

  it('estimates a shard’s share: exact for listed addresses and names, ranges scaled', async () => {
    const scan = await scanOf(LISTED.replace('  - file: more.txt\n', ''));
    const whole = await expand(scan, null, countingResolver().resolver);
    let sum = 0;
    for (let k = 1; k <= N; k++)
      sum += (await expand(scan, k, countingResolver().resolver)).estimate ?? Number.NaN;
    expect(Math.abs(sum - (whole.estimate ?? 0))).toBeLessThanOrEqual(N);
  });
});

describe('DNS that answers differently in each shard process', () => {
  it('changes which addresses a name has, never whether its endpoints are scanned once', async () => {
    const scan = await scanOf(`scope:
  include: [127.58.0.0/16, flappy.shard.test]
targets: [flappy.shard.test, 127.58.9.1, 127.58.9.2]
ports: [443]
`);
    const owner = shardOf('flappy.shard.test', N);
    for (let k = 1; k <= N; k++) {
      // A fresh resolver per shard with a different first answer: as if each process asked another DNS server.
      const { resolver } = countingResolver(true);
      for (let skip = 0; skip < k; skip++) await resolver('flappy.shard.test');
      const { keys } = await expand(scan, k, resolver);
      const named = keys.filter((x) => x.endsWith('#flappy.shard.test'));
      expect(named.length, `shard ${k}`).toBe(k === owner ? 2 : 0);
      const bare = keys.filter((x) => !x.includes('#'));
      expect(bare.sort()).toEqual(
        ['127.58.9.1', '127.58.9.2'].filter((ip) => shardOf(ip, N) === k).map((ip) => `https://${ip}:443`),
      );
    }
  });
});

describe('shards of the default expansion (no targets listed)', () => {
  it('split include ranges and names, each once', async () => {
    const scan = await scanOf(`scope:
  include: [127.58.5.0/24, "2001:db8:58::/120", host2.shard.test, host3.shard.test, host4.shard.test]
  exclude: [127.58.5.128/28]
ports: [443]
`);
    const whole = await expand(scan, null, countingResolver().resolver);
    expect(whole.keys.length).toBeGreaterThan(490); // 240 + 256 addresses and 3 names × 2 addresses, less built-in refusals
    const parts = [];
    for (let k = 1; k <= N; k++) parts.push((await expand(scan, k, countingResolver().resolver)).keys);
    expect(parts.flat().sort()).toEqual([...whole.keys].sort());
    for (const keys of parts) expect(keys.length).toBeGreaterThan(60);
  });
});
