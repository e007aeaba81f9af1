import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectTargetFormat, readTargetFile, TargetLineError } from '../src/scanfile/target-file.js';
import type { ParsedTarget } from '../src/scanfile/targets.js';
import { parseTarget } from '../src/scanfile/targets.js';

const FIX = join(import.meta.dirname, 'fixtures', 'scanfile');

function short(t: ParsedTarget): string {
  if (t.kind === 'cidr') return t.text;
  const base = t.kind === 'host' ? t.name : t.family === 6 ? `[${t.ip}]` : t.ip;
  return t.port === null ? base : `${base}:${t.port}`;
}

async function read(path: string): Promise<string[]> {
  const out: string[] = [];
  for await (const t of readTargetFile(path)) out.push(`${t.line} ${short(t.target)}`);
  return out;
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'owa-scanfile-tf-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('target file formats', () => {
  it('masscan -oL: open TCP ports only, with the port discovered', async () => {
    expect(await read(join(FIX, 'masscan-list.txt'))).toEqual([
      '2 203.0.113.5:443',
      '3 203.0.113.5:80',
      '7 203.0.113.9:8443',
      '8 [2001:db8:5::10]:443',
      '9 203.0.113.5:443',
    ]);
  });

  it('masscan -oJ as written by masscan 1.3 (comma lines, banner records, closed ports)', async () => {
    expect(await read(join(FIX, 'masscan-new.json'))).toEqual([
      '2 203.0.113.5:443',
      '4 203.0.113.6:8080',
      '6 203.0.113.6:8080',
    ]);
  });

  it('masscan -oJ as written by old versions (trailing commas, {finished: 1}, several ports)', async () => {
    expect(await read(join(FIX, 'masscan-old.json'))).toEqual([
      '2 203.0.113.5:443',
      '3 203.0.113.10:443',
      '3 203.0.113.10:80',
    ]);
  });

  it('masscan -oD (one JSON object per line)', async () => {
    expect(await read(join(FIX, 'masscan-ndjson.json'))).toEqual(['1 203.0.113.11:443']);
  });

  it('ZMap CSV with a saddr header, honouring sport and success', async () => {
    expect(await read(join(FIX, 'zmap.csv'))).toEqual(['2 203.0.113.5:443', '4 203.0.113.13:443']);
    expect(await read(join(FIX, 'zmap-saddr-only.csv'))).toEqual(['2 203.0.113.1', '3 203.0.113.2']);
  });

  it('ZMap CSV read as RFC 4180: quoted headers and fields, commas inside quotes', async () => {
    // ZMap quotes text fields (e.g. a classification with a comma); split on commas by hand, this
    // row's columns shifted and it was dropped as a failure.
    const file = join(dir, 'zmap-quoted.csv');
    await writeFile(
      file,
      '"saddr","sport","classification","success"\n' +
        '"203.0.113.5","443","synack, retransmitted","1"\n' +
        '203.0.113.6,8443,"rst",0\n' +
        '"203.0.113.7",443,"say ""hi""",1\n',
    );
    expect(await read(file)).toEqual(['2 203.0.113.5:443', '4 203.0.113.7:443']);
    expect(detectTargetFormat('"saddr","sport"')).toBe('zmap-csv');
  });

  it('a bare ZMap list of IPs and a hand-written plain file', async () => {
    expect(await read(join(FIX, 'zmap-bare.txt'))).toEqual(['1 203.0.113.5', '2 203.0.113.14']);
    expect(await read(join(FIX, 'plain.txt'))).toEqual([
      '2 mail.acme.example',
      '3 203.0.113.5',
      '4 203.0.113.8:8443',
      '5 [2001:db8:5::20]:443',
      '6 [2001:db8:5::21]',
      '7 203.0.113.0/30',
      '9 owa.acme.example:444',
    ]);
  });

  it('recognises formats from the first meaningful line', () => {
    expect(detectTargetFormat('#masscan')).toBe('masscan-list');
    expect(detectTargetFormat('open tcp 443 1.2.3.4 1')).toBe('masscan-list');
    expect(detectTargetFormat('[')).toBe('masscan-json');
    expect(detectTargetFormat('saddr,sport')).toBe('zmap-csv');
    expect(detectTargetFormat('203.0.113.5')).toBe('plain');
  });

  it('reads a file without a final newline, with CRLF endings', async () => {
    const p = join(dir, 'crlf.txt');
    await writeFile(p, '203.0.113.1\r\n203.0.113.2');
    expect(await read(p)).toEqual(['1 203.0.113.1', '2 203.0.113.2']);
  });
});

