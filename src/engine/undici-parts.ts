// The parts of undici the engine uses, loaded from their own modules instead of the package index.
// The index loads all of undici — fetch, WebSocket, cookies, mock agents, and through them Node's
// own bundled copy of undici — 85–100 ms of every scan's start-up, against ~25 ms for these four.
// undici 7 publishes no "exports" map, so these files are reachable as they are (their types:
// undici-parts.d.ts); test/undici-parts.test.ts checks each is the very object the index exports,
// so an upgrade that moves one fails the suite rather than the scan.
import Client from 'undici/lib/dispatcher/client.js';
import buildConnector from 'undici/lib/core/connect.js';
import errors from 'undici/lib/core/errors.js';
import util from 'undici/lib/core/util.js';

export { Client, buildConnector, errors, util };
