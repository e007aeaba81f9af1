// A peer certificate's fields read from its DER in JavaScript, as Node's `getPeerCertificate`
// would show them. That call builds a whole object per connection natively — three digests, the
// key's modulus in hex, the serial, key usages, the DER copied out — of which a record keeps five
// fields; it was the engine's largest own cost per endpoint (~75 µs of main thread per handshake).
// The DER itself comes from the connection's serialised TLS session: OpenSSL writes the peer's
// leaf certificate into it ([3] of SSL_SESSION_ASN1), and `getSession()` costs a few µs.
//
// Certain or nothing: each reader returns null for any shape it is not certain OpenSSL and Node show
// the same way — an attribute type outside the table below, a string type other than the ASCII /
// UTF-8 ones, a SAN entry other than DNS, IP (4 or 16 bytes), e-mail or URI, a time other than
// whole seconds in "Z", BER forms (constructed strings, indefinite lengths), bytes left over — and
// the caller then asks OpenSSL (tls-info.ts). test/engine-certificate-der.test.ts compares both
// routes over thousands of generated certificates, hostile ones included.

/** A distinguished name as Node shows it: short name → value, or values when the type repeats. */
export type DistinguishedName = Record<string, string | string[]>;

export interface DerCertificate {
  subject: DistinguishedName;
  issuer: DistinguishedName;
  /** DNS and IP Address SAN entries, in order, as Node's `subjectaltname` text holds them (unquoted). */
  altNames: string[];
  /** ISO timestamps. */
  notBefore: string;
  notAfter: string;
}

const SEQUENCE: number = 0x30;
const SET: number = 0x31;
const OID: number = 0x06;
const INTEGER: number = 0x02;
const OCTET_STRING: number = 0x04;
const BOOLEAN: number = 0x01;
const UTC_TIME: number = 0x17;
const GENERALIZED_TIME: number = 0x18;
const UTF8_STRING: number = 0x0c;
/** String types ASN1_STRING_to_UTF8 reads byte by byte (Latin-1): identical to UTF-8 for ASCII. */
const BYTE_STRINGS = new Set([0x12 /* Numeric */, 0x13 /* Printable */, 0x14 /* T61 */, 0x16 /* IA5 */]);

/** OpenSSL's short names (OBJ_nid2sn) of the attribute types read here, by OID content bytes. */
const ATTRIBUTE_NAMES: ReadonlyMap<string, string> = new Map(
  (
    [
      ['550403', 'CN'],
      ['550404', 'SN'],
      ['550405', 'serialNumber'],
      ['550406', 'C'],
      ['550407', 'L'],
      ['550408', 'ST'],
      ['550409', 'street'],
      ['55040a', 'O'],
      ['55040b', 'OU'],
      ['55040c', 'title'],
      ['55040d', 'description'],
      ['55040f', 'businessCategory'],
      ['550411', 'postalCode'],
      ['55042a', 'GN'],
      ['55042b', 'initials'],
      ['55042c', 'generationQualifier'],
      ['55042e', 'dnQualifier'],
      ['550441', 'pseudonym'],
      ['550461', 'organizationIdentifier'],
      ['2a864886f70d010901', 'emailAddress'],
      ['0992268993f22c640119', 'DC'],
      ['0992268993f22c640101', 'UID'],
      ['2b0601040182373c020101', 'jurisdictionL'],
      ['2b0601040182373c020102', 'jurisdictionST'],
      ['2b0601040182373c020103', 'jurisdictionC'],
    ] as const
  ).map(([hex, name]) => [Buffer.from(hex, 'hex').toString('latin1'), name]),
);
/** ssl_version, cipher, session_id, master_key, [0] key_arg, [1] time, [2] timeout. */
const SESSION_FIELDS_BEFORE_PEER = new Set([INTEGER, OCTET_STRING, 0x80, 0xa1, 0xa2]);
const SUBJECT_ALT_NAME = Buffer.from('551d11', 'hex').toString('latin1');

// Fatal: invalid UTF-8 is refused (OpenSSL refuses it too, and Node then drops the whole name);
// ignoreBOM: a leading U+FEFF is a character OpenSSL and V8 keep.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** One DER element: its tag and where its content lies. */
class Element {
  /** Where the element's header begins. */
  pos = 0;
  tag = 0;
  start = 0;
  end = 0;

  constructor(readonly b: Buffer) {}

