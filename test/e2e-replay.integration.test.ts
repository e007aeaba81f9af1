// End to end over real sockets, with the built CLI: every recorded capture in
// test/fixtures/replay/ (and the synthetic patterns of issue 13 in test/fixtures/replay-patterns/)
// is served by a replay host on loopback and scanned by `node bin/owa-audit.js scan`; each host's
// record must be what its transcript's truth states, within the request budget, with every
// foreign redirect refused by the scope guard (the out-of-scope sentinel sees nothing).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayDirectory, type ReplayResult } from '../tools/replay/run.js';
import { replayTable } from '../tools/replay/table.js';
import { STANDARD_MAX_REQUESTS } from '../src/scan/run-scan.js';

const CAPTURES = fileURLToPath(new URL('./fixtures/replay/', import.meta.url));
const PATTERNS = fileURLToPath(new URL('./fixtures/replay-patterns/', import.meta.url));

let dir: string;
const runs: Record<'captures' | 'patterns', ReplayResult | null> = { captures: null, patterns: null };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'owa-e2e-replay-'));
  // The CLI's day is pinned (OWA_AUDIT_NOW, vitest.config.ts): so is the authorisation's last day.
  const validUntil = '2026-12-31';
  runs.captures = await replayDirectory({
    dir: CAPTURES,
    base: '127.35.0.0',
    outDir: join(dir, 'captures'),
    validUntil,
  });
  runs.patterns = await replayDirectory({
    dir: PATTERNS,
    base: '127.36.0.0',
    outDir: join(dir, 'patterns'),
    validUntil,
  });
}, 240_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(['captures', 'patterns'] as const)('replayed %s', (which) => {
  const run = (): ReplayResult => {
    const r = runs[which];
    if (r === null) throw new Error('replay did not run');
    return r;
  };

  it('the built CLI scanned every host and exited 0', () => {
    expect(run().cliExitCode).toBe(0);
    expect(run().rows.every((r) => r.record !== null)).toBe(true);
  });

  it('every host gets the verdict its transcript states', () => {
    const failed = run().rows.filter((r) => r.problems.length > 0);
    expect(
      failed.map((r) => r.transcript.name),
      replayTable(run()),
    ).toEqual([]);
  });

  it('at most five requests per host, as the fleet counted them, and the scanner counted the same', () => {
    for (const row of run().rows) {
      const counted = run().requestsByIp.get(row.ip) ?? 0;
      expect(counted, row.transcript.name).toBeLessThanOrEqual(STANDARD_MAX_REQUESTS);
      expect(row.record?.requests, row.transcript.name).toBe(counted);
    }
  });

  it('never connects to an address outside the scope (AD FS, Microsoft sign-in resolve there)', () => {
    expect(run().sentinelConnections).toBe(0);
    const refused = run().rows.flatMap((r) =>
      (r.record?.evidence ?? []).filter((e) => e.signal === 'redirect-out-of-scope'),
    );
    expect(refused.length).toBeGreaterThan(0);
    for (const e of refused) expect(e.value).toMatch(/\(not followed: .* is not in any scope\.include range/);
  });

  it('lists exactly the hosts that presented as Exchange and failed corroboration for an analyst', async () => {
    const html = await readFile(join(run().runDir, 'report.html'), 'utf8');
    const section = html.slice(html.indexOf('id="imitations"'));
    const suspected = run().rows.filter((r) => r.transcript.expect.signals?.includes('imitation-suspected'));
    expect(suspected.length).toBeGreaterThan(0);
    expect(html).toContain('id="imitations"');
    for (const r of run().rows) {
      const listed = section.includes(`${r.ip}:18443`);
      const expected = r.record?.evidence.some((e) => e.signal === 'imitation-suspected') === true;
      expect(listed, r.transcript.name).toBe(expected);
    }
    for (const r of suspected) expect(section, r.transcript.name).toContain(`${r.ip}:18443`);
  });
});
