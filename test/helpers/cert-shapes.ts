// Generated certificate shapes for the TLS-capture tests (engine-certificate-der*.test.ts): the
// two routes a certificate's facts can take, and a seeded generator mixing ordinary certificates
// with every hostile ingredient — odd and escaped characters, multi-valued RDNs, string types,
// IP SANs, huge SAN lists, impossible and unusual dates.
import { X509Certificate } from 'node:crypto';
import { prng } from '../../src/fleet/prng.js';
import { tlsInfoFromCertificate, tlsInfoFromDer } from '../../src/engine/tls-info.js';
import {
  extension,
  forgeKey,
  name,
  subjectAltName,
  type Ava,
  type CertificateSpec,
  type GeneralName,
} from './cert-forge.js';

export const key = forgeKey();
export const UTF8 = 0x0c;
export const PRINTABLE = 0x13;
export const IA5 = 0x16;
export const T61 = 0x14;
export const BMP = 0x1e;
export const UNIVERSAL = 0x1c;
export const NUMERIC = 0x12;
export const UTC = 0x17;
export const GEN = 0x18;

/** What the old route records for a certificate: Node's object through tlsInfoFromCertificate. */
export function viaOpenSsl(der: Buffer): string | null {
  let x: X509Certificate;
  try {
    x = new X509Certificate(der);
  } catch {
    return null; // OpenSSL refuses it: no handshake would complete with it either
  }
  return JSON.stringify(tlsInfoFromCertificate(x.toLegacyObject(), 'TLSv1.3', 'TLS_AES_128_GCM_SHA256'));
}

export function viaDer(der: Buffer): string | null {
  const info = tlsInfoFromDer(der, 'TLSv1.3', 'TLS_AES_128_GCM_SHA256');
  return info === null ? null : JSON.stringify(info);
}

export const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');
export const cn = (value: string, tag = UTF8): Ava => ({
  oid: '2.5.4.3',
  tag,
  value: Buffer.from(value, tag === UTF8 ? 'utf8' : 'latin1'),
});
export const plainName = name([
  [cn('mail.example.test')],
  [{ oid: '2.5.4.10', tag: UTF8, value: ascii('Example') }],
]);
export const dns = (s: string | Buffer): GeneralName => ({
  tag: 0x82,
  value: typeof s === 'string' ? ascii(s) : s,
});
export const ip = (...bytes: number[]): GeneralName => ({ tag: 0x87, value: Buffer.from(bytes) });

export function spec(over: Partial<CertificateSpec>): CertificateSpec {
  return {
    issuer: plainName,
    subject: plainName,
    notBefore: [UTC, '250101000000Z'],
    notAfter: [GEN, '20541231235959Z'],
    extensions: [subjectAltName([dns('mail.example.test')])],
    ...over,
  };
}

export function everyKnownType(): Ava[][] {
  const oids = [
    '2.5.4.3',
    '2.5.4.4',
    '2.5.4.5',
    '2.5.4.6',
    '2.5.4.7',
    '2.5.4.8',
    '2.5.4.9',
    '2.5.4.10',
    '2.5.4.11',
    '2.5.4.12',
    '2.5.4.13',
    '2.5.4.15',
    '2.5.4.17',
    '2.5.4.42',
    '2.5.4.43',
    '2.5.4.44',
    '2.5.4.46',
    '2.5.4.65',
    '2.5.4.97',
    '1.2.840.113549.1.9.1',
    '0.9.2342.19200300.100.1.25',
    '0.9.2342.19200300.100.1.1',
    '1.3.6.1.4.1.311.60.2.1.1',
    '1.3.6.1.4.1.311.60.2.1.2',
    '1.3.6.1.4.1.311.60.2.1.3',
  ];
  return oids.map((oid, i) => [{ oid, tag: i % 2 === 0 ? UTF8 : PRINTABLE, value: ascii(`v${i}`) }]);
}

