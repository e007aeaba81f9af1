// The TLS capture reads the peer certificate from its DER (certificate-der.ts) instead of asking
// OpenSSL for its whole object. These tests hold it to the old route byte for byte: every
// certificate is read both ways — Node's own object (X509Certificate.toLegacyObject, the object
// getPeerCertificate(false) builds, checked over real TLS below) through tlsInfoFromCertificate,
// and the DER reader — and the JSON of the two must be identical, or the reader must decline (null)
// so the capture falls back to OpenSSL.
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { EXPIRED_CERT, HOSTILE_CERT, MAIN_CERT } from '../src/fleet/assets/certs.js';
import { readFileSync } from 'node:fs';
import { leafFromSession, readCertificate } from '../src/engine/certificate-der.js';
import { rememberedCertificates, tlsInfoFromSocket } from '../src/engine/tls-info.js';
import {
  extension,
  forge,
  name,
  sessionHolding,
  subjectAltName,
  type CertificateSpec,
} from './helpers/cert-forge.js';
import {
  ascii,
  BMP,
  cn,
  dns,
  everyKnownType,
  GEN,
  generated,
  IA5,
  ip,
  key,
  NUMERIC,
  PRINTABLE,
  spec,
  T61,
  UNIVERSAL,
  UTC,
  UTF8,
  viaDer,
  viaOpenSsl,
} from './helpers/cert-shapes.js';

describe('certificate DER reader: the certificates the tests and the fleet serve', () => {
  const pems: [string, string][] = [
    ['fleet main', MAIN_CERT.cert],
    ['fleet expired', EXPIRED_CERT.cert],
    ['fleet hostile markup', HOSTILE_CERT.cert],
    ...['self', 'leaf', 'ca', 'twin', 'twin-ca'].map((f): [string, string] => [
      f,
      readFileSync(new URL(`./fixtures/engine/${f}.pem`, import.meta.url), 'utf8'),
    ]),
  ];
  it.each(pems)('%s: read, and identical to OpenSSL', (_label, pem) => {
    const der = new X509Certificate(pem).raw;
    expect(viaDer(der)).not.toBeNull();
    expect(viaDer(der)).toBe(viaOpenSsl(der));
  });
});

