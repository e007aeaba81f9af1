// Child processes of the bench: the fleet in one process, the scanner (or the reference client,
// or the report renderer) in another, so each one's memory, CPU and file descriptors are its own.
//
// Every child is bounded three ways: it exits when its parent goes away (IPC disconnect), it
// exits by itself after `lifetimeMs`, and the parent SIGKILLs every child still alive when it
// exits. A request that gets no answer in time kills the child too.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface ChildReply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

export interface BenchChild {
  readonly pid: number;
  /** The first message the child sent by itself (its "hello"). */
  readonly hello: Promise<unknown>;
  /** Send a request and wait for its reply; kills the child when none comes within `timeoutMs`. */
  request<T>(message: Record<string, unknown>, timeoutMs: number): Promise<T>;
  /** Resolves when the child has exited. */
  readonly exited: Promise<number | null>;
  kill(): void;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of live) child.kill('SIGKILL');
      process.exit(130);
    });
  }
}

/**
 * Where the fd limit can be raised (a shell's `ulimit -n` up to the hard limit), start the child
 * through `sh` so a 10,000-host fleet is not refused by a soft limit of 1,024.
 */
function command(script: string, execArgv: readonly string[]): { file: string; args: string[] } {
  const node = [process.execPath, ...execArgv, script];
  if (process.platform !== 'linux') return { file: node[0] ?? process.execPath, args: node.slice(1) };
  return { file: '/bin/sh', args: ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'sh', ...node] };
}

/** Start `module` (a file next to this one in the built bench) as a child with an IPC channel. */
export function startChild(module: string, opts: { lifetimeMs: number; args?: string[] }): BenchChild {
  installExitHook();
  const script = fileURLToPath(new URL(module, import.meta.url));
  const { file, args } = command(script, ['--expose-gc']);
  const child = spawn(file, [...args, ...(opts.args ?? [])], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, OWA_BENCH_LIFETIME_MS: String(opts.lifetimeMs) },
  });
  live.add(child);
  const lifetime = setTimeout(() => child.kill('SIGKILL'), opts.lifetimeMs + 5_000);
  lifetime.unref();

  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let resolveHello!: (v: unknown) => void;
  let rejectHello!: (e: Error) => void;
  const hello = new Promise<unknown>((resolve, reject) => {
    resolveHello = resolve;
    rejectHello = reject;
  });
  hello.catch(() => undefined);
  let greeted = false;

  const exited = new Promise<number | null>((resolve) => {
    const ended = (code: number | null, why: Error): void => {
      live.delete(child);
      clearTimeout(lifetime);
      if (!greeted) rejectHello(why);
      for (const p of pending.values()) p.reject(why);
      pending.clear();
      resolve(code);
    };
    child.once('exit', (code, signal) =>
      ended(code, new Error(`bench child ${module} exited (${signal ?? `code ${String(code)}`})`)),
    );
    // A child that could not be started emits no 'exit'. Later errors (a send to a child that
    // just died) need a listener too, or they would throw here.
    child.once('error', (e) => {
      if (child.pid === undefined) ended(null, e);
    });
    child.on('error', () => undefined);
  });

  child.on('message', (raw: unknown) => {
    if (!greeted) {
      greeted = true;
      resolveHello(raw);
      return;
    }
    const reply = raw as ChildReply;
    const p = pending.get(reply.id);
    if (p === undefined) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.value);
    else p.reject(new Error(reply.error ?? 'bench child failed'));
  });

  return {
    pid: child.pid ?? -1,
    hello,
    exited,
    kill: () => child.kill('SIGKILL'),
    request<T>(message: Record<string, unknown>, timeoutMs: number): Promise<T> {
      const id = nextId++;
      if (!child.connected) return Promise.reject(new Error(`bench child ${module} is gone`));
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          child.kill('SIGKILL');
          reject(
            new Error(`bench child ${module}: no answer to ${String(message.op)} within ${timeoutMs} ms`),
          );
        }, timeoutMs);
        pending.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v as T);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        child.send({ ...message, id });
      });
    },
  };
}

/** Child side: answer requests with `handle`, exit with the parent or at the end of the lifetime. */
export function serveParent(
  hello: unknown,
  handle: (message: Record<string, unknown>) => Promise<unknown>,
): void {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('a bench child must be started by the bench (no IPC channel)');
  const lifetimeMs = Number(process.env.OWA_BENCH_LIFETIME_MS ?? 600_000);
  setTimeout(() => process.exit(3), lifetimeMs).unref();
  process.on('disconnect', () => process.exit(0));
  process.on('message', (raw: unknown) => {
    const message = raw as Record<string, unknown> & { id: number };
    handle(message).then(
      (value) => send({ id: message.id, ok: true, value }),
      (e: unknown) =>
        send({ id: message.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
    );
  });
  send(hello);
}

/** Soft limit of open files of this process (Linux /proc), or null when unknown. */
export async function openFileLimit(): Promise<number | null> {
  try {
    const text = await readFile('/proc/self/limits', 'utf8');
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(text);
    if (m?.[1] === undefined) return null;
    return m[1] === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(m[1]);
  } catch {
    return null;
  }
}
