// The fleet's DNS server answers A/AAAA for the fleet's names (and out-of-scope names), NXDOMAIN
// for others, and survives malformed packets; the codec is checked directly too.
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, buildQuery, parseQuery, RCODE, TYPE_A, TYPE_AAAA } from '../src/fleet/dns-codec.js';
import { startFleet, standardFleet, standardFleetLayout, type Fleet } from '../src/fleet/index.js';

const BASE = '127.13.0.0';
const DNS_IP = '127.13.0.53';
const DNS_PORT = 15353;
let fleet: Fleet;
let resolver: Resolver;

beforeAll(async () => {
  fleet = await startFleet({
    hosts: standardFleet({ base: BASE, httpsPort: 18443, httpPort: 18080 }),
    dns: {
      ip: DNS_IP,
      port: DNS_PORT,
      records: { 'v6.fleet.test': ['fd00::1', '2001:db8::a:b'], 'elsewhere.fleet.test': ['127.13.251.9'] },
    },
    lifetimeMs: 60_000,
  });
  resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([`${DNS_IP}:${String(DNS_PORT)}`]);
});

afterAll(async () => {
  await fleet.stop();
});

describe('fleet DNS over UDP', () => {
  it('resolves every fleet name to its address', async () => {
    expect(fleet.dns).toEqual({ ip: DNS_IP, port: DNS_PORT });
    const mail = fleet.hosts.find((h) => h.name === 'mail.fleet.test');
    expect(await resolver.resolve4('mail.fleet.test')).toEqual([mail?.ip]);
    expect(await resolver.resolve4('MAIL.Fleet.TEST')).toEqual([mail?.ip]);
    const cu9 = fleet.hosts.find((h) => h.profile.id === 'ex2019-cu9');
    expect(await resolver.resolve4('ex2019-cu9.fleet.test')).toEqual([cu9?.ip]);
  });

  it('resolves names out of scope: the sentinel, and a name with one address in and one out', async () => {
    const { sentinel } = standardFleetLayout(BASE);
    const mail = fleet.hosts.find((h) => h.name === 'mail.fleet.test');
    expect(await resolver.resolve4('outside.fleet.test')).toEqual([sentinel]);
    expect((await resolver.resolve4('mixed.fleet.test')).sort()).toEqual([mail?.ip, sentinel].sort());
    expect(await resolver.resolve4('elsewhere.fleet.test')).toEqual(['127.13.251.9']);
  });

  it('answers AAAA from extra records, NODATA for v4-only names, NXDOMAIN for unknown names', async () => {
    expect(await resolver.resolve6('v6.fleet.test')).toEqual(['fd00::1', '2001:db8::a:b']);
    await expect(resolver.resolve6('mail.fleet.test')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(resolver.resolve4('nobody.fleet.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolver.resolve4('example.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('ignores or refuses malformed packets and keeps answering', async () => {
    const socket = createSocket('udp4');
    const replies: Buffer[] = [];
    socket.on('message', (m) => replies.push(m));
    const send = (b: Buffer): Promise<void> =>
      new Promise((resolve, reject) =>
        socket.send(b, DNS_PORT, DNS_IP, (err) => (err ? reject(err) : resolve())),
      );
    const pointer = Buffer.concat([
      buildQuery(7, 'a', TYPE_A).subarray(0, 12),
      Buffer.from([0xc0, 0x0c, 0, 1, 0, 1]),
    ]);
    const tooLong = Buffer.concat([buildQuery(8, 'a', TYPE_A).subarray(0, 12), Buffer.alloc(600, 1)]);
    await send(Buffer.from([1, 2, 3])); // shorter than a header: ignored
    await send(Buffer.from(buildQuery(9, 'mail.fleet.test', TYPE_A).map((b, i) => (i === 2 ? b | 0x80 : b)))); // a response: ignored
    await send(pointer); // compression pointer in the question: FORMERR
    await send(tooLong); // oversized: ignored
    await new Promise((r) => setTimeout(r, 200));
    socket.close();
    expect(replies).toHaveLength(1);
    expect(replies[0]?.readUInt16BE(0)).toBe(7);
    expect((replies[0]?.readUInt16BE(2) ?? 0) & 0xf).toBe(RCODE.formErr);
    expect(await resolver.resolve4('outside.fleet.test')).toHaveLength(1);
  });
});

describe('DNS codec', () => {
  const table = new Map([
    ['a.test', ['127.0.0.1', '::1']],
    ['b.test', ['fe80::1:2', '::ffff:127.0.0.2']],
  ]);

  it('parses a query and answers A with a name pointer and the echoed question', () => {
    const parsed = parseQuery(buildQuery(0x1234, 'A.Test', TYPE_A));
    expect(parsed).toMatchObject({
      ok: true,
      question: { id: 0x1234, name: 'a.test', type: TYPE_A, qclass: 1, recursionDesired: true },
    });
    if (parsed?.ok !== true) throw new Error('not parsed');
    const reply = answer(parsed.question, table);
    expect(reply.readUInt16BE(0)).toBe(0x1234);
    expect(reply.readUInt16BE(2) & 0x8000).toBe(0x8000); // QR
    expect(reply.readUInt16BE(2) & 0xf).toBe(RCODE.noError);
    expect(reply.readUInt16BE(6)).toBe(1); // one A answer; the ::1 is AAAA only
    expect([...reply.subarray(reply.length - 4)]).toEqual([127, 0, 0, 1]);
    expect(reply.readUInt16BE(12 + parsed.question.raw.length)).toBe(0xc00c);
  });

  it('encodes AAAA, including embedded IPv4', () => {
    const parsed = parseQuery(buildQuery(1, 'b.test', TYPE_AAAA));
    if (parsed?.ok !== true) throw new Error('not parsed');
    const reply = answer(parsed.question, table);
    expect(reply.readUInt16BE(6)).toBe(2);
    const last = reply.subarray(reply.length - 16).toString('hex');
    expect(last).toBe('00000000000000000000ffff7f000002');
  });

  it('returns NXDOMAIN for unknown names and refuses non-queries and bad counts', () => {
    const parsed = parseQuery(buildQuery(2, 'c.test', TYPE_A));
    if (parsed?.ok !== true) throw new Error('not parsed');
    expect(answer(parsed.question, table).readUInt16BE(2) & 0xf).toBe(RCODE.nxDomain);
    const twoQuestions = buildQuery(3, 'a.test', TYPE_A);
    twoQuestions.writeUInt16BE(2, 4);
    expect(parseQuery(twoQuestions)).toEqual({ ok: false, id: 3, rcode: RCODE.formErr });
    const notify = buildQuery(4, 'a.test', TYPE_A);
    notify.writeUInt16BE(4 << 11, 2);
    expect(parseQuery(notify)).toEqual({ ok: false, id: 4, rcode: RCODE.notImp });
    const truncated = buildQuery(5, 'a.test', TYPE_A).subarray(0, 16);
    expect(parseQuery(truncated)).toEqual({ ok: false, id: 5, rcode: RCODE.formErr });
    const longName = buildQuery(6, Array.from({ length: 5 }, () => 'x'.repeat(60)).join('.'), TYPE_A);
    expect(parseQuery(longName)).toEqual({ ok: false, id: 6, rcode: RCODE.formErr });
  });
});
