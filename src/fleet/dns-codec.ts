// Just enough DNS (RFC 1035) for the fleet: parse one question, answer A/AAAA from a table.
// Every packet is untrusted: lengths are checked before each read, names are bounded, and
// compression pointers in a question are refused rather than followed.
import { isIPv4, isIPv6 } from 'node:net';

export const TYPE_A = 1;
export const TYPE_AAAA = 28;
const CLASS_IN = 1;
const HEADER = 12;
const MAX_QUERY_BYTES = 512;
const MAX_NAME = 255;
const MAX_ANSWERS = 16;
const TTL_SECONDS = 60;

export const RCODE = { noError: 0, formErr: 1, nxDomain: 3, notImp: 4 } as const;

export interface DnsQuestion {
  id: number;
  /** Lower-case, no trailing dot. */
  name: string;
  type: number;
  qclass: number;
  recursionDesired: boolean;
  /** The question section as received, echoed in the answer. */
  raw: Buffer;
}

export type ParsedQuery =
  | { ok: true; question: DnsQuestion }
  | { ok: false; id: number; rcode: number } // answerable error (FORMERR / NOTIMP)
  | null; // not worth answering (too short, a response, oversized)

export function parseQuery(packet: Buffer): ParsedQuery {
  if (packet.length < HEADER || packet.length > MAX_QUERY_BYTES) return null;
  const id = packet.readUInt16BE(0);
  const flags = packet.readUInt16BE(2);
  if ((flags & 0x8000) !== 0) return null; // a response, not a query
  const opcode = (flags >> 11) & 0xf;
  if (opcode !== 0) return { ok: false, id, rcode: RCODE.notImp };
  if (packet.readUInt16BE(4) !== 1) return { ok: false, id, rcode: RCODE.formErr };
  const labels: string[] = [];
  let offset = HEADER;
  let nameLength = 0;
  for (;;) {
    if (offset >= packet.length) return { ok: false, id, rcode: RCODE.formErr };
    const len = packet[offset] ?? 0;
    offset++;
    if (len === 0) break;
    if (len > 63) return { ok: false, id, rcode: RCODE.formErr }; // pointer or reserved bits
    nameLength += len + 1;
    if (nameLength > MAX_NAME || offset + len > packet.length) return { ok: false, id, rcode: RCODE.formErr };
    labels.push(packet.toString('latin1', offset, offset + len).toLowerCase());
    offset += len;
  }
  if (offset + 4 > packet.length) return { ok: false, id, rcode: RCODE.formErr };
  const type = packet.readUInt16BE(offset);
  const qclass = packet.readUInt16BE(offset + 2);
  offset += 4;
  return {
    ok: true,
    question: {
      id,
      name: labels.join('.'),
      type,
      qclass,
      recursionDesired: (flags & 0x0100) !== 0,
      raw: packet.subarray(HEADER, offset),
    },
  };
}

function header(id: number, rcode: number, rd: boolean, qd: number, an: number): Buffer {
  const h = Buffer.alloc(HEADER);
  h.writeUInt16BE(id, 0);
  // QR=1, opcode 0, AA=1, RD echoed, RA=0.
  h.writeUInt16BE(0x8000 | 0x0400 | (rd ? 0x0100 : 0) | (rcode & 0xf), 2);
  h.writeUInt16BE(qd, 4);
  h.writeUInt16BE(an, 6);
  return h;
}

export function errorResponse(id: number, rcode: number): Buffer {
  return header(id, rcode, false, 0, 0);
}

function rdata(address: string, type: number): Buffer | null {
  if (type === TYPE_A && isIPv4(address)) return Buffer.from(address.split('.').map(Number));
  if (type === TYPE_AAAA && isIPv6(address)) return ipv6Bytes(address);
  return null;
}

function ipv6Bytes(address: string): Buffer {
  // Expand "::" and an embedded IPv4 tail into eight 16-bit groups.
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1] !== undefined) {
    const b = v4[1].split('.').map(Number);
    text = `${text.slice(0, -v4[1].length)}${(((b[0] ?? 0) << 8) | (b[1] ?? 0)).toString(16)}:${(((b[2] ?? 0) << 8) | (b[3] ?? 0)).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16) & 0xffff, i * 2));
  return out;
}

/**
 * The answer for one question from `table` (name → addresses). Unknown name: NXDOMAIN. Known name
 * without an address of the asked type: NOERROR with no answers. Other classes: NOTIMP.
 */
export function answer(q: DnsQuestion, table: ReadonlyMap<string, readonly string[]>): Buffer {
  if (q.qclass !== CLASS_IN)
    return Buffer.concat([header(q.id, RCODE.notImp, q.recursionDesired, 1, 0), q.raw]);
  const addresses = table.get(q.name);
  if (addresses === undefined)
    return Buffer.concat([header(q.id, RCODE.nxDomain, q.recursionDesired, 1, 0), q.raw]);
  const records: Buffer[] = [];
  for (const address of addresses) {
    if (records.length === MAX_ANSWERS) break;
    const data = rdata(address, q.type);
    if (data === null) continue;
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // pointer to the question's name
    rr.writeUInt16BE(q.type, 2);
    rr.writeUInt16BE(CLASS_IN, 4);
    rr.writeUInt32BE(TTL_SECONDS, 6);
    rr.writeUInt16BE(data.length, 10);
    records.push(rr, data);
  }
  return Buffer.concat([
    header(q.id, RCODE.noError, q.recursionDesired, 1, records.length / 2),
    q.raw,
    ...records,
  ]);
}

/** Builds a query packet (for tests and probes of the server). */
export function buildQuery(id: number, name: string, type: number): Buffer {
  const parts = name
    .split('.')
    .filter((l) => l.length > 0)
    .map((l) => {
      const b = Buffer.from(l, 'latin1');
      return Buffer.concat([Buffer.from([b.length]), b]);
    });
  const tail = Buffer.alloc(5);
  tail.writeUInt16BE(type, 1);
  tail.writeUInt16BE(CLASS_IN, 3);
  const h = Buffer.alloc(HEADER);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(0x0100, 2);
  h.writeUInt16BE(1, 4);
  return Buffer.concat([h, ...parts, tail]);
}
