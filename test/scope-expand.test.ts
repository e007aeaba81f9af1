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

const TODAY = '2026-11-27';
const AUTH =
  'authorisation: { by: ACME, reference: T-1, contact: sec@acme.example, valid_until: 2026-12-31 }\n';

const DNS: Record<string, string[]> = {
  'mail.acme.example': ['198.51.100.20'],
  'multi.acme.example': ['198.51.100.21', '198.51.100.22'],
  'internal.acme.example': ['10.0.0.1'],
  'fragile.acme.example': ['198.51.100.99'],
  'nodata.acme.example': [],
};
const resolver: Resolver = (name) => {
  const hit = DNS[name];
  return hit === undefined ? Promise.reject(new Error(`NXDOMAIN ${name}`)) : Promise.resolve(hit);
};

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'owa-scope-expand-'));
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

function show(item: TargetItem): string {
  if (item.kind === 'endpoint') {
    const e = item.endpoint;
    return `${endpointKey(e)}${e.owner === null ? '' : ` @${e.owner.name}`}`;
  }
  return `${item.code} ${endpointKey(item)} ${item.message}`;
}

async function expand(scan: ScanFile) {
  const source = expandTargets(scan, createScopeGuard(scan.scope, { resolver }));
  const out: string[] = [];
  for await (const item of source.items()) out.push(show(item));
  return { out, source };
}

describe('default expansion (no targets)', () => {
  it('walks include ranges minus exclude and built-in refusals, port-major, after the named hosts', async () => {
    const scan = await scanOf(`scope:
  include: [127.2.0.0/30, 127.2.0.9, "fd00::/126", mail.acme.example, dead.acme.example, internal.acme.example, fragile.acme.example, "*.acme.example"]
  exclude: [127.2.0.2, fragile.acme.example]
ports: [443, "http:80"]
owners:
  - { name: Lab, match: [127.2.0.0/30] }
  - { name: ACME, match: ["*.acme.example", "fd00::/64"] }
`);
    const { out, source } = await expand(scan);
    expect(out).toEqual([
      // names first, each name's endpoints spread over hosts by the interleaving window
      'https://198.51.100.20:443#mail.acme.example @ACME',
      'dns-error https://-:443#dead.acme.example dead.acme.example did not resolve: NXDOMAIN dead.acme.example',
      'out-of-scope https://10.0.0.1:443#internal.acme.example no address of internal.acme.example is in scope: 10.0.0.1 (internal.acme.example) is a private address, allowed only inside a scope.include range',
      'http://198.51.100.20:80#mail.acme.example @ACME',
      'dns-error http://-:80#dead.acme.example dead.acme.example did not resolve: NXDOMAIN dead.acme.example',
      'out-of-scope http://10.0.0.1:80#internal.acme.example no address of internal.acme.example is in scope: 10.0.0.1 (internal.acme.example) is a private address, allowed only inside a scope.include range',
      // IPv4 ranges: all addresses on 443, then all on 80
      'https://127.2.0.0:443 @Lab',
      'https://127.2.0.1:443 @Lab',
      'https://127.2.0.3:443 @Lab',
      'https://127.2.0.9:443',
      'http://127.2.0.0:80 @Lab',
      'http://127.2.0.1:80 @Lab',
      'http://127.2.0.3:80 @Lab',
      'http://127.2.0.9:80',
      'https://[fd00::]:443 @ACME',
      'https://[fd00::1]:443 @ACME',
      'https://[fd00::2]:443 @ACME',
      'https://[fd00::3]:443 @ACME',
      'http://[fd00::]:80 @ACME',
      'http://[fd00::1]:80 @ACME',
      'http://[fd00::2]:80 @ACME',
      'http://[fd00::3]:80 @ACME',
    ]);
    expect(source.warnings).toEqual([
      'scope.include[7] *.acme.example: a wildcard cannot be expanded into targets; list the names to probe under targets',
    ]);
    // 4 + 4 addresses and 3 names (the excluded one does not count), on 2 ports
    expect(source.estimateTotal()).toBe(22);
  });

  it('never yields a never-address, even from an include range that contains it', async () => {
    const scan = await scanOf('scope:\n  include: [223.255.255.254/31, 224.0.0.0/31]\n');
    const { out, source } = await expand(scan);
    expect(out).toEqual(['https://223.255.255.254:443', 'https://223.255.255.255:443']);
    expect(source.estimateTotal()).toBe(2);
  });
});

