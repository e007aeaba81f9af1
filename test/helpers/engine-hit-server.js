/* global process, performance, setTimeout */
// Loopback HTTP servers in their own process, logging when each request arrives. The rate tests
// use it so that the timestamps come from an idle process the kernel wakes promptly, as a real
// target would, rather than from the busy test process that also runs the engine.
// Usage: node engine-hit-server.js '{"ips":["127.4.0.1"],"port":18080}'
// Prints "ready"; on the stdin line "dump" prints the hits so far as one JSON line; exits when
// stdin closes, and after 60 s in any case.
import { createServer } from 'node:http';

const cfg = JSON.parse(process.argv[2] ?? '{}');
const hits = [];

function listen(ip) {
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      hits.push({ t: performance.now(), ip, port: cfg.port, path: req.url ?? '', host: req.headers.host ?? null });
      res.end('ok');
    });
    server.once('error', reject);
    server.listen(cfg.port, ip, () => resolve(server));
  });
}

const servers = await Promise.all(cfg.ips.map(listen));
setTimeout(() => process.exit(0), 60_000).unref();
process.stdin.setEncoding('utf8');
let pending = '';
process.stdin.on('data', (chunk) => {
  pending += chunk;
  for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
    const command = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    if (command === 'dump') process.stdout.write(`${JSON.stringify(hits)}\n`);
  }
});
process.stdin.on('end', () => {
  for (const s of servers) s.close();
  process.exit(0);
});
process.stdout.write('ready\n');