  /** Reads the element at `pos`, which must end by `limit`; false when there is none. */
  at(pos: number, limit: number): boolean {
    const b = this.b;
    if (pos + 2 > limit) return false;
    const tag = b[pos] ?? 0;
    if ((tag & 0x1f) === 0x1f) return false; // multi-byte tag: never in what is read here
    let len = b[pos + 1] ?? 0;
    let p = pos + 2;
    if (len >= 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 3 || p + n > limit) return false; // indefinite or absurd
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + (b[p++] ?? 0);
    }
    if (p + len > limit) return false;
    this.pos = pos;
    this.tag = tag;
    this.start = p;
    this.end = p + len;
    return true;
  }

  /** Reads the element at `pos` and checks its tag. */
  expect(tag: number, pos: number, limit: number): boolean {
    return this.at(pos, limit) && this.tag === tag;
  }
}

/** The peer's leaf certificate inside a serialised OpenSSL session, or null. */
export function leafFromSession(session: Buffer): Buffer | null {
  const e = new Element(session);
  if (!e.expect(SEQUENCE, 0, session.length) || e.end !== session.length) return null;
  const limit = e.end;
  // version (1), then ssl_version: the SSL_SESSION_ASN1 layout this reader knows.
  if (!e.expect(INTEGER, e.start, limit) || e.end - e.start !== 1 || session[e.start] !== 1) return null;
  let pos = e.end;
  while (pos < limit && e.at(pos, limit)) {
    if (e.tag === 0xa3) {
      const outer = e.end;
      if (!e.expect(SEQUENCE, e.start, outer) || e.end !== outer) return null;
      return session.subarray(e.pos, e.end);
    }
    if (!SESSION_FIELDS_BEFORE_PEER.has(e.tag)) return null;
    pos = e.end;
  }
  return null;
}

/** The fields of a certificate, or null when its shape is not one read with certainty here. */
export function readCertificate(der: Buffer): DerCertificate | null {
  const e = new Element(der);
  if (!e.expect(SEQUENCE, 0, der.length) || e.end !== der.length) return null;
  if (!e.expect(SEQUENCE, e.start, der.length)) return null; // tbsCertificate
  const tbsEnd = e.end;
  let pos = e.start;
  if (!e.at(pos, tbsEnd)) return null;
  if (e.tag === 0xa0) {
    pos = e.end; // version
    if (!e.at(pos, tbsEnd)) return null;
  }
  if (e.tag !== INTEGER) return null; // serialNumber
  if (!e.expect(SEQUENCE, e.end, tbsEnd)) return null; // signature algorithm
  if (!e.expect(SEQUENCE, e.end, tbsEnd)) return null;
  const issuer = readName(e, e.start, e.end);
  if (issuer === null || !e.expect(SEQUENCE, e.end, tbsEnd)) return null; // validity
  const validityEnd = e.end;
  const notBefore = readTime(der, e, e.start, validityEnd);
  if (notBefore === null) return null;
  const notAfter = readTime(der, e, e.end, validityEnd);
  if (notAfter === null || e.end !== validityEnd) return null;
  if (!e.expect(SEQUENCE, validityEnd, tbsEnd)) return null;
  const subject = readName(e, e.start, e.end);
  if (subject === null || !e.expect(SEQUENCE, e.end, tbsEnd)) return null; // subjectPublicKeyInfo
  pos = e.end;
  let altNames: string[] = [];
  while (pos < tbsEnd) {
    if (!e.at(pos, tbsEnd)) return null;
    pos = e.end;
    if (e.tag === 0x81 || e.tag === 0x82) continue; // issuer / subject unique IDs
    if (e.tag !== 0xa3 || pos !== tbsEnd) return null;
    const names = readExtensions(der, e, e.start, e.end);
    if (names === null) return null;
    altNames = names;
  }
  return { subject, issuer, altNames, notBefore, notAfter };
}

/** A Name (SEQUENCE OF SET OF AttributeTypeAndValue) as Node's object; `e` ends past it. */
function readName(e: Element, start: number, end: number): DistinguishedName | null {
  const b = e.b;
  const name: DistinguishedName = Object.create(null) as DistinguishedName;
  let pos = start;
  while (pos < end) {
    if (!e.expect(SET, pos, end) || e.start === e.end) return null;
    const setEnd = e.end;
    let p = e.start;
    while (p < setEnd) {
      if (!e.expect(SEQUENCE, p, setEnd)) return null;
      const avaEnd = e.end;
      p = avaEnd;
      if (!e.expect(OID, e.start, avaEnd)) return null;
      const key = ATTRIBUTE_NAMES.get(latin1(b, e.start, e.end));
      if (key === undefined || !e.at(e.end, avaEnd) || e.end !== avaEnd) return null;
      const value = readString(b, e.tag, e.start, e.end);
      if (value === null) return null;
      const seen = name[key];
      if (seen === undefined) name[key] = value;
      else if (typeof seen === 'string') name[key] = [seen, value];
      else seen.push(value);
    }
    pos = setEnd;
  }
  e.end = end;
  return name;
}