describe('lines that parse as nothing', () => {
  async function lineError(name: string, content: string): Promise<TargetLineError> {
    const p = join(dir, name);
    await writeFile(p, content);
    try {
      await read(p);
    } catch (e) {
      if (e instanceof TargetLineError) return e;
      throw e;
    }
    throw new Error('no error');
  }

  it.each([
    [
      'plain.txt',
      '203.0.113.1\n\nnot a target!\n',
      3,
      'not a target: "not a target!" contains whitespace; list one target per entry',
    ],
    ['plain2.txt', '203.0.113.1\n999.1.1.1\n', 2, 'not a target: "999.1.1.1" is not a valid IPv4 address'],
    [
      'plain3.txt',
      '*.acme.example\n',
      1,
      'not a target: "*.acme.example": wildcards match names but cannot be enumerated; list the names to probe',
    ],
    [
      'ml.txt',
      '#masscan\nopen tcp 443 203.0.113.1 1\nopen tcp 443\n',
      3,
      'not a masscan -oL line ("open tcp <port> <ip> <time>"): "open tcp 443"',
    ],
    ['ml2.txt', 'open tcp 70000 203.0.113.1 1\n', 1, 'masscan -oL: 70000 is not a port'],
    [
      'mj.json',
      '[\n{"ip": "203.0.113.1", "ports": [{"port": 443}]}\n{broken\n]\n',
      3,
      'not a masscan -oJ record: "{broken"',
    ],
    [
      'mj2.json',
      '[\n{"ip": "nope", "ports": [{"port": 443}]}\n]\n',
      2,
      'masscan -oJ: "nope" is not an IP address',
    ],
    [
      'zm.csv',
      'saddr,sport\n203.0.113.1,443\n203.0.113.300,443\n',
      3,
      'ZMap CSV saddr: "203.0.113.300" is not an IP address',
    ],
    [
      'zm-quote.csv',
      'saddr,sport\n203.0.113.1,443\n"203.0.113.2,443\n',
      3,
      'ZMap CSV: a quoted field is not closed: ""203.0.113.2,443"',
    ],
  ])('%s', async (name, content, line, message) => {
    const e = await lineError(name, content);
    expect(e.line).toBe(line);
    expect(e.message).toBe(message);
  });

  it('refuses an endless line instead of buffering it', async () => {
    const e = await lineError('binary.bin', `203.0.113.1\n${'x'.repeat((1 << 20) + 10)}`);
    expect(e.line).toBe(2);
    expect(e.message).toContain('longer than');
  });

  it('passes file-system errors through with what the OS said', async () => {
    await expect(read(join(dir, 'missing.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('inline target syntax', () => {
  it.each([
    ['mail.acme.example', 'mail.acme.example'],
    ['mail.acme.example:8443', 'mail.acme.example:8443'],
    ['203.0.113.5:443', '203.0.113.5:443'],
    ['[2001:db8::1]:443', '[2001:db8::1]:443'],
    ['[2001:db8::1]', '[2001:db8::1]'],
    ['2001:db8::1', '[2001:db8::1]'],
    ['::ffff:203.0.113.5', '203.0.113.5'],
    ['203.0.113.0/28', '203.0.113.0/28'],
  ])('%s', (text, expected) => {
    const r = parseTarget(text);
    expect(r.ok && short(r.value)).toBe(expected);
  });

  it.each([
    ['mail.acme.example:0', '"mail.acme.example:0": the port must be a number from 1 to 65535'],
    ['203.0.113.5:65536', '"203.0.113.5:65536": the port must be a number from 1 to 65535'],
    ['[2001:db8::1]:x', '"[2001:db8::1]:x": the port must be a number from 1 to 65535'],
    ['[nope]:443', '"[nope]:443" is not "[IPv6]" or "[IPv6]:port"'],
    ['203.0.113.5/24', '"203.0.113.5/24" has host bits set: the network is 203.0.113.0/24'],
    ['203.0.113.0/33', '"203.0.113.0/33" is not a CIDR: an IPv4 prefix is 0 to 32'],
    ['-bad-.example', '"-bad-.example" is not an IP address, CIDR or hostname'],
  ])('refuses %s', (text, error) => {
    expect(parseTarget(text)).toEqual({ ok: false, error });
  });
});
