// The fleet stops: stop() closes every listener, socket and the DNS server; the lifetime ends
// everything by itself; bad specs are refused before anything listens.
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildQuery, TYPE_A } from '../src/fleet/dns-codec.js';
import { startFleet } from '../src/fleet/index.js';
import type { ProfileId } from '../src/fleet/catalogue.js';
import { fetchUrl } from './helpers/fleet-fetch.js';

const PORT = 18443;

function connectOutcome(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.on('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

function dnsAnswers(ip: string, port: number, waitMs: number): Promise<number> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    let n = 0;
    socket.on('message', () => n++);
    socket.on('error', () => undefined);
    socket.send(buildQuery(1, 'a.fleet.test', TYPE_A), port, ip);
    setTimeout(() => {
      socket.close();
      resolve(n);
    }, waitMs);
  });
}

describe('stop()', () => {
  it('closes listeners, held sockets and DNS, and is idempotent', async () => {
    const fleet = await startFleet({
      hosts: [
        {
          ip: '127.14.0.1',
          name: 'a.fleet.test',
          profile: 'ex2019-cu9',
          ports: [{ port: PORT, scheme: 'https' }],
        },
        { ip: '127.14.0.2', profile: 'tarpit', ports: [{ port: PORT, scheme: 'http' }] },
      ],
      dns: { ip: '127.14.0.53', port: 15353 },
    });
    expect((await fetchUrl(`https://127.14.0.1:${String(PORT)}/owa/`)).status).toBe(302);
    expect(await dnsAnswers('127.14.0.53', 15353, 300)).toBe(1);
    // A client stuck in the tarpit is released by stop().
    const held = connect({ host: '127.14.0.2', port: PORT });
    held.on('error', () => undefined);
    const heldClosed = new Promise<void>((resolve) => held.on('close', () => resolve()));
    await new Promise<void>((resolve) => held.on('connect', () => resolve()));

    const first = fleet.stop();
    const second = fleet.stop();
    expect(second).toBe(first);
    await first;
    await fleet.closed;
    await heldClosed;
    expect(await connectOutcome('127.14.0.1', PORT)).toBe('ECONNREFUSED');
    expect(await connectOutcome('127.14.0.2', PORT)).toBe('ECONNREFUSED');
    expect(await dnsAnswers('127.14.0.53', 15353, 200)).toBe(0);
  });
});

describe('lifetime', () => {
  it('stops by itself after lifetimeMs', async () => {
    const started = Date.now();
    const fleet = await startFleet({
      hosts: [{ ip: '127.14.1.1', profile: 'iis-default', ports: [{ port: PORT, scheme: 'https' }] }],
      lifetimeMs: 300,
    });
    expect((await fetchUrl(`https://127.14.1.1:${String(PORT)}/`)).status).toBe(200);
    await fleet.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await connectOutcome('127.14.1.1', PORT)).toBe('ECONNREFUSED');
    await fleet.stop(); // harmless after the lifetime ended it
  });
});

describe('refusals', () => {
  it('refuses non-loopback addresses, duplicate endpoints, unknown profiles and bad ports', async () => {
    await expect(
      startFleet({ hosts: [{ ip: '10.0.0.1', profile: 'tarpit', ports: [{ port: PORT, scheme: 'http' }] }] }),
    ).rejects.toThrow(/not a loopback/);
    await expect(
      startFleet({ hosts: [{ ip: '0.0.0.0', profile: 'tarpit', ports: [{ port: PORT, scheme: 'http' }] }] }),
    ).rejects.toThrow(/not a loopback/);
    await expect(
      startFleet({
        hosts: [
          {
            ip: '127.14.2.1',
            profile: 'tarpit',
            ports: [
              { port: PORT, scheme: 'http' },
              { port: PORT, scheme: 'https' },
            ],
          },
        ],
      }),
    ).rejects.toThrow(/listed twice/);
    await expect(
      startFleet({
        // An id outside the catalogue, as a caller without type checks could pass it.
        hosts: [
          {
            ip: '127.14.2.1',
            profile: 'exchange-2003' as ProfileId,
            ports: [{ port: PORT, scheme: 'http' }],
          },
        ],
      }),
    ).rejects.toThrow(/unknown fleet profile/);
    await expect(
      startFleet({ hosts: [{ ip: '127.14.2.1', profile: 'tarpit', ports: [{ port: 0, scheme: 'http' }] }] }),
    ).rejects.toThrow(/bad port/);
    await expect(startFleet({ hosts: [], dns: { ip: '192.0.2.1', port: 15353 } })).rejects.toThrow(
      /not loopback/,
    );
  });

  it('fails cleanly when an endpoint is taken, leaving nothing listening', async () => {
    const a = await startFleet({
      hosts: [{ ip: '127.14.3.2', profile: 'nginx-default', ports: [{ port: PORT, scheme: 'http' }] }],
    });
    try {
      await expect(
        startFleet({
          hosts: [
            { ip: '127.14.3.1', profile: 'nginx-default', ports: [{ port: PORT, scheme: 'http' }] },
            { ip: '127.14.3.2', profile: 'nginx-default', ports: [{ port: PORT, scheme: 'http' }] },
          ],
        }),
      ).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect(await connectOutcome('127.14.3.1', PORT)).toBe('ECONNREFUSED');
      expect((await fetchUrl(`http://127.14.3.2:${String(PORT)}/`)).status).toBe(200);
    } finally {
      await a.stop();
    }
  });
});
