// `owa-audit scan` through the built CLI: bad input is refused with exit status 2, one message
// naming file, line and field, and not a single connection; a good scan writes its run directory;
// Ctrl-C stops cleanly and --resume finishes the run.
import { createServer, type Server } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../src/fleet/index.js';
import type { ResultRecord } from '../src/core/result-schema.js';
import { runCli, startCli } from './helpers/cli.js';

const LISTENER = { ip: '127.31.0.1', port: 18443 };
let dir: string;
let listener: Server;
let connections = 0;

function scanFile(body: {
  authorisation?: string;
  scope?: string;
  targets?: string;
  extra?: string;
}): string {
  return [
    'name: cli-test',
    body.authorisation ??
      `authorisation:
  by: test
  reference: T-1
  contact: test@example.org
  valid_until: 2099-12-31`,
    body.scope ?? `scope:\n  include: [127.31.0.0/24]`,
    body.targets ?? `targets:\n  - "${LISTENER.ip}"`,
    `ports: [${LISTENER.port}]`,
    body.extra ?? '',
  ].join('\n');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'owa-cli-scan-'));
  listener = createServer((s) => {
    connections += 1;
    s.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(LISTENER.port, LISTENER.ip, resolve));
});

afterAll(async () => {
  await new Promise((resolve) => listener.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('bad input: exit status 2, file/line/field named, nothing sent', () => {
  const cases: { name: string; text: string; message: RegExp }[] = [
    {
      name: 'unknown key',
      text: scanFile({ extra: 'probe:\n  rates: 5' }),
      message: /bad\.yaml:\d+: probe\.rates: .*rate/,
    },
    {
      name: 'bad CIDR',
      text: scanFile({ scope: 'scope:\n  include: [127.31.0.0/33]' }),
      message: /bad\.yaml:\d+: scope\.include\[0\]/,
    },
    {
      name: 'missing authorisation',
      text: scanFile({ authorisation: '' }),
      message: /bad\.yaml:\d+: authorisation/,
    },
    {
      name: 'expired authorisation',
      text: scanFile({
        authorisation:
          'authorisation:\n  by: t\n  reference: r\n  contact: c@example.org\n  valid_until: 2020-01-01',
      }),
      message: /bad\.yaml:\d+: authorisation\.valid_until: .*2020-01-01/,
    },
    {
      name: 'unreadable targets file',
      text: scanFile({ targets: 'targets:\n  - file: does-not-exist.txt' }),
      message: /bad\.yaml:\d+: targets\[0\]\.file: .*does-not-exist\.txt/,
    },
    {
      name: 'target outside the scope',
      text: scanFile({ targets: `targets:\n  - "${LISTENER.ip}"\n  - 127.32.0.9` }),
      message: /bad\.yaml:\d+: targets\[1\]: .*127\.32\.0\.9/,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const file = join(dir, 'bad.yaml');
      await writeFile(file, c.text);
      const before = connections;
      const r = await runCli(['scan', file, '--out', join(dir, `run-${c.name.replace(/\W+/g, '-')}`)]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(c.message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
      expect(connections).toBe(before);
    });
  }

  it('refuses a bad --rate and contradictory options', async () => {
    const file = join(dir, 'good.yaml');
    await writeFile(file, scanFile({}));
    const rate = await runCli(['scan', file, '--rate', '0']);
    expect(rate.code).toBe(2);
    expect(rate.stderr).toMatch(/--rate/);
    const both = await runCli(['scan', file, '--resume', dir]);
    expect(both.code).toBe(2);
    expect(connections).toBe(0);
  });
});

describe('a scan through the CLI', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    const hosts = Array.from({ length: 30 }, (_, i) => ({
      ip: `127.33.0.${i + 1}`,
      profile:
        i % 3 === 0
          ? ('ex2019-cu14-apr24hu' as const)
          : i % 3 === 1
            ? ('ex2016-cu23-jan23su' as const)
            : ('iis-default' as const),
      ports: [{ port: 18443, scheme: 'https' as const }],
    }));
    fleet = await startFleet({ hosts, lifetimeMs: 120_000 });
  });
  afterAll(async () => {
    await fleet.stop();
  });

  const fleetScan = (rate: number): string =>
    [
      'name: cli-fleet',
      'authorisation: {by: test, reference: T-2, contact: test@example.org, valid_until: 2099-12-31}',
      'scope: {include: [127.33.0.0/27]}',
      `targets: [${Array.from({ length: 30 }, (_, i) => `"127.33.0.${i + 1}"`).join(', ')}]`,
      'ports: [18443]',
      `probe: {rate: ${rate}, concurrency: 4, host_gap_ms: 10, timeout_ms: 3000}`,
    ].join('\n');

  it('--json prints only records on stdout, one per endpoint; run.json records the data version', async () => {
    const file = join(dir, 'fleet.yaml');
    await writeFile(file, fleetScan(500));
    const out = join(dir, 'run-json');
    const r = await runCli(['scan', file, '--out', out, '--json'], {
      env: { PUPPETEER_EXECUTABLE_PATH: '/nonexistent' },
    });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(30);
    const records = lines.map((l) => JSON.parse(l) as ResultRecord);
    expect([...new Set(records.map((x) => x.schema))]).toEqual(['owa-audit/result@1']);
    expect(records.filter((x) => x.status === 'exchange')).toHaveLength(20);
    const run = JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as {
      state: string;
      data: { version: string };
    };
    expect(run.state).toBe('finished');
    expect(run.data.version).toMatch(/^\d{4}-\d{2}-\d{2}\+[0-9a-f]+$/);
    expect(r.stderr).toMatch(/report: .*report\.html/);
  });

  it('Ctrl-C stops cleanly and says how to resume; --resume finishes without probing finished endpoints again', async () => {
    const file = join(dir, 'slow.yaml');
    await writeFile(file, fleetScan(10)); // ~3 requests per endpoint at 10/s: the scan takes seconds
    const out = join(dir, 'run-int');
    fleet.requestLog.reset();
    const first = startCli(['scan', file, '--out', out], {
      env: { PUPPETEER_EXECUTABLE_PATH: '/nonexistent' },
    });
    await first.waitForStderr(/run directory/);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    first.child.kill('SIGINT');
    const stopped = await first.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain(`owa-audit scan --resume ${out}`);
    const partial = (await readFile(join(out, 'results.jsonl'), 'utf8')).trim().split('\n').filter(Boolean);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(30);
    const done = new Set(partial.map((l) => (JSON.parse(l) as ResultRecord).ip));
    const requestsBefore = new Map([...done].map((ip) => [ip, fleet.requestLog.count(ip ?? '')]));

    const second = await runCli(['scan', '--resume', out], {
      env: { PUPPETEER_EXECUTABLE_PATH: '/nonexistent' },
    });
    expect(second.code, second.stderr).toBe(0);
    const all = (await readFile(join(out, 'results.jsonl'), 'utf8')).trim().split('\n');
    expect(all).toHaveLength(30);
    expect(new Set(all.map((l) => (JSON.parse(l) as ResultRecord).ip)).size).toBe(30);
    for (const [ip, n] of requestsBefore)
      expect(fleet.requestLog.count(ip ?? ''), `${ip} probed again`).toBe(n);
  }, 60_000);
});