describe('certificate DER reader: hostile shapes, one by one', () => {
  const bmp = (s: string): Buffer => Buffer.from(s, 'utf16le').swap16();
  const cases: [string, CertificateSpec, 'read' | 'declined' | 'refused by OpenSSL'][] = [
    [
      'escaped characters, quotes, control characters and a BOM in the DN',
      spec({
        subject: name([
          [cn('a,b+c="d"\\e<f>;#g \u0000\u0007\t\n x\u007f')],
          [cn('\ufeffbom Müller 日本 😀')],
        ]),
      }),
      'read',
    ],
    [
      'multi-valued RDNs and a type repeated out of order',
      spec({
        subject: name([
          [cn('one'), { oid: '2.5.4.11', tag: PRINTABLE, value: ascii('unit') }],
          [{ oid: '2.5.4.10', tag: IA5, value: ascii('org') }],
          [cn('two'), cn('three', PRINTABLE)],
        ]),
      }),
      'read',
    ],
    ['every attribute type of the table', spec({ subject: name(everyKnownType()) }), 'read'],
    [
      'an attribute type outside the table',
      spec({ subject: name([[{ oid: '2.5.4.41', tag: UTF8, value: ascii('n') }]]) }),
      'declined',
    ],
    [
      'an OID OpenSSL does not know',
      spec({ subject: name([[{ oid: '1.3.6.1.4.1.99999.1', tag: UTF8, value: ascii('n') }]]) }),
      'declined',
    ],
    [
      'a BMPString',
      spec({ subject: name([[cn('x'), { oid: '2.5.4.10', tag: BMP, value: bmp('Org') }]]) }),
      'declined',
    ],
    [
      'a UniversalString',
      spec({ subject: name([[{ oid: '2.5.4.3', tag: UNIVERSAL, value: Buffer.from([0, 0, 0, 0x41]) }]]) }),
      'declined',
    ],
    ['Latin-1 bytes in a T61String', spec({ subject: name([[cn('caf\u00e9', T61)]]) }), 'declined'],
    [
      'invalid UTF-8',
      spec({ subject: name([[{ oid: '2.5.4.3', tag: UTF8, value: Buffer.from([0x61, 0xc3, 0x28]) }]]) }),
      'refused by OpenSSL',
    ],
    [
      'a UTF-8 surrogate',
      spec({ subject: name([[{ oid: '2.5.4.3', tag: UTF8, value: Buffer.from([0xed, 0xa0, 0x80]) }]]) }),
      'refused by OpenSSL',
    ],
    [
      'a NumericString',
      spec({ subject: name([[{ oid: '2.5.4.5', tag: NUMERIC, value: ascii('12345') }]]) }),
      'read',
    ],
    ['an empty subject', spec({ subject: name([]) }), 'read'],
    ['a 600-character CN', spec({ subject: name([[cn('x'.repeat(600))]]) }), 'read'],
    [
      'IPv4 and IPv6 SANs',
      spec({
        extensions: [
          subjectAltName([
            ip(192, 0, 2, 1),
            ip(0xfe, 0x80, ...new Array<number>(13).fill(0), 1),
            ip(...new Array<number>(16).fill(0xab)),
          ]),
        ],
      }),
      'read',
    ],
    ['an IP SAN of 5 bytes', spec({ extensions: [subjectAltName([ip(1, 2, 3, 4, 5)])] }), 'declined'],
    ['no SAN', spec({ extensions: [] }), 'read'],
    ['an empty SAN', spec({ extensions: [subjectAltName([])] }), 'read'],
    [
      '150 SANs (100 kept)',
      spec({
        extensions: [subjectAltName(Array.from({ length: 150 }, (_, i) => dns(`h${i}.example.test`)))],
      }),
      'read',
    ],
    [
      'hostile DNS SANs: commas, quotes, spaces, control and high bytes, empty',
      spec({
        extensions: [
          subjectAltName([
            dns('a,b'),
            dns('"q"'),
            dns('  sp  '),
            dns(Buffer.from([0x61, 0, 0x0a, 0xe9, 0xff])),
            dns(''),
            dns("it's"),
            dns('back\\slash'),
          ]),
        ],
      }),
      'read',
    ],
    [
      'e-mail and URI SANs (not kept) among DNS',
      spec({
        extensions: [
          subjectAltName([
            { tag: 0x81, value: ascii('a@b,c') },
            dns('x.test'),
            { tag: 0x86, value: ascii('https://x/"a,b"') },
            dns('y.test'),
          ]),
        ],
      }),
      'read',
    ],
    [
      'a registered-ID SAN',
      spec({
        extensions: [subjectAltName([dns('x.test'), { tag: 0x88, value: Buffer.from([0x2a, 0x03]) }])],
      }),
      'declined',
    ],
    [
      'two SAN extensions',
      spec({ extensions: [subjectAltName([dns('a.test')]), subjectAltName([dns('b.test')])] }),
      'declined',
    ],
    [
      'a critical SAN among other extensions',
      spec({
        extensions: [
          extension('2.5.29.19', Buffer.from([0x30, 0]), true),
          extension('2.5.29.17', Buffer.from([0x30, 4, 0x82, 2, 0x61, 0x62]), true),
        ],
      }),
      'read',
    ],
    ['a version 1 certificate', spec({ version: 1, extensions: [] }), 'read'],
    [
      'UTCTime at the 2049/1950 turn',
      spec({ notBefore: [UTC, '500101000000Z'], notAfter: [UTC, '491231235959Z'] }),
      'read',
    ],
    ['a leap day', spec({ notBefore: [GEN, '20240229120000Z'] }), 'read'],
    ['29 February of a common year', spec({ notBefore: [GEN, '20230229120000Z'] }), 'declined'],
    ['31 April', spec({ notBefore: [UTC, '250431000000Z'] }), 'declined'],
    ['second 60', spec({ notBefore: [UTC, '250101235960Z'] }), 'declined'],
    ['fractional seconds', spec({ notBefore: [GEN, '20250101000000.5Z'] }), 'declined'],
    ['a time-zone offset', spec({ notBefore: [UTC, '250101000000+0100'] }), 'declined'],
    ['a local time', spec({ notBefore: [GEN, '20250101000000'] }), 'declined'],
    ['the year 9999', spec({ notAfter: [GEN, '99991231235959Z'] }), 'read'],
    ['the year 999', spec({ notAfter: [GEN, '09991231235959Z'] }), 'declined'],
    ['garbage in a date', spec({ notAfter: [UTC, '25O101000000Z'] }), 'declined'],
  ];
  it.each(cases)('%s', (_label, s, outcome) => {
    const { der } = forge(s, key);
    const expected = viaOpenSsl(der);
    // Refused: the certificate does not parse, so no handshake completes with it.
    expect(expected === null).toBe(outcome === 'refused by OpenSSL');
    const actual = viaDer(der);
    if (outcome === 'read') expect(actual).toBe(expected);
    else expect(actual).toBeNull();
  });
});

