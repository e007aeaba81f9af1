// `owa-audit scan --dry-run` through the built CLI: the plan lists exactly the endpoints a real
// scan of the same file then probes, counts names that cannot be probed, says how long the scan
// would take, and sends nothing to any target (listeners on the in-scope addresses count every
// connection). DNS goes to a test server on loopback.
import { createServer, type Server } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultRecord } from '../src/core/result-schema.js';
import { humanDuration, planText } from '../src/scan/plan-text.js';
import { planDuration, planScan } from '../src/scan/plan-scan.js';
import { existsSync } from 'node:fs';
import { runCli } from './helpers/cli.js';
import { startDnsServer, type TestDnsServer } from './helpers/scope-dns.js';

const PORT = 18443;
const HTTP_PORT = 18080;
const HOSTS = ['127.34.0.1', '127.34.0.2', '127.34.0.3'];
let dir: string;
let dns: TestDnsServer;
const listeners: Server[] = [];
let connections = 0;

function scanText(extra = ''): string {
  return `name: plan-test
authorisation:
  by: Test Org
  reference: PLAN-1
  contact: sec@test.example
  valid_until: 2099-12-31
scope:
  include: [127.34.0.0/24, mail.plan.test, gone.plan.test]
targets: ["127.34.0.1", "127.34.0.2", "mail.plan.test", "gone.plan.test", "127.34.0.0/30"]
ports: [${PORT}, "http:${HTTP_PORT}"]
owners:
  - name: Alpha Ltd
    contact: soc@alpha.example
    match: [127.34.0.1]
probe:
  resolvers: ["127.34.0.53:15353"]
  rate: 100
  concurrency: 4
  host_gap_ms: 20
  timeout_ms: 1500
${extra}`;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'owa-dry-run-'));
  dns = await startDnsServer('127.34.0.53', 15353, { 'mail.plan.test': ['127.34.0.1'] });
  for (const ip of HOSTS) {
    for (const port of [PORT, HTTP_PORT]) {
      const server = createServer((s) => {
        connections += 1;
        s.destroy();
      });
      await new Promise<void>((resolve) => server.listen(port, ip, resolve));
      listeners.push(server);
    }
  }
  await writeFile(join(dir, 'plan.yaml'), scanText());
});

afterAll(async () => {
  for (const s of listeners) await new Promise((resolve) => s.close(resolve));
  await dns.close();
  await rm(dir, { recursive: true, force: true });
});

const key = (e: { scheme: string; ip: string | null; port: number; host: string | null }): string =>
  `${e.scheme}://${e.ip ?? '-'}:${e.port}#${e.host ?? ''}`;

