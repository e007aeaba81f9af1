// The one bounded memo and deep freeze (src/core/memo.ts) that the verdicts, the report's advice and
// the TLS facts share.
import { describe, expect, it } from 'vitest';
import { deepFreeze, rememberBounded } from '../src/core/memo.js';

describe('rememberBounded', () => {
  it('holds at most `max` entries and forgets the oldest first', () => {
    const memo = new Map<string, number>();
    for (let i = 0; i < 5; i++) expect(rememberBounded(memo, `k${i}`, i, 3)).toBe(i);
    expect([...memo.keys()]).toEqual(['k2', 'k3', 'k4']);
  });

  it('replaces a key it holds without forgetting another while there is room', () => {
    const memo = new Map([['a', 1]]);
    rememberBounded(memo, 'a', 2, 3);
    expect([...memo]).toEqual([['a', 2]]);
  });
});

describe('deepFreeze', () => {
  it('freezes every object reachable, arrays included, and returns the value', () => {
    const value = { a: { b: [{ c: 1 }] }, d: 'x' };
    expect(deepFreeze(value)).toBe(value);
    expect(Object.isFrozen(value.a.b[0])).toBe(true);
    expect(Object.isFrozen(value.a.b)).toBe(true);
    expect(() => {
      (value.a.b[0] as { c: number }).c = 2;
    }).toThrow(TypeError);
  });

  it('leaves primitives alone', () => {
    expect(deepFreeze(3)).toBe(3);
    expect(deepFreeze(null)).toBeNull();
  });
});
