// The one colour policy of the command line: plain into pipes (even where `CI` is set, where
// picocolors' default would colour), NO_COLOR wins, FORCE_COLOR asks for colour explicitly.
import { describe, expect, it } from 'vitest';
import type { ResultRecord } from '../src/core/result-schema.js';
import { createProgress } from '../src/scan/progress.js';
import { colorsFor, wantsColor } from '../src/util/colors.js';

const record: ResultRecord = {
  schema: 'owa-audit/result@1',
  target: '192.0.2.1',
  host: null,
  ip: '192.0.2.1',
  port: 443,
  scheme: 'https',
  status: 'not-exchange',
  observedAt: '2026-11-27T00:00:00.000Z',
  requests: 1,
  exchange: null,
  evidence: [],
  tls: null,
  owner: null,
  error: null,
};

const pipe = { isTTY: undefined };
const tty = { isTTY: true };

describe('wantsColor', () => {
  it('is off for a pipe, also on a CI machine', () => {
    expect(wantsColor(pipe, {})).toBe(false);
    expect(wantsColor(pipe, { CI: 'true' })).toBe(false);
    expect(colorsFor(pipe, { CI: 'true' }).bold('x')).toBe('x');
  });

  it('is on for a terminal unless TERM=dumb or NO_COLOR is set', () => {
    expect(wantsColor(tty, {})).toBe(true);
    expect(colorsFor(tty, {}).bold('x')).not.toBe('x');
    expect(wantsColor(tty, { TERM: 'dumb' })).toBe(false);
    expect(wantsColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor(tty, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
  });

  it('follows FORCE_COLOR when no NO_COLOR is set', () => {
    expect(wantsColor(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColor(pipe, { FORCE_COLOR: '' })).toBe(true);
    expect(wantsColor(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(wantsColor(tty, { NO_COLOR: '' })).toBe(true);
  });
});

/** An ANSI colour sequence (Select Graphic Rendition). */
const SGR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`);

describe('the scan progress line', () => {
  // The live line on a terminal took its colours from picocolors directly and ignored NO_COLOR.
  const draw = (env: Record<string, string | undefined>): string => {
    const out: string[] = [];
    const p = createProgress({
      total: 10,
      stream: { write: (t: string) => out.push(t), isTTY: true, columns: 200 },
      env,
      now: () => 0,
    });
    p.onRecord({ ...record, status: 'exchange' });
    p.stop();
    return out.join('');
  };

  it('follows the same policy: coloured on a terminal, plain with NO_COLOR or TERM=dumb', () => {
    expect(draw({})).toContain('\x1b[1m');
    expect(draw({ NO_COLOR: '1' })).not.toMatch(SGR);
    expect(draw({ TERM: 'dumb' })).not.toMatch(SGR);
    // The live line is still redrawn in place (that escape is not colour).
    expect(draw({ NO_COLOR: '1' })).toContain('\r\x1b[2K');
  });
});
