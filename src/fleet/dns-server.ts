// A tiny authoritative UDP DNS server for the fleet's names (A and AAAA only).
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { answer, errorResponse, parseQuery } from './dns-codec.js';

export interface DnsServer {
  ip: string;
  port: number;
  /** Queries received (answered or not). */
  readonly queries: number;
  close(): Promise<void>;
}

/** name (any case, trailing dot allowed) → addresses; IPv4 answers A, IPv6 answers AAAA. */
export function dnsTable(entries: Iterable<[string, string]>): Map<string, string[]> {
  const table = new Map<string, string[]>();
  for (const [rawName, address] of entries) {
    const name = rawName.toLowerCase().replace(/\.$/, '');
    const list = table.get(name);
    if (list === undefined) table.set(name, [address]);
    else if (!list.includes(address)) list.push(address);
  }
  return table;
}

export async function startDnsServer(opts: {
  ip: string;
  port: number;
  table: ReadonlyMap<string, readonly string[]>;
}): Promise<DnsServer> {
  const socket: Socket = createSocket({ type: isIPv6(opts.ip) ? 'udp6' : 'udp4' });
  let queries = 0;
  socket.on('message', (packet, rinfo) => {
    queries++;
    const parsed = parseQuery(packet);
    if (parsed === null) return;
    const reply = parsed.ok ? answer(parsed.question, opts.table) : errorResponse(parsed.id, parsed.rcode);
    try {
      socket.send(reply, rinfo.port, rinfo.address);
    } catch {
      // closing: the query goes unanswered, as it would on a real server going down
    }
  });
  // A failed send (peer gone) must not take the fleet down.
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    socket.once('error', onError);
    socket.bind(opts.port, opts.ip, () => {
      socket.off('error', onError);
      resolve();
    });
  });
  let closing: Promise<void> | null = null;
  return {
    ip: opts.ip,
    port: socket.address().port,
    get queries() {
      return queries;
    },
    close() {
      closing ??= new Promise<void>((resolve) => socket.close(() => resolve()));
      return closing;
    },
  };
}
