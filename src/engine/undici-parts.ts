// The parts of undici the engine uses, loaded from their own modules instead of the package index.
// The index loads all of undici — fetch, WebSocket, cookies, mock agents, and through them Node's
// own bundled copy of undici — 85–100 ms of every scan's start-up, against ~25 ms for these four.
// undici 7 publishes no "exports" map, so these files are reachable as they are;
// test/undici-parts.test.ts checks each is the very object the index exports, so an upgrade that
// moves one fails the suite rather than the scan.
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const load = createRequire(import.meta.url);

export const Client = load('undici/lib/dispatcher/client.js') as typeof Undici.Client;
export const buildConnector = load('undici/lib/core/connect.js') as typeof Undici.buildConnector;
export const errors = load('undici/lib/core/errors.js') as typeof Undici.errors;
export const util = load('undici/lib/core/util.js') as typeof Undici.util;
