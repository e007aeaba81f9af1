// Reading sources: URLs over a loopback HTTP server on 127.50.0.1 (redirects, status codes, size
// and time bounds, refused schemes and hosts) and local files. Exit status: 1 for a URL, 2 for a file.
import { mkdtempSync, rmSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataUpdateError } from '../src/data-update/errors.js';
import { checkUrl, Fetcher } from '../src/data-update/fetch.js';
import { serveFeeds, type FeedServer } from './fixtures/data-update/server.js';

const HOST = '127.50.0.1';
let server: FeedServer;
const NOW = new Date('2026-11-27T12:00:00Z');
const fetcher = new Fetcher({ maxBytes: 4_000, timeoutMs: 1_500, now: () => NOW });
const tmp = mkdtempSync(join(tmpdir(), 'owa-audit-fetch-'));

beforeAll(async () => {
  server = await serveFeeds(HOST, {
    '/feed.csv': {
      body: 'Product Name,Build Number,Date,KB,Blog\n',
      headers: { 'content-type': 'text/csv' },
    },
    '/moved': { status: 302, headers: { location: '/feed.csv' } },
    '/away': { status: 301, headers: { location: 'http://mirror.example/feed.csv' } },
    '/loop': { status: 307, headers: { location: '/loop' } },
    '/big': { body: 'x'.repeat(5_000) },
    '/announced': { headers: { 'content-length': '999999' }, body: 'x' },
    '/gone': { status: 410 },
    '/latin1': { body: Buffer.from([0x50, 0xe9, 0x0a]) },
    '/hang': { hang: true },
  });
});

afterAll(async () => {
  await fetcher.close();
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function refused(where: string, f: Fetcher = fetcher): Promise<DataUpdateError> {
  try {
    await f.read(where);
  } catch (e) {
    if (e instanceof DataUpdateError) return e;
    throw e;
  }
  throw new Error(`${where} was read`);
}

describe('URLs', () => {
  it('reads a loopback http URL, with hash, size and the retrieval day as snapshot', async () => {
    const f = await fetcher.read(`${server.base}/feed.csv`);
    expect(f.text).toBe('Product Name,Build Number,Date,KB,Blog\n');
    expect(f.bytes).toBe(39);
    expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(f).toMatchObject({ snapshotDay: '2026-11-27', retrievedAt: '2026-11-27T12:00:00.000Z' });
    expect(f.source).toEqual({ label: `${server.base}/feed.csv`, remote: true });
  });

  it('follows a relative redirect, but never to plain http off loopback, and not in circles', async () => {
    expect((await fetcher.read(`${server.base}/moved`)).text).toMatch(/^Product Name/);
    const away = await refused(`${server.base}/away`);
    expect(away.message).toMatch(/http:\/\/ is not accepted for mirror\.example/);
    expect(away.exitCode).toBe(1);
    expect((await refused(`${server.base}/loop`)).message).toMatch(/more than 5 redirects/);
    expect(server.requests.filter((r) => r === '/loop')).toHaveLength(6);
  });

  it('refuses error statuses, oversized bodies (announced or not) and text that is not UTF-8', async () => {
    expect((await refused(`${server.base}/gone`)).message).toMatch(/HTTP 410 from 127\.50\.0\.1/);
    expect((await refused(`${server.base}/big`)).message).toMatch(/more than 4000 bytes/);
    expect((await refused(`${server.base}/announced`)).message).toMatch(/999999 bytes announced/);
    expect((await refused(`${server.base}/latin1`)).message).toMatch(/not UTF-8/);
  });

  it('gives up on a server that never answers, within its deadline', async () => {
    const started = Date.now();
    expect((await refused(`${server.base}/hang`)).message).toMatch(/download failed: timed out/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('says so when nothing listens', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, HOST, resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    expect((await refused(`http://${HOST}:${port}/x`)).message).toMatch(/download failed: ECONNREFUSED/);
  });

  it('accepts https anywhere and http only to loopback; no credentials, no other schemes', async () => {
    const src = { label: 'x', remote: true };
    expect(checkUrl('https://www.cisa.gov/feed.json', src).host).toBe('www.cisa.gov');
    expect(checkUrl('http://[::1]:8080/x', src).port).toBe('8080');
    expect(() => checkUrl('http://10.1.2.3/feed.csv', src)).toThrow(/use https:\/\//);
    expect(() => checkUrl('https://user:pw@example.org/', src)).toThrow(/credentials/);
    expect((await refused('ftp://example.org/feed.csv')).message).toMatch(/only https:\/\/ URLs/);
  });
});

describe('local files', () => {
  it('reads a file with its modification day as snapshot, never a day after "now"', async () => {
    // Both the file's time and "now" are set here: the file system stamps files with the real
    // clock, whatever the test pretends.
    const file = join(tmp, 'kev.json');
    writeFileSync(file, '{"vulnerabilities": []}');
    utimesSync(file, new Date('2026-11-20T23:30:00Z'), new Date('2026-11-20T23:30:00Z'));
    const at = (now: string): Fetcher => new Fetcher({ maxBytes: 4_000, now: () => new Date(now) });
    const f = await at('2026-11-27T12:00:00Z').read(file);
    expect(f.source).toEqual({ label: file, remote: false });
    expect(f).toMatchObject({ snapshotDay: '2026-11-20', retrievedAt: '2026-11-27T12:00:00.000Z' });
    // A file dated after "now" (a clock set wrong) is a snapshot of today, not of the future.
    expect((await at('2026-11-18T08:00:00Z').read(file)).snapshotDay).toBe('2026-11-18');
  });

  it('refuses missing, oversized and non-regular files with exit status 2', async () => {
    const missing = await refused(join(tmp, 'nope.csv'));
    expect(missing.message).toMatch(/nope\.csv: no such file/);
    expect(missing.exitCode).toBe(2);
    writeFileSync(join(tmp, 'big.csv'), 'x'.repeat(5_000));
    expect((await refused(join(tmp, 'big.csv'))).message).toMatch(/larger than 4000 bytes/);
    mkdirSync(join(tmp, 'dir.csv'));
    expect((await refused(join(tmp, 'dir.csv'))).message).toMatch(/not a regular file/);
  });
});
