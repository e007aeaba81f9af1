// The peer certificate of an endpoint, reduced to the facts a report shows. Every field is chosen
// by the server: strings are flattened and bounded, lists are capped, dates are validated.
import { hash } from 'node:crypto';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { TlsInfo } from '../core/result-schema.js';
import { rememberBounded } from '../core/memo.js';
import { cleanValue } from '../core/text.js';
import { leafFromSession, readCertificate } from './certificate-der.js';

const MAX_SAN_ENTRIES = 100;
const MAX_FIELD_LENGTH = 512;

type DistinguishedName = Record<string, string | string[] | undefined>;

/** "CN=mail.acme.example, O=ACME" from Node's parsed subject/issuer object. */
export function formatDistinguishedName(dn: DistinguishedName | undefined): string | null {
  // Typed as always present, but a peer that sent no certificate yields an empty object.
  if (typeof dn !== 'object') return null;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(dn)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) parts.push(`${key}=${v}`);
  }
  return parts.length === 0 ? null : cleanValue(parts.join(', '), MAX_FIELD_LENGTH);
}

/** "DNS:a.example, IP Address:192.0.2.1" → ["a.example", "192.0.2.1"]. */
export function parseSubjectAltName(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  const out: string[] = [];
  // Node quotes a value holding a comma or quote as a JSON string (since CVE-2021-44532).
  const entry = /([A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:,\s*|$)/gy;
  let m: RegExpExecArray | null;
  while ((m = entry.exec(text)) !== null && m[0] !== '') {
    const kind = m[1];
    let value = m[2] ?? '';
    if (kind !== 'DNS' && kind !== 'IP Address') continue;
    if (value.startsWith('"')) {
      try {
        value = JSON.parse(value) as string;
      } catch {
        value = value.slice(1, -1);
      }
    }
    if (!keepAltName(out, value)) break;
  }
  return out;
}

/** Adds a SAN value, cleaned, unless empty; false once the list is full. */
function keepAltName(out: string[], raw: string): boolean {
  const value = cleanValue(raw, 253);
  if (value !== '') out.push(value);
  return out.length < MAX_SAN_ENTRIES;
}

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};
// How OpenSSL prints a certificate date (ASN1_TIME_print): "Nov  3 02:18:03 2126 GMT".
const OPENSSL_DATE = /^([A-Z][a-z]{2}) ([ 1-3]\d) ([01]\d|2[0-3]):([0-5]\d):([0-5]\d) (\d{4}) GMT$/;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 1 && leap ? 29 : (DAYS[month] ?? 0);
}

/**
 * A certificate date as an ISO timestamp, null when absent or unparsable. The form OpenSSL prints is
 * read field by field into the text Date.parse and toISOString give for it (engine-http-util.test.ts
 * compares the two) at a fraction of their cost; anything else goes to Date.parse.
 */
