// "This request is being written to the socket now", for the rate gate. undici publishes its
// `undici:client:sendHeaders` diagnostics event synchronously right before it writes a request's
// head; listening to it lets the gate count requests (global window and per-IP gap) from the
// moment they leave, not from when they were granted — under CPU pressure those two moments can
// be tens of milliseconds apart, enough to squeeze two limits' worth into one at the target.
//
// One process-wide subscription; sockets are registered by the session's connector and held
// weakly, so events from other undici users in the process (fetch) are simply ignored.
import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

const listeners = new WeakMap<object, () => void>();
let subscribed = false;

function onSendHeaders(message: unknown): void {
  const socket = (message as { socket?: unknown } | null)?.socket;
  if (typeof socket !== 'object' || socket === null) return;
  try {
    listeners.get(socket)?.();
  } catch {
    // Never let bookkeeping break undici's write path.
  }
}

/** Call `listener` each time undici writes a request head to `socket`. */
export function onRequestWrite(socket: Socket, listener: () => void): void {
  if (!subscribed) {
    subscribe('undici:client:sendHeaders', onSendHeaders);
    subscribed = true;
  }
  listeners.set(socket, listener);
}
