// A /8 in include is walked lazily: nothing is materialised, memory stays flat, nothing is sent
// (expansion is pure computation: the resolver below fails the test if it is ever called).
import { describe, expect, it } from 'vitest';
import { expandTargets } from '../src/scope/expand.js';
import { createScopeGuard } from '../src/scope/guard.js';
import { parseScopeEntry } from '../src/scanfile/entries.js';
import { PROBE_DEFAULTS, type ScanFile, type ScopeEntry } from '../src/scanfile/types.js';

const entry = (t: string): ScopeEntry => {
  const r = parseScopeEntry(t);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

function scanOf(include: string[], exclude: string[] = []): ScanFile {
  return {
    path: '/dev/null',
    source: '',
    name: 'lazy',
    authorisation: { by: 'test', reference: 'T', contact: 't@example.test', validUntil: '2099-12-31' },
    scope: { include: include.map(entry), exclude: exclude.map(entry), expectedAddresses: null },
    targets: [],
    ports: [{ port: 443, scheme: 'https' }],
    owners: [{ name: 'Owner', contact: null, match: [entry('10.0.0.0/8')] }],
    probe: { ...PROBE_DEFAULTS },
  };
}

const noDns = (): Promise<string[]> =>
  Promise.reject(new Error('expansion of ranges must not resolve anything'));

describe('a /8 expanded lazily', () => {
  it('yields the first 100k addresses in order without walking the rest', async () => {
    const scan = scanOf(['10.0.0.0/8'], ['10.0.1.0/24']);
    const source = expandTargets(scan, createScopeGuard(scan.scope, { resolver: noDns }));
    expect(source.estimateTotal()).toBe(16_777_216 - 256);
    let n = 0;
    let last = '';
    const started = performance.now();
    for await (const item of source.items()) {
      if (item.kind !== 'endpoint') throw new Error('unexpected item');
      if (n === 0)
        expect(item.endpoint).toEqual({
          target: '10.0.0.0',
          host: null,
          ip: '10.0.0.0',
          port: 443,
          scheme: 'https',
          owner: { name: 'Owner', contact: null },
        });
      if (item.endpoint.ip.startsWith('10.0.1.'))
        throw new Error(`excluded address ${item.endpoint.ip} yielded`);
      last = item.endpoint.ip;
      if (++n === 100_000) break;
    }
    // 100,000 addresses after 10.0.0.0, skipping the 256 of the excluded /24
    expect(last).toBe('10.1.135.159');
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('keeps memory flat over 2 million addresses', async () => {
    const scan = scanOf(['10.0.0.0/8']);
    const source = expandTargets(scan, createScopeGuard(scan.scope, { resolver: noDns }));
    let n = 0;
    let baseline = 0;
    let peak = 0;
    for await (const item of source.items()) {
      if (item.kind !== 'endpoint') throw new Error('unexpected item');
      n++;
      if (n === 200_000) baseline = process.memoryUsage().heapUsed;
      if (n > 200_000 && n % 100_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      if (n === 2_000_000) break;
    }
    const growthMb = (peak - baseline) / 1024 / 1024;
    if (process.env.SCOPE_BENCH === '1')
      console.log(`heap growth over 1.8M endpoints: ${growthMb.toFixed(1)} MB`);
    // Holding 1.8 million endpoints would take several hundred MB; garbage between collections
    // accounts for the generous bound.
    expect(growthMb).toBeLessThan(64);
  });
});