export function certificateDate(text: string | undefined): string | null {
  if (text === undefined || text === '') return null;
  const m = OPENSSL_DATE.exec(text);
  if (m !== null) {
    const month = MONTHS[m[1] as string];
    const year = Number(m[6]);
    const day = Number(m[2]);
    // Only a real calendar day: Date.UTC would roll Feb 30 over into March.
    // Written out from the fields: Date's toISOString alone costs more than all of this.
    if (month !== undefined && year >= 1000 && day >= 1 && day <= daysIn(year, month))
      return `${m[6]}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}T${m[3]}:${m[4]}:${m[5]}.000Z`;
  }
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function fingerprintHex(fp: string | undefined): string | null {
  if (fp === undefined || !/^[0-9A-F:]+$/i.test(fp)) return null;
  return fp.replace(/:/g, '').toLowerCase();
}

/**
 * Self-signed, as recorded: the certificate is self-issued — its issuer DN equals its subject DN.
 *
 * The signature is not checked, and the chain is not built: `getPeerCertificate(true)` would look
 * the issuer up in the sent chain and the system root store on every connection (~0.2 ms of CPU
 * each, most of the TLS capture's cost). The one case where that lookup answered differently: a
 * certificate whose issuer DN equals its subject DN while a *different* certificate of that name
 * (another key) is in the chain the server sent or in the root store — a leaf named exactly like
 * the CA that signed it, or a re-keyed root. It is recorded as self-signed here; a name-twin of a
 * public CA is rare on a mail server, and the report's reader sees subject and issuer side by side.
 * (README.md, "the result record": `tls.selfSigned`; docs/report.md: `tls_self_signed`.)
 */
function isSelfSigned(subject: string | null, issuer: string | null): boolean {
  return subject !== null && subject === issuer;
}

/** Facts of a certificate as Node reports it (empty object when the peer sent none). */
export function tlsInfoFromCertificate(
  cert: PeerCertificate | undefined,
  protocol: string | null,
  cipher: string | null,
): TlsInfo | null {
  if (cert === undefined || Object.keys(cert).length === 0) {
    return protocol === null
      ? null
      : {
          subject: null,
          issuer: null,
          san: [],
          notBefore: null,
          notAfter: null,
          sha256: null,
          selfSigned: false,
          protocol,
          cipher,
        };
  }
  const subject = formatDistinguishedName(cert.subject);
  const issuer = formatDistinguishedName(cert.issuer);
  return {
    subject,
    issuer,
    san: parseSubjectAltName(cert.subjectaltname),
    notBefore: certificateDate(cert.valid_from),
    notAfter: certificateDate(cert.valid_to),
    sha256: fingerprintHex(cert.fingerprint256),
    selfSigned: isSelfSigned(subject, issuer),
    protocol,
    cipher,
  };
}

/** What a record keeps of a certificate itself: everything but the connection's protocol and cipher. */
type CertificateFacts = Omit<TlsInfo, 'protocol' | 'cipher'>;

/**
 * Facts of a certificate read from its DER (certificate-der.ts): the same as tlsInfoFromCertificate
 * gives for Node's view of it, or null when the reader is not certain of that shape.
 */
export function tlsInfoFromDer(der: Buffer, protocol: string | null, cipher: string | null): TlsInfo | null {
  const facts = factsFromDer(der, hash('sha256', der, 'hex'));
  return facts === null ? null : withConnection(facts, protocol, cipher);
}

/** The leaf's DER from the connection's serialised session; null (ask OpenSSL) on any doubt. */
function leafOf(socket: TLSSocket): Buffer | null {
  try {
    const session = socket.getSession();
    return session === undefined ? null : leafFromSession(session);
  } catch {
    return null;
  }
}

function factsFromDer(der: Buffer, sha256: string): CertificateFacts | null {
  let cert;
  try {
    cert = readCertificate(der);
  } catch {
    return null; // never expected (every read is bounds-checked): OpenSSL's route answers instead
  }
  if (cert === null) return null;
  const subject = formatDistinguishedName(cert.subject);
  const issuer = formatDistinguishedName(cert.issuer);
  const san: string[] = [];
  for (const name of cert.altNames) if (!keepAltName(san, name)) break;
  return {
    subject,
    issuer,
    san,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    sha256,
    selfSigned: isSelfSigned(subject, issuer),
  };
}

/** A record's own copy (its SAN list too) of facts that may be shared, in the record's key order. */
function withConnection(facts: CertificateFacts, protocol: string | null, cipher: string | null): TlsInfo {
  return {
    subject: facts.subject,
    issuer: facts.issuer,
    san: facts.san.slice(),
    notBefore: facts.notBefore,
    notAfter: facts.notAfter,
    sha256: facts.sha256,
    selfSigned: facts.selfSigned,
    protocol,
    cipher,
  };
}

// Facts by the SHA-256 of the certificate's DER: the same certificate on many endpoints (a wildcard
// or a load balancer's) is read once. The key is the digest the record carries anyway, and the facts
// are a function of those bytes alone. Bounded: at most MAX_REMEMBERED certificates (each at most
// ~100 SAN entries of 253 characters), the oldest forgotten first.
const MAX_REMEMBERED = 128;
const factsBySha256 = new Map<string, CertificateFacts>();

function remember(sha256: string, facts: CertificateFacts): void {
  rememberBounded(factsBySha256, sha256, facts, MAX_REMEMBERED);
}

/** How many certificates are remembered (tests: the memo stays bounded). */
export function rememberedCertificates(): number {
  return factsBySha256.size;
}

/**
 * Read the facts off a socket right after its handshake. Never throws. The leaf's DER comes from the
 * serialised session (a few µs) and is read here, or remembered; only a shape the reader is not
 * certain of asks OpenSSL for its whole object (`getPeerCertificate`, several times the cost).
 */
export function tlsInfoFromSocket(socket: TLSSocket): TlsInfo | null {
  try {
    const cipher = (socket.getCipher() as { name?: string } | undefined)?.name ?? null;
    const protocol = socket.getProtocol();
    const der = leafOf(socket);
    // false: the leaf alone, no chain built (see isSelfSigned).
    if (der === null) return tlsInfoFromCertificate(socket.getPeerCertificate(false), protocol, cipher);
    const sha256 = hash('sha256', der, 'hex');
    let facts = factsBySha256.get(sha256);
    if (facts === undefined) {
      facts = factsFromDer(der, sha256) ?? undefined;
      if (facts === undefined) {
        const info = tlsInfoFromCertificate(socket.getPeerCertificate(false), protocol, cipher);
        if (info === null || info.sha256 !== sha256) return info;
        const { protocol: _p, cipher: _c, ...own } = info;
        facts = own;
      }
      remember(sha256, facts);
    }
    return withConnection(facts, protocol, cipher);
  } catch {
    return null;
  }
}
