// The TLS capture over real loopback TLS 1.2 and 1.3: the leaf read from the serialised session is
// the certificate getPeerCertificate shows, and tlsInfoFromSocket's facts equal the old route's
// (tlsInfoFromCertificate over getPeerCertificate(false)) for generated certificates, read and
// declined shapes alike. Addresses: 127.8.x.x.
import { connect, createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leafFromSession } from '../src/engine/certificate-der.js';
import { tlsInfoFromCertificate, tlsInfoFromSocket } from '../src/engine/tls-info.js';
import { forge, name, subjectAltName } from './helpers/cert-forge.js';
import { ascii, dns, generated, key, spec, UTF8, viaOpenSsl } from './helpers/cert-shapes.js';

describe('tlsInfoFromSocket over real TLS: the session route equals getPeerCertificate', () => {
  const IP = '127.8.0.1';
  const PORT = 18443;
  const served = [
    ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((seed) => forge(generated(seed * 7919).spec, key, seed)),
    forge(spec({ subject: name([[{ oid: '2.5.4.41', tag: UTF8, value: ascii('declined') }]]) }), key, 99),
    forge(
      spec({ extensions: [subjectAltName(Array.from({ length: 120 }, (_, i) => dns(`n${i}.test`)))] }),
      key,
      98,
    ),
  ].filter((f) => viaOpenSsl(f.der) !== null);
  let current = 0;
  const servers: Server[] = [];

  beforeAll(async () => {
    for (const maxVersion of ['TLSv1.2', 'TLSv1.3'] as const) {
      const server = createServer({ maxVersion, key: key.keyPem, cert: served[0]?.pem ?? '' }, (s) => {
        s.on('error', () => undefined);
        s.end();
      });
      server.on('tlsClientError', () => undefined);
      server.on('secureConnection', () => undefined);
      // Each connection gets the certificate under test.
      server.prependListener('connection', () => {
        server.setSecureContext({ key: key.keyPem, cert: served[current]?.pem ?? '' });
      });
      await new Promise<void>((resolve) =>
        server.listen(maxVersion === 'TLSv1.2' ? PORT : PORT + 1, IP, resolve),
      );
      servers.push(server);
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  function handshake(
    port: number,
  ): Promise<{ fromSession: string; fromOpenSsl: string; raw: Buffer; leaf: Buffer | null }> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: IP, port, rejectUnauthorized: false }, () => {
        const fromSession = JSON.stringify(tlsInfoFromSocket(socket));
        const cert = socket.getPeerCertificate(false);
        const fromOpenSsl = JSON.stringify(
          tlsInfoFromCertificate(cert, socket.getProtocol(), socket.getCipher().name),
        );
        const session = socket.getSession();
        resolve({
          fromSession,
          fromOpenSsl,
          raw: cert.raw,
          leaf: session === undefined ? null : leafFromSession(session),
        });
        socket.destroy();
      });
      socket.on('error', reject);
      socket.setTimeout(5_000, () => socket.destroy(new Error('handshake timed out')));
    });
  }

  it.each([
    ['TLS 1.2', PORT],
    ['TLS 1.3', PORT + 1],
  ])('%s: every served certificate', async (_label, port) => {
    expect(served.length).toBeGreaterThan(8);
    for (let i = 0; i < served.length; i++) {
      current = i;
      const r = await handshake(port);
      expect(r.leaf?.equals(r.raw)).toBe(true);
      expect(r.raw.equals(served[i]?.der ?? Buffer.alloc(0))).toBe(true);
      expect(r.fromSession).toBe(r.fromOpenSsl);
    }
  });
});
