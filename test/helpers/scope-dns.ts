// A tiny authoritative DNS server for scope tests: UDP on a loopback address, A and AAAA answers
// from a table, NXDOMAIN for names it does not know, nothing else. It counts the queries it gets
// so tests can prove a name is resolved once. Bounded: it answers only while open, and the test
// closes it in afterAll.
import { createSocket, type Socket } from 'node:dgram';
import { isIPv4, isIPv6 } from 'node:net';

export interface DnsTable {
  [name: string]: string[]; // addresses; empty = name exists, no records
}

export interface TestDnsServer {
  /** "ip:port", for createResolver / probe.resolvers. */
  address: string;
  /** Queries received, by "name/type" (type A or AAAA). */
  queries: Map<string, number>;
  /** Names the server pretends not to hear (no answer at all: the client times out). */
  silent: Set<string>;
  close(): Promise<void>;
}

function readName(msg: Buffer, offset: number): { name: string; end: number } | null {
  const labels: string[] = [];
  let i = offset;
  for (let guard = 0; guard < 128; guard++) {
    const len = msg[i];
    if (len === undefined) return null;
    if (len === 0) return { name: labels.join('.').toLowerCase(), end: i + 1 };
    if (len > 63 || i + 1 + len > msg.length) return null; // no compression in queries
    labels.push(msg.toString('latin1', i + 1, i + 1 + len));
    i += 1 + len;
  }
  return null;
}

function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  const [head = '', tail = ''] = ip.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::')
    ? [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t]
    : h;
  const out = Buffer.alloc(16);
  groups.forEach((g, k) => out.writeUInt16BE(parseInt(g, 16), k * 2));
  return out;
}

function answer(
  query: Buffer,
  table: DnsTable,
  queries: Map<string, number>,
  silent: Set<string>,
): Buffer | null {
  if (query.length < 12) return null;
  const q = readName(query, 12);
  if (q === null || q.end + 4 > query.length) return null;
  const qtype = query.readUInt16BE(q.end);
  const typeName = qtype === 1 ? 'A' : qtype === 28 ? 'AAAA' : String(qtype);
  const key = `${q.name}/${typeName}`;
  queries.set(key, (queries.get(key) ?? 0) + 1);
  if (silent.has(q.name)) return null;
  const question = query.subarray(12, q.end + 4);
  const known = Object.hasOwn(table, q.name);
  const addrs = (table[q.name] ?? []).filter((a) =>
    qtype === 1 ? isIPv4(a) : qtype === 28 ? isIPv6(a) : false,
  );
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0); // id
  header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | (known ? 0 : 3), 2); // QR AA RD, rcode
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(addrs.length, 6);
  const records = addrs.map((a) => {
    const rdata = ipBytes(a);
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // pointer to the question name
    rr.writeUInt16BE(qtype, 2);
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([rr, rdata]);
  });
  return Buffer.concat([header, question, ...records]);
}

export async function startDnsServer(host: string, port: number, table: DnsTable): Promise<TestDnsServer> {
  const socket: Socket = createSocket('udp4');
  const queries = new Map<string, number>();
  const silent = new Set<string>();
  socket.on('message', (msg, rinfo) => {
    const reply = answer(msg, table, queries, silent);
    if (reply !== null) socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => resolve());
  });
  socket.unref();
  return {
    address: `${host}:${port}`,
    queries,
    silent,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
