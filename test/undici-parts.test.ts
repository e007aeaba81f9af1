// The engine loads undici's parts from their own modules (src/engine/undici-parts.ts) to skip the
// package index's start-up cost. That leans on undici's file layout: each part must be the very
// object the index exports, so an upgrade that moves or replaces one fails here, not in a scan.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as parts from '../src/engine/undici-parts.js';

const load = createRequire(import.meta.url);
const undici = load('undici') as Record<string, unknown>;

describe('undici parts', () => {
  it.each(['Client', 'buildConnector', 'errors'] as const)('%s is the object undici exports', (name) => {
    expect(parts[name]).toBeDefined();
    expect(parts[name]).toBe(undici[name]);
  });

  it("util's functions are those undici exports (its index copies them into an object of its own)", () => {
    const exported = undici['util'] as Record<string, unknown>;
    for (const name of ['parseHeaders', 'headerNameToString'] as const) {
      expect(parts.util[name]).toBeDefined();
      expect(parts.util[name]).toBe(exported[name]);
    }
  });

  it('has what the engine reads from them', () => {
    expect(typeof parts.errors.ClientDestroyedError).toBe('function');
    expect(typeof parts.util.headerNameToString).toBe('function');
    expect(typeof parts.Client.prototype.dispatch).toBe('function');
  });
});