/** A directory string's text as ASN1_STRING_to_UTF8 and V8 give it, or null when not certain. */
function readString(b: Buffer, tag: number, start: number, end: number): string | null {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if ((b[i] ?? 0) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return tag === UTF8_STRING || BYTE_STRINGS.has(tag) ? latin1(b, start, end) : null;
  if (tag !== UTF8_STRING) return null;
  try {
    return utf8.decode(b.subarray(start, end));
  } catch {
    return null;
  }
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A Time at `pos` as the ISO text tls-info's certificateDate makes of OpenSSL's printed form, for
 * whole seconds in "Z" of a real calendar day in years 1000–9999; null for anything else.
 */
function readTime(b: Buffer, e: Element, pos: number, limit: number): string | null {
  if (!e.at(pos, limit)) return null;
  const len = e.end - e.start;
  let text: string;
  if (e.tag === UTC_TIME && len === 13) {
    const yy = latin1(b, e.start, e.start + 2);
    text = (Number(yy) < 50 ? '20' : '19') + latin1(b, e.start, e.end);
  } else if (e.tag === GENERALIZED_TIME && len === 15) {
    text = latin1(b, e.start, e.end);
  } else return null;
  if (!/^[1-9]\d{13}Z$/.test(text)) return null;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(4, 6));
  const day = Number(text.slice(6, 8));
  const hour = Number(text.slice(8, 10));
  const minute = Number(text.slice(10, 12));
  const second = Number(text.slice(12, 14));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (DAYS[month - 1] ?? 0);
  if (month < 1 || day < 1 || day > days || hour > 23 || minute > 59 || second > 59) return null;
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}T${text.slice(8, 10)}:${text.slice(10, 12)}:${text.slice(12, 14)}.000Z`;
}

/** The SAN entries Node would list from [3] Extensions, [] without a SAN; null when not certain. */
function readExtensions(b: Buffer, e: Element, start: number, end: number): string[] | null {
  if (!e.expect(SEQUENCE, start, end) || e.end !== end) return null;
  let names: string[] | null = null;
  let pos = e.start;
  while (pos < end) {
    if (!e.expect(SEQUENCE, pos, end)) return null;
    const extEnd = e.end;
    pos = extEnd;
    if (!e.expect(OID, e.start, extEnd)) return null;
    const isSan = latin1(b, e.start, e.end) === SUBJECT_ALT_NAME;
    if (!e.at(e.end, extEnd)) return null;
    if (e.tag === BOOLEAN && !e.at(e.end, extEnd)) return null;
    if (e.tag !== OCTET_STRING || e.end !== extEnd) return null;
    if (!isSan) continue;
    if (names !== null) return null; // a second SAN extension: OpenSSL's choice, not guessed here
    names = readAltNames(b, e, e.start, e.end);
    if (names === null) return null;
  }
  return names ?? [];
}

/** GeneralNames: DNS names (bytes read as Latin-1, as Node escapes them) and IP addresses. */
function readAltNames(b: Buffer, e: Element, start: number, end: number): string[] | null {
  if (!e.expect(SEQUENCE, start, end) || e.end !== end) return null;
  const out: string[] = [];
  let pos = e.start;
  while (pos < end) {
    if (!e.at(pos, end)) return null;
    pos = e.end;
    const len = e.end - e.start;
    if (e.tag === 0x82) out.push(latin1(b, e.start, e.end));
    else if (e.tag === 0x87 && len === 4)
      out.push(`${b[e.start]}.${b[e.start + 1]}.${b[e.start + 2]}.${b[e.start + 3]}`);
    else if (e.tag === 0x87 && len === 16) out.push(ipv6(b, e.start));
    else if (e.tag !== 0x81 && e.tag !== 0x86) return null; // e-mail and URI are not kept
  }
  return out;
}

/** Eight groups in upper-case hex without leading zeros or compression, as Node prints them. */
function ipv6(b: Buffer, start: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push((((b[start + i] ?? 0) << 8) | (b[start + i + 1] ?? 0)).toString(16).toUpperCase());
  return groups.join(':');
}

function latin1(b: Buffer, start: number, end: number): string {
  return b.toString('latin1', start, end);
}