describe('scan --dry-run', () => {
  it('prints the plan and sends nothing to any target', async () => {
    const r = await runCli(['scan', join(dir, 'plan.yaml'), '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Plan of scan "plan-test"');
    expect(r.stdout).toContain('nothing was sent to any target');
    expect(r.stdout).toContain('authorised by  Test Org, reference PLAN-1, valid until 2099-12-31');
    // .0–.3 from the /30 (with .1 and .2 listed bare too, counted once) and mail.plan.test → .1, on two ports.
    expect(r.stdout).toMatch(/endpoints {6}10 \(18443\/https 5 · 18080\/http 5\)/);
    expect(r.stdout).toContain(
      'no probe       1 name(s) that do not resolve (each still gets a record per port)',
    );
    expect(r.stdout).toMatch(/owners {9}Alpha Ltd 4; without owner 6/);
    expect(r.stdout).toContain('https://mail.plan.test:18443  (127.34.0.1)  owner Alpha Ltd');
    expect(connections).toBe(0);
  });

  it('--json lists exactly the endpoints a real scan of the same file then probes', async () => {
    const plan = await runCli(['scan', join(dir, 'plan.yaml'), '--dry-run', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(connections).toBe(0);
    const lines = plan.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown> & { kind: string });
    const last = lines.at(-1) as { kind: string; endpoints: number; items: number; complete: boolean };
    expect(last.kind).toBe('plan');
    expect(last.complete).toBe(true);
    const items = lines.slice(0, -1);
    expect(items).toHaveLength(last.items);
    const planned = items.map((i) => key(i as unknown as Parameters<typeof key>[0])).sort();
    expect(items.filter((i) => i.kind === 'endpoint')).toHaveLength(last.endpoints);

    const out = join(dir, 'real-run');
    const scan = await runCli(['scan', join(dir, 'plan.yaml'), '--out', out, '--no-history'], {
      timeoutMs: 60_000,
    });
    expect(scan.code, scan.stderr).toBe(0);
    const records = (await readFile(join(out, 'results.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ResultRecord);
    expect(records.map(key).sort()).toEqual(planned);
    expect(connections).toBeGreaterThan(0);
  }, 90_000);

  it('refuses --resume and --out, and bad input as a scan would (exit status 2, nothing sent)', async () => {
    const before = connections;
    const out = await runCli(['scan', join(dir, 'plan.yaml'), '--dry-run', '--out', join(dir, 'x')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--dry-run: .*no run directory/);
    await writeFile(join(dir, 'outside.yaml'), scanText().replace('"127.34.0.2"', '"127.35.0.2"'));
    const outside = await runCli(['scan', join(dir, 'outside.yaml'), '--dry-run']);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/outside\.yaml:\d+: targets\[1\]/);
    expect(connections).toBe(before);
  });
});

describe('a scope wider than a /8 (0.0.0.0/0)', () => {
  const world = (extra = ''): string =>
    `name: world\nauthorisation:\n  by: Test Org\n  reference: W-1\n  contact: sec@test.example\n  valid_until: 2099-12-31\nscope:\n  include: ["0.0.0.0/0"]\n${extra}`;
  const ACK = '  expected_addresses: 3741319168\n';

  it('is refused without the acknowledgement, by the dry run and by the scan (exit status 2, nothing sent)', async () => {
    await writeFile(join(dir, 'world.yaml'), world());
    const before = connections;
    const message =
      /world\.yaml:8: scope\.include\[0\]: the scope holds 3,741,319,168 IPv4 addresses .* write "expected_addresses: 3741319168" under scope/;
    const plan = await runCli(['scan', join(dir, 'world.yaml'), '--dry-run']);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toMatch(message);
    expect(plan.stdout).toBe('');
    const out = join(dir, 'world-run');
    const scan = await runCli(['scan', join(dir, 'world.yaml'), '--out', out, '--no-history']);
    expect(scan.code).toBe(2);
    expect(scan.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
    expect(connections).toBe(before);
  });

  it("plans it, once acknowledged, from the full count by the scope's own arithmetic", async () => {
    await writeFile(join(dir, 'world-ack.yaml'), world(ACK));
    const r = await runCli(['scan', join(dir, 'world-ack.yaml'), '--dry-run'], { timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'endpoints      5,000,000 counted, then stopped (partial) (443/https 5,000,000)',
    );
    expect(r.stdout).toContain("about 3,741,319,168 in all by the scope's own count");
    // 3,741,319,168 requests at 20/s is 5.9 years; five each, 29.6 years.
    expect(r.stdout).toContain(
      "duration       5.9 years to 29.6 years (for all 3,741,319,168 endpoints by the scope's own count, 1 to 5 requests per endpoint",
    );
  }, 90_000);

  it('the plan: duration from the scope count when the count stops, a lower bound when there is none', async () => {
    const acked = await planScan({
      scanPath: join(dir, 'world-ack.yaml'),
      limit: 1_000,
      today: '2026-11-27',
    });
    expect(acked).toMatchObject({
      complete: false,
      endpoints: 1_000,
      estimatedEndpoints: 3_741_319_168,
      durationBasis: 'scope',
      durationEndpoints: 3_741_319_168,
    });
    expect(acked.duration).toEqual(planDuration(3_741_319_168, 1, acked.settings));

    const whole = await planScan({ scanPath: join(dir, 'plan.yaml'), today: '2026-11-27' });
    expect(whole).toMatchObject({
      complete: true,
      durationBasis: 'counted',
      durationEndpoints: whole.endpoints,
    });

    // Targets from a file: no arithmetic, so a stopped count is only a lower bound, and says so.
    await writeFile(
      join(dir, 'ten.txt'),
      Array.from({ length: 10 }, (_, i) => `127.34.1.${i + 1}`).join('\n'),
    );
    await writeFile(
      join(dir, 'file.yaml'),
      world().replace('include: ["0.0.0.0/0"]', 'include: [127.34.1.0/24]') + 'targets:\n  - file: ten.txt\n',
    );
    const partial = await planScan({ scanPath: join(dir, 'file.yaml'), limit: 4, today: '2026-11-27' });
    expect(partial).toMatchObject({
      complete: false,
      estimatedEndpoints: null,
      durationBasis: 'partial',
      durationEndpoints: 4,
    });
    expect(planText(partial, [])).toMatch(/duration {7}at least 2 s \(for the 4 endpoints counted, /);
  });

  it('a real scan of a wide scope runs only once acknowledged', async () => {
    const wide = (extra: string): string =>
      world(extra).replace('include: ["0.0.0.0/0"]', 'include: [126.0.0.0/7]') +
      `targets: ["127.34.0.3"]\nports: [${PORT}]\nprobe:\n  timeout_ms: 1500\n  host_gap_ms: 20\n`;
    await writeFile(join(dir, 'wide.yaml'), wide(''));
    await writeFile(join(dir, 'wide-ack.yaml'), wide('  expected_addresses: 33554432\n'));
    const before = connections;
    const refused = await runCli([
      'scan',
      join(dir, 'wide.yaml'),
      '--out',
      join(dir, 'wide-run'),
      '--no-history',
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /wide\.yaml:8: scope\.include\[0\]: the scope holds 33,554,432 IPv4 addresses/,
    );
    expect(connections).toBe(before);
    const ran = await runCli(
      ['scan', join(dir, 'wide-ack.yaml'), '--out', join(dir, 'wide-ack-run'), '--no-history'],
      { timeoutMs: 60_000, env: { PUPPETEER_EXECUTABLE_PATH: '/nonexistent' } },
    );
    expect(ran.code, ran.stderr).toBe(0);
    expect(connections).toBeGreaterThan(before);
  }, 90_000);
});

describe('the duration estimate', () => {
  const settings = {
    rate: 20,
    concurrency: 64,
    hostGapMs: 500,
    timeoutMs: 10_000,
    mode: 'standard' as const,
    maxRequestsPerEndpoint: 5,
  };

  it('bounds the time by the rate, the per-address gap and the timeouts', () => {
    const d = planDuration(12_000, 2, settings);
    expect(d.fastestSeconds).toBe(600); // 12,000 requests at 20/s
    expect(d.slowestSeconds).toBe(3_000); // 5 requests each
    expect(d.allTimeOutSeconds).toBe(1_875); // 12,000 / 64 × 10 s
    expect(d.busiestAddressSeconds).toBe(4.5); // 9 gaps of 500 ms
    expect(planDuration(0, 0, settings).busiestAddressSeconds).toBe(0);
  });

  it('reads as people say it', () => {
    expect(humanDuration(0.2)).toBe('1 s');
    expect(humanDuration(59)).toBe('59 s');
    expect(humanDuration(600)).toBe('10 min');
    expect(humanDuration(3_000)).toBe('50 min');
    expect(humanDuration(3_600 * 3 + 1_200)).toBe('3 h 20 min');
    expect(humanDuration(86_400 * 2 + 3_600 * 4)).toBe('2 d 4 h');
    expect(humanDuration(86_400 * 364)).toBe('364 d');
    expect(humanDuration(3_741_319_168 / 20)).toBe('5.9 years');
  });
});
