// Certificates built byte by byte for the TLS-capture tests: any DN, SAN or date a hostile server
// could send, signed (ECDSA P-256) with a key the test can serve them with. DER by hand, because
// the point is shapes no certificate tool would produce.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** One DER element with a minimal length. */
export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  const head =
    n < 0x80
      ? Buffer.from([tag, n])
      : n < 0x100
        ? Buffer.from([tag, 0x81, n])
        : n < 0x10000
          ? Buffer.from([tag, 0x82, n >> 8, n & 0xff])
          : Buffer.from([tag, 0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([head, body]);
}

export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const bytes: number[] = [(arcs[0] ?? 0) * 40 + (arcs[1] ?? 0)];
  for (const arc of arcs.slice(2)) {
    const groups: number[] = [];
    let v = arc;
    do {
      groups.unshift(v & 0x7f);
      v = Math.floor(v / 128);
    } while (v > 0);
    for (let i = 0; i < groups.length - 1; i++) groups[i] = (groups[i] ?? 0) | 0x80;
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** One attribute of a name: its type, its string tag and its raw bytes. */
export interface Ava {
  oid: string;
  tag: number;
  value: Buffer;
}

/** A Name: RDNs, each a set of one or more attributes (a multi-valued RDN), in encoded order. */
export function name(rdns: Ava[][]): Buffer {
  return tlv(
    0x30,
    ...rdns.map((rdn) => tlv(0x31, ...rdn.map((a) => tlv(0x30, oid(a.oid), tlv(a.tag, a.value))))),
  );
}

export interface GeneralName {
  tag: number;
  value: Buffer;
}

export function extension(id: string, value: Buffer, critical = false): Buffer {
  return tlv(0x30, oid(id), ...(critical ? [Buffer.from([0x01, 0x01, 0xff])] : []), tlv(0x04, value));
}

export function subjectAltName(names: GeneralName[]): Buffer {
  return extension('2.5.29.17', tlv(0x30, ...names.map((n) => tlv(n.tag, n.value))));
}

export interface CertificateSpec {
  /** 1: no version field and no extensions unless given; 3 by default. */
  version?: 1 | 3;
  issuer: Buffer;
  subject: Buffer;
  /** Tag (0x17 UTCTime, 0x18 GeneralizedTime) and text of each validity bound. */
  notBefore: [number, string];
  notAfter: [number, string];
  extensions?: Buffer[];
}

export interface Forged {
  der: Buffer;
  pem: string;
}

export interface ForgeKey {
  privateKey: KeyObject;
  keyPem: string;
  spki: Buffer;
}

export function forgeKey(): ForgeKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKey,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    spki: publicKey.export({ type: 'spki', format: 'der' }),
  };
}

const ECDSA_SHA256 = tlv(0x30, oid('1.2.840.10045.4.3.2'));

export function forge(spec: CertificateSpec, key: ForgeKey, serial = 1): Forged {
  const ext = spec.extensions ?? [];
  const tbs = tlv(
    0x30,
    ...(spec.version === 1 ? [] : [tlv(0xa0, tlv(0x02, Buffer.from([2])))]),
    tlv(0x02, Buffer.from([0x10, (serial >> 16) & 0xff, (serial >> 8) & 0xff, serial & 0xff])),
    ECDSA_SHA256,
    spec.issuer,
    tlv(
      0x30,
      tlv(spec.notBefore[0], Buffer.from(spec.notBefore[1], 'latin1')),
      tlv(spec.notAfter[0], Buffer.from(spec.notAfter[1], 'latin1')),
    ),
    spec.subject,
    key.spki,
    ...(ext.length === 0 ? [] : [tlv(0xa3, tlv(0x30, ...ext))]),
  );
  const signature = sign('sha256', tbs, key.privateKey);
  const der = tlv(0x30, tbs, ECDSA_SHA256, tlv(0x03, Buffer.from([0]), signature));
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return {
    der,
    pem: `-----BEGIN CERTIFICATE-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`,
  };
}

/** A serialised session shaped like OpenSSL's (SSL_SESSION_ASN1) holding `cert` as the peer. */
export function sessionHolding(cert: Buffer): Buffer {
  const int = (n: number): Buffer => tlv(0x02, Buffer.from([n >> 8, n & 0xff]));
  return tlv(
    0x30,
    tlv(0x02, Buffer.from([1])),
    int(0x0304),
    tlv(0x04, Buffer.from([0x13, 0x02])),
    tlv(0x04, Buffer.alloc(32, 7)),
    tlv(0x04, Buffer.alloc(48, 9)),
    tlv(0xa1, int(1000)),
    tlv(0xa2, int(7200)),
    tlv(0xa3, cert),
    tlv(0xa4, tlv(0x04, Buffer.alloc(0))),
  );
}
