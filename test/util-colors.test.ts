// The one colour policy of the command line: plain into pipes (even where `CI` is set, where
// picocolors' default would colour), NO_COLOR wins, FORCE_COLOR asks for colour explicitly.
import { describe, expect, it } from 'vitest';
import { colorsFor, wantsColor } from '../src/util/colors.js';

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