/** Seeded generator of certificates: mostly ordinary, with every hostile ingredient mixed in. */
export function generated(seed: number): { spec: CertificateSpec; plain: boolean } {
  const next = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[next() % items.length] as T;
  const chance = (p: number): boolean => next() / 4294967296 < p;
  let plain = true;
  const value = (): { tag: number; value: Buffer } => {
    const r = next() % 100;
    if (r < 70)
      return {
        tag: pick([UTF8, PRINTABLE, IA5]),
        value: ascii(
          pick(['mail', 'Contoso Ltd', 'DE', 'owa.example.org', 'IT Dept', '*.example.com', 'a b  c']),
        ),
      };
    if (r < 82)
      return {
        tag: pick([UTF8, IA5, T61]),
        value: ascii(
          pick([
            'a,b',
            'x+y=z',
            '"q"',
            '\\',
            ' lead',
            'trail ',
            '#h',
            '<s>',
            'nul\u0000',
            'tab\tnl\n',
            '\u007f',
          ]),
        ),
      };
    if (r < 92)
      return {
        tag: UTF8,
        value: Buffer.from(
          pick(['Müller GmbH', '日本語', '😀', '\ufeffbom', 'Ωmega', 'x'.repeat(300)]),
          'utf8',
        ),
      };
    plain = false;
    if (r < 94) return { tag: pick([T61, IA5, PRINTABLE]), value: Buffer.from([0x63, 0xe9, 0xff]) };
    if (r < 96)
      return {
        tag: UTF8,
        value: Buffer.from(
          pick([
            [0xc3, 0x28],
            [0xed, 0xa0, 0x80],
            [0xf4, 0x90, 0x80, 0x80],
            [0xc0, 0xaf],
            [0xe2, 0x82],
          ]),
        ),
      };
    if (r < 98) return { tag: BMP, value: Buffer.from('Org', 'utf16le').swap16() };
    return { tag: pick([NUMERIC, UNIVERSAL]), value: pick([ascii('123'), Buffer.from([0, 0, 0, 0x41])]) };
  };
  const oidOf = (): string => {
    const r = next() % 100;
    if (r < 95)
      return pick([
        '2.5.4.3',
        '2.5.4.3',
        '2.5.4.10',
        '2.5.4.11',
        '2.5.4.6',
        '2.5.4.7',
        '2.5.4.8',
        '1.2.840.113549.1.9.1',
        '0.9.2342.19200300.100.1.25',
        '2.5.4.5',
      ]);
    plain = false;
    return pick(['2.5.4.41', '1.3.6.1.4.1.99999.7', '2.5.4.99']);
  };
  const dn = (): Buffer => {
    const rdns: Ava[][] = [];
    const n = next() % 6;
    for (let i = 0; i < n; i++) {
      const width = chance(0.15) ? 2 + (next() % 2) : 1;
      rdns.push(Array.from({ length: width }, () => ({ oid: oidOf(), ...value() })));
    }
    return name(rdns);
  };
  const subject = dn();
  const issuer = chance(0.4) ? subject : dn();
  const sanEntry = (): GeneralName => {
    const r = next() % 100;
    if (r < 55)
      return dns(
        pick([
          'mail.example.test',
          '*.example.test',
          'autodiscover.example.test',
          'a,b',
          ' sp ',
          '"q"',
          '',
          "o'k",
        ]),
      );
    if (r < 62) return dns(Buffer.from([0x61, next() & 0xff, next() & 0x7f, 0x62]));
    if (r < 72) return ip(127, next() & 0xff, next() & 0xff, 1);
    if (r < 78) return ip(...Array.from({ length: 16 }, () => (chance(0.5) ? 0 : next() & 0xff)));
    if (r < 88)
      return { tag: pick([0x81, 0x86]), value: ascii(pick(['a@b.test', 'https://x.test/a,b', '"q"'])) };
    plain = false;
    if (r < 93) return ip(1, 2, 3);
    return { tag: 0x88, value: Buffer.from([0x2a, 0x03]) };
  };
  const extensions: Buffer[] = [];
  if (chance(0.3)) extensions.push(extension('2.5.29.19', Buffer.from([0x30, 0]), chance(0.5)));
  const sanKind = next() % 100;
  if (sanKind >= 15) {
    const count = sanKind < 20 ? 0 : sanKind < 25 ? 95 + (next() % 40) : 1 + (next() % 6);
    extensions.push(subjectAltName(Array.from({ length: count }, sanEntry)));
  }
  if (chance(0.03)) {
    plain = false;
    extensions.push(subjectAltName([dns('second.test')]));
  }
  const date = (): [number, string] => {
    const r = next() % 100;
    const two = (n: number): string => String(n).padStart(2, '0');
    const y = 1950 + (next() % 100);
    const stamp = `${two(1 + (next() % 12))}${two(1 + (next() % 28))}${two(next() % 24)}${two(next() % 60)}${two(next() % 60)}`;
    if (r < 50) return [UTC, `${two(y % 100)}${stamp}Z`];
    if (r < 85) return [GEN, `${1000 + (next() % 9000)}${stamp}Z`];
    if (r < 95) return [GEN, pick(['20240229000000Z', '20000229000000Z', '21000228235959Z'])];
    plain = false;
    return pick<[number, string]>([
      [GEN, '21000229000000Z'],
      [UTC, '250631000000Z'],
      [UTC, '250101240000Z'],
      [GEN, '20250101000000.123Z'],
      [UTC, '2501010000Z'],
      [GEN, '20250101000000-0500'],
    ]);
  };
  return {
    spec: { version: chance(0.1) ? 1 : 3, subject, issuer, notBefore: date(), notAfter: date(), extensions },
    plain,
  };
}
