import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScanFile } from '../src/scope/load.js';
import { localToday } from '../src/core/time.js';
import { listTargets } from '../src/scanfile/listed.js';
import { PROBE_DEFAULTS } from '../src/scanfile/types.js';
import { scanFileSchema, knownKeysAt } from '../src/scanfile/schema.js';

const FIX = join(import.meta.dirname, 'fixtures', 'scanfile');
const SCANS = join(import.meta.dirname, '..', 'scans');
const TODAY = '2026-11-27';
const display = (p: string) => relative(process.cwd(), p);

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'owa-scanfile-load-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadScanFile: a complete scan file', () => {
  it('parses every field into the camelCase ScanFile with source positions', async () => {
    const path = join(FIX, 'full.yaml');
    const scan = await loadScanFile(path, { today: TODAY });
    const file = display(path);
    expect(scan.path).toBe(path);
    expect(scan.source).toContain('name: acme-perimeter');
    expect(scan.name).toBe('acme-perimeter');
    expect(scan.authorisation).toEqual({
      by: 'ACME Corp IT Security',
      reference: 'SEC-2026-114',
      contact: 'security@acme.example',
      validUntil: '2026-12-31',
    });
    expect(scan.scope).toEqual({
      include: [
        { kind: 'cidr', text: '203.0.113.0/28', network: '203.0.113.0', prefix: 28, family: 4 },
        { kind: 'host', text: 'mail.acme.example', name: 'mail.acme.example' },
        { kind: 'wildcard', text: '*.acme.example', suffix: 'acme.example' },
        { kind: 'cidr', text: '2001:db8:5::/120', network: '2001:db8:5::', prefix: 120, family: 6 },
        { kind: 'ip', text: '::ffff:198.51.100.9', address: '198.51.100.9', family: 4 },
      ],
      exclude: [{ kind: 'ip', text: '203.0.113.7', address: '203.0.113.7', family: 4 }],
      expectedAddresses: null,
    });
    expect(scan.targets).toEqual([
      { kind: 'inline', value: 'mail.acme.example', source: { file, line: 11, field: 'targets[0]' } },
      { kind: 'inline', value: '203.0.113.5:8443', source: { file, line: 12, field: 'targets[1]' } },
      {
        kind: 'file',
        path: join(FIX, 'plain-in-scope.txt'),
        source: { file, line: 13, field: 'targets[2].file' },
      },
    ]);
    expect(scan.ports).toEqual([
      { port: 443, scheme: 'https' },
      { port: 80, scheme: 'http' },
      { port: 8080, scheme: 'http' },
      { port: 8081, scheme: 'https' },
    ]);
    expect(scan.owners).toEqual([
      {
        name: 'ACME Ltd',
        contact: 'soc@acme.example',
        match: [
          { kind: 'cidr', text: '203.0.113.0/28', network: '203.0.113.0', prefix: 28, family: 4 },
          { kind: 'wildcard', text: '*.acme.example', suffix: 'acme.example' },
        ],
      },
      {
        name: 'Nobody In Particular',
        contact: null,
        match: [{ kind: 'ip', text: '198.51.100.9', address: '198.51.100.9', family: 4 }],
      },
    ]);
    expect(scan.probe).toEqual({
      rate: 2.5,
      concurrency: 8,
      hostGapMs: 0,
      timeoutMs: 1500,
      mode: 'thorough',
      resolvers: ['127.2.0.53', '127.2.0.53:15353', '[::1]:53'],
    });
  });

  it('applies every default to a minimal file', async () => {
    const scan = await loadScanFile(join(FIX, 'minimal.yaml'), { today: TODAY });
    expect(scan.name).toBe('minimal');
    expect(scan.scope.exclude).toEqual([]);
    expect(scan.targets).toEqual([]);
    expect(scan.ports).toEqual([{ port: 443, scheme: 'https' }]);
    expect(scan.owners).toEqual([]);
    expect(scan.probe).toEqual(PROBE_DEFAULTS);
    expect(scan.probe.resolvers).not.toBe(PROBE_DEFAULTS.resolvers);
  });

  it('accepts a scan on the last day of its authorisation', async () => {
    await expect(loadScanFile(join(FIX, 'minimal.yaml'), { today: '2026-12-31' })).resolves.toMatchObject({
      name: 'minimal',
    });
    await expect(loadScanFile(join(FIX, 'minimal.yaml'), { today: '2027-01-01' })).rejects.toThrow(
      'expired on 2026-12-31',
    );
  });

  it('reads a YAML 1.1 timestamp as the date it is', async () => {
    const p = join(dir, 'yaml11.yaml');
    await writeFile(
      p,
      '%YAML 1.1\n---\nauthorisation: { by: a, reference: b, contact: c@d.example, valid_until: 2026-12-31 }\nscope: { include: [mail.acme.example] }\n',
    );
    expect((await loadScanFile(p, { today: TODAY })).authorisation.validUntil).toBe('2026-12-31');
  });

  it('derives a safe name from the file name when name is absent', async () => {
    const p = join(dir, '..weird name!.yaml');
    await writeFile(
      p,
      'authorisation: { by: a, reference: b, contact: c@d.example, valid_until: 2026-12-31 }\nscope: { include: [mail.acme.example] }\n',
    );
    expect((await loadScanFile(p, { today: TODAY })).name).toBe('weird-name-');
  });

  it('only checks that targets files are readable when asked not to read them', async () => {
    const p = join(dir, 'lazy.yaml');
    await writeFile(join(dir, 'bad-lines.txt'), 'not a target at all\n');
    await writeFile(
      p,
      'authorisation: { by: a, reference: b, contact: c@d.example, valid_until: 2026-12-31 }\nscope: { include: [203.0.113.0/24] }\ntargets: [{ file: bad-lines.txt }]\n',
    );
    await expect(loadScanFile(p, { today: TODAY, readTargetFiles: false })).resolves.toMatchObject({
      name: 'lazy',
    });
    await expect(loadScanFile(p, { today: TODAY })).rejects.toThrow('not a target');
  });

  it('uses the local calendar date by default', () => {
    expect(localToday(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
    expect(localToday()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('keeps the "did you mean" key tables in step with the schema', () => {
    const top = scanFileSchema(TODAY).shape;
    expect([...knownKeysAt([])].sort()).toEqual(Object.keys(top).sort());
    expect([...knownKeysAt(['probe'])].sort()).toEqual(Object.keys(top.probe.unwrap().shape).sort());
    expect([...knownKeysAt(['owners', 0])].sort()).toEqual(
      Object.keys(top.owners.unwrap().element.shape).sort(),
    );
    expect([...knownKeysAt(['authorisation'])].sort()).toEqual(Object.keys(top.authorisation.shape).sort());
    expect([...knownKeysAt(['scope'])].sort()).toEqual(Object.keys(top.scope.shape).sort());
  });
});

describe('the example scan files', () => {
  it.each(['org-perimeter.yaml', 'cert-constituency.yaml', 'demo.yaml'])(
    '%s loads and is in scope',
    async (name) => {
      const scan = await loadScanFile(join(SCANS, name), { today: TODAY });
      expect(scan.authorisation.validUntil >= TODAY).toBe(true);
    },
  );

  it('demo.yaml authorises 127.100.0.0/16 on 443 and http:80 well into the future', async () => {
    const scan = await loadScanFile(join(SCANS, 'demo.yaml'), { today: TODAY });
    expect(scan.scope.include).toEqual([
      { kind: 'cidr', text: '127.100.0.0/16', network: '127.100.0.0', prefix: 16, family: 4 },
    ]);
    expect(scan.ports).toEqual([
      { port: 443, scheme: 'https' },
      { port: 80, scheme: 'http' },
    ]);
    expect(scan.authorisation.validUntil >= '2090-01-01').toBe(true);
  });

  it('cert-constituency.yaml reads its masscan file with the discovered ports', async () => {
    const scan = await loadScanFile(join(SCANS, 'cert-constituency.yaml'), { today: TODAY });
    const listed: string[] = [];
    for await (const l of listTargets(scan))
      if (l.target.kind === 'ip') listed.push(`${l.target.ip}:${l.target.port}`);
    expect(listed).toContain('198.51.100.61:8443');
    expect(listed).toContain('2001:db8:100::25:443');
    expect(listed.length).toBe(9);
    expect(scan.owners.map((o) => o.name)).toEqual([
      'Example Municipality',
      'Example Regional Hospital',
      'Example University',
    ]);
  });
});