describe('listed targets', () => {
  it('expands each entry once per endpoint, with ports from the entry, the file or the scan', async () => {
    const scan = await scanOf(
      `scope:
  include: [127.2.0.0/24, "*.acme.example"]
  exclude: [127.2.0.66, fragile.acme.example]
targets:
  - 127.2.0.0/30
  - 127.2.0.1
  - 127.2.0.1:8443
  - mail.acme.example
  - MAIL.acme.example.
  - mail.acme.example:8080
  - fragile.acme.example
  - 127.2.0.66
  - file: found.txt
  - 127.2.0.0/29
ports: [443, "http:80"]
`,
      {
        'found.txt':
          '#masscan\nopen tcp 443 127.2.0.10 1\nopen tcp 443 127.2.0.10 2\nopen tcp 8081 127.2.0.11 3\nopen tcp 443 127.2.0.2 4\n',
      },
    );
    const { out, source } = await expand(scan);
    expect(out).toEqual([
      'https://127.2.0.0:443',
      'https://127.2.0.1:443',
      'https://127.2.0.2:443',
      'https://127.2.0.3:443',
      'http://127.2.0.0:80',
      'http://127.2.0.1:80',
      'http://127.2.0.2:80',
      'http://127.2.0.3:80',
      // singles in one window, round-robin over hosts
      'https://127.2.0.1:8443',
      'https://198.51.100.20:443#mail.acme.example',
      'https://127.2.0.10:443',
      'https://127.2.0.11:8081',
      'http://198.51.100.20:80#mail.acme.example',
      'http://198.51.100.20:8080#mail.acme.example',
      // the second range: only what the first did not cover, and not 127.2.0.66 (excluded)
      'https://127.2.0.4:443',
      'https://127.2.0.5:443',
      'https://127.2.0.6:443',
      'https://127.2.0.7:443',
      'http://127.2.0.4:80',
      'http://127.2.0.5:80',
      'http://127.2.0.6:80',
      'http://127.2.0.7:80',
    ]);
    expect(source.warnings).toEqual(['2 listed target(s) skipped: covered by scope.exclude']);
    expect(source.estimateTotal()).toBeNull();
  });

  it('does not leave the same address back to back when a file lists it port after port', async () => {
    const lines = ['#masscan'];
    for (let i = 1; i <= 5; i++)
      for (const port of [443, 80, 8443]) lines.push(`open tcp ${port} 127.2.1.${i} 1`);
    const scan = await scanOf('scope:\n  include: [127.2.1.0/24]\ntargets:\n  - file: ports.txt\n', {
      'ports.txt': lines.join('\n'),
    });
    const { out } = await expand(scan);
    expect(out).toHaveLength(15);
    const ips = out.map((s) => /\/\/([^:]+):/.exec(s)?.[1]);
    for (let i = 1; i < ips.length; i++) expect(ips[i]).not.toBe(ips[i - 1]);
    expect(new Set(out).size).toBe(15);
  });

  it('gives an unresolvable or out-of-scope name one unprobeable item per port', async () => {
    const scan = await scanOf(
      'scope:\n  include: ["*.acme.example"]\ntargets:\n  - nodata.acme.example\n  - internal.acme.example:8443\n  - multi.acme.example\n',
    );
    const { out, source } = await expand(scan);
    expect(out).toEqual([
      'dns-error https://-:443#nodata.acme.example nodata.acme.example has no A or AAAA records',
      'out-of-scope https://10.0.0.1:8443#internal.acme.example no address of internal.acme.example is in scope: 10.0.0.1 (internal.acme.example) is a private address, allowed only inside a scope.include range',
      'https://198.51.100.21:443#multi.acme.example',
      'https://198.51.100.22:443#multi.acme.example',
    ]);
    expect(source.estimateTotal()).toBe(3);
  });

  it('estimates inline targets without reading anything', async () => {
    const scan = await scanOf(
      'scope:\n  include: [127.2.0.0/24, 127.2.2.0/24]\n  exclude: [127.2.0.1]\ntargets: [127.2.0.0/29, 127.2.0.4/30, 127.2.2.1, 127.2.2.2:8443]\nports: [443, 80]\n',
    );
    const source = expandTargets(scan, createScopeGuard(scan.scope, { resolver }));
    // /29 minus one excluded = 7 addresses × 2 ports; the /30 is inside the /29; one IP × 2; one IP:port
    expect(source.estimateTotal()).toBe(17);
    const { out } = await expand(scan);
    expect(out).toHaveLength(17);
  });

  it('starts afresh on each pass', async () => {
    const scan = await scanOf('scope:\n  include: [127.2.3.0/30]\n');
    const source = expandTargets(scan, createScopeGuard(scan.scope, { resolver }));
    const count = async () => {
      let n = 0;
      for await (const _ of source.items()) n++;
      return n;
    };
    expect(await count()).toBe(4);
    expect(await count()).toBe(4);
  });
});

describe('guards against misuse', () => {
  it('refuses to walk an IPv6 include range wider than /112 by default, even for a hand-built ScanFile', async () => {
    const scan = await scanOf('scope:\n  include: [mail.acme.example]\n');
    const wide: ScanFile = {
      ...scan,
      scope: {
        include: [{ kind: 'cidr', text: '2001:db8::/64', network: '2001:db8::', prefix: 64, family: 6 }],
        exclude: [],
        expectedAddresses: null,
      },
    };
    const source = expandTargets(wide, createScopeGuard(wide.scope, { resolver }));
    await expect(expand(wide)).rejects.toThrow('2001:db8::/64 is too wide to walk as the default target set');
    expect(source.warnings).toEqual([]);
  });

  it('skips, and says so, listed targets outside the scope when the pre-flight was not run', async () => {
    const scan = await scanOf('scope:\n  include: [127.2.7.0/24]\n');
    const unchecked: ScanFile = {
      ...scan,
      targets: [
        { kind: 'inline', value: '127.2.8.1', source: { file: 'x.yaml', line: 1, field: 'targets[0]' } },
        { kind: 'inline', value: '127.2.6.0/23', source: { file: 'x.yaml', line: 2, field: 'targets[1]' } },
      ],
    };
    const source = expandTargets(unchecked, createScopeGuard(unchecked.scope, { resolver }));
    let n = 0;
    for await (const item of source.items()) {
      if (item.kind !== 'endpoint' || !item.endpoint.ip.startsWith('127.2.7.'))
        throw new Error(`out of scope: ${show(item)}`);
      n++;
    }
    expect(n).toBe(256);
    expect(source.warnings).toEqual([
      '2 listed target(s) outside the scope: skipped, or ranges trimmed to the scope',
    ]);
  });

  it('ignores a byte-order mark at the start of a targets file', async () => {
    const scan = await scanOf('scope:\n  include: [127.2.6.0/24]\ntargets:\n  - file: bom.txt\n', {
      'bom.txt': '\uFEFF127.2.6.1\n',
    });
    expect((await expand(scan)).out).toEqual(['https://127.2.6.1:443']);
  });
});