describe('certificate DER reader: differential over 3,000 generated certificates', () => {
  it('reads every ordinary one as OpenSSL does and declines, never misreads, the rest', () => {
    let read = 0;
    let plainCount = 0;
    let refusedByOpenSsl = 0;
    const misread: string[] = [];
    for (let seed = 1; seed <= 3000; seed++) {
      const { spec: s, plain } = generated(seed);
      const { der } = forge(s, key, seed);
      const expected = viaOpenSsl(der);
      if (expected === null) {
        refusedByOpenSsl++;
        continue;
      }
      const actual = viaDer(der);
      if (plain) plainCount++;
      if (actual !== null) read++;
      if (actual !== null ? actual !== expected : plain)
        misread.push(`seed ${seed}: ${expected} / ${actual}`);
    }
    expect(misread).toEqual([]);
    // The generator is not so hostile that nothing is compared.
    expect(plainCount).toBeGreaterThan(1000);
    expect(read).toBeGreaterThan(plainCount);
    expect(refusedByOpenSsl).toBeLessThan(600);
  });
});

describe('certificate DER reader: the session', () => {
  it('finds the leaf in a session shaped like OpenSSL’s, and nothing in anything else', () => {
    const { der } = forge(spec({}), key);
    expect(leafFromSession(sessionHolding(der))?.equals(der)).toBe(true);
    expect(leafFromSession(der)).toBeNull();
    expect(leafFromSession(Buffer.alloc(0))).toBeNull();
    const truncated = sessionHolding(der).subarray(0, 100);
    expect(leafFromSession(truncated)).toBeNull();
    expect(readCertificate(der.subarray(0, der.length - 1))).toBeNull();
  });
});

/** A socket-shaped object over a given certificate, counting OpenSSL's route. */
function fakeSocket(der: Buffer): { socket: TLSSocket; peerCalls: () => number } {
  let calls = 0;
  const socket = {
    getCipher: () => ({ name: 'TLS_AES_128_GCM_SHA256' }),
    getProtocol: () => 'TLSv1.3',
    getSession: () => sessionHolding(der),
    getPeerCertificate: () => {
      calls++;
      return new X509Certificate(der).toLegacyObject();
    },
  } as unknown as TLSSocket;
  return { socket, peerCalls: () => calls };
}

describe('tlsInfoFromSocket: the remembered certificates', () => {
  it('gives the same facts on every endpoint with the same certificate, each record its own SAN list', () => {
    const { der } = forge(spec({ subject: name([[cn('shared.example.test')]]) }), key, 424242);
    const a = fakeSocket(der);
    const b = fakeSocket(der);
    const first = tlsInfoFromSocket(a.socket);
    const second = tlsInfoFromSocket(b.socket);
    expect(JSON.stringify(first)).toBe(viaOpenSsl(der));
    expect(JSON.stringify(second)).toBe(viaOpenSsl(der));
    expect(second?.san).not.toBe(first?.san);
    expect(a.peerCalls() + b.peerCalls()).toBe(0);
  });

  it('asks OpenSSL for a shape the reader declines, once per certificate, with the same result', () => {
    const { der } = forge(
      spec({ subject: name([[{ oid: '2.5.4.41', tag: UTF8, value: ascii('declined') }]]) }),
      key,
      434343,
    );
    const a = fakeSocket(der);
    const b = fakeSocket(der);
    expect(JSON.stringify(tlsInfoFromSocket(a.socket))).toBe(viaOpenSsl(der));
    expect(JSON.stringify(tlsInfoFromSocket(b.socket))).toBe(viaOpenSsl(der));
    expect([a.peerCalls(), b.peerCalls()]).toEqual([1, 0]);
  });

  it('asks OpenSSL when the session cannot be read or holds no certificate', () => {
    const { der } = forge(spec({ subject: name([[cn('no-session.example.test')]]) }), key, 454545);
    for (const getSession of [
      (): Buffer => {
        throw new Error('no session');
      },
      (): undefined => undefined,
      (): Buffer => Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]),
    ]) {
      const fake = fakeSocket(der);
      Object.assign(fake.socket, { getSession });
      expect(JSON.stringify(tlsInfoFromSocket(fake.socket))).toBe(viaOpenSsl(der));
      expect(fake.peerCalls()).toBe(1);
    }
  });

  it('stays bounded however many certificates it meets', () => {
    for (let i = 0; i < 300; i++) {
      const { der } = forge(spec({ subject: name([[cn(`host${i}.example.test`)]]) }), key, 500000 + i);
      tlsInfoFromSocket(fakeSocket(der).socket);
      expect(rememberedCertificates()).toBeLessThanOrEqual(128);
    }
    expect(rememberedCertificates()).toBe(128);
  });
});
