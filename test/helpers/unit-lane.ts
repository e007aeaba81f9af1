// Setup file of the unit lane (vitest.config.ts, project "unit"): a unit test runs pure code, so
// opening a socket or starting a process (the CLI, a shell, Chromium) fails it at once, with the
// way out in the message. A test file that needs them is named *.integration.test.ts and runs in
// the integration lane only. Without this guard a slow test would drift into the fast lane unseen,
// and a blocked connect inside the scanner would only show up as an "unreachable" verdict.
import childProcess, { ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { afterEach, expect } from 'vitest';

const violations: string[] = [];

function refuse(what: string): never {
  const file = expect.getState().testPath ?? 'this test file';
  const message =
    `unit lane: ${what} in ${file}. Unit tests run pure code (fake timers or an injected clock; no ` +
    'sockets, processes or browser): name a test file that needs them *.integration.test.ts ' +
    '(docs/ARCHITECTURE.md, "Tests").';
  violations.push(message);
  throw new Error(message);
}

function block(target: object, key: string, what: string): void {
  Object.defineProperty(target, key, {
    configurable: true,
    writable: true,
    value: () => refuse(what),
  });
}

block(net.Socket.prototype, 'connect', 'a socket connection (net, http, tls, undici)');
block(net.Server.prototype, 'listen', 'a listening server');
block(dgram.Socket.prototype, 'bind', 'a UDP socket');
block(dgram.Socket.prototype, 'send', 'a UDP socket');
// spawn, exec, execFile and fork all end in ChildProcess.prototype.spawn; the *Sync ones do not.
block(ChildProcess.prototype, 'spawn', 'a child process');
for (const name of ['spawnSync', 'execSync', 'execFileSync'] as const)
  block(childProcess, name, `a child process (${name})`);
syncBuiltinESMExports();

// The library may catch the error above (a refused connect becomes an "unreachable" record): the
// test fails here all the same.
afterEach(() => {
  const seen = violations.splice(0);
  if (seen.length > 0) throw new Error(seen[0]);
});
