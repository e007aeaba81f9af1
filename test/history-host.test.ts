// Per-host history: first seen, first seen vulnerable, the unbroken vulnerable streak and the
// days exposed, from observations over several runs.
import { describe, expect, it } from 'vitest';
import { hostHistory, type HostObservation } from '../src/history/host-history.js';

const day = (d: number): string => new Date(Date.UTC(2026, 10, 1 + d, 9, 0, 0)).toISOString();
const vul = (d: number): HostObservation => ({
  observedAt: day(d),
  status: 'exchange',
  patchLevel: 'vulnerable',
});
const out = (d: number): HostObservation => ({
  observedAt: day(d),
  status: 'exchange',
  patchLevel: 'outdated',
});
const down = (d: number): HostObservation => ({
  observedAt: day(d),
  status: 'unreachable',
  patchLevel: null,
});
const other = (d: number): HostObservation => ({
  observedAt: day(d),
  status: 'not-exchange',
  patchLevel: null,
});

describe('hostHistory', () => {
  it('a first sighting knows only itself', () => {
    expect(hostHistory([], vul(0))).toEqual({
      observations: 1,
      firstSeen: day(0),
      firstSeenVulnerable: day(0),
      vulnerableSince: day(0),
      daysExposed: 0,
      vulnerableChecks: 1,
    });
  });

  it('counts the days of an unbroken vulnerable streak, whatever order the earlier ones come in', () => {
    const h = hostHistory([vul(14), vul(0), vul(7)], vul(21));
    expect(h).toMatchObject({
      observations: 4,
      firstSeen: day(0),
      firstSeenVulnerable: day(0),
      vulnerableSince: day(0),
      daysExposed: 21,
      vulnerableChecks: 4,
    });
  });

  it('an unreachable check does not break the streak (nothing was learned)', () => {
    expect(hostHistory([vul(0), down(7)], vul(14))).toMatchObject({
      vulnerableSince: day(0),
      daysExposed: 14,
      vulnerableChecks: 2,
    });
  });

  it('a check that saw it patched, or something else answering, starts a new streak', () => {
    expect(hostHistory([vul(0), out(7)], vul(14))).toMatchObject({
      firstSeenVulnerable: day(0),
      vulnerableSince: day(14),
      daysExposed: 0,
    });
    expect(hostHistory([vul(0), other(7)], vul(14))).toMatchObject({
      vulnerableSince: day(14),
      daysExposed: 0,
    });
  });

  it('a host not vulnerable now has no exposure, but keeps its first dates', () => {
    expect(hostHistory([down(0), out(7), vul(14)], out(21))).toEqual({
      observations: 4,
      firstSeen: day(7),
      firstSeenVulnerable: day(14),
      vulnerableSince: null,
      daysExposed: null,
      vulnerableChecks: 0,
    });
  });

  it('counts the vulnerable checks of the streak, also when they fall on one day', () => {
    const morning = '2026-11-06T08:00:00.000Z';
    const noon = '2026-11-06T12:00:00.000Z';
    const v = (observedAt: string) => ({ observedAt, status: 'exchange', patchLevel: 'vulnerable' });
    expect(hostHistory([v(morning)], v(noon))).toMatchObject({
      vulnerableSince: morning,
      daysExposed: 0,
      vulnerableChecks: 2,
    });
  });

  it('ignores observations whose time is not a date', () => {
    expect(
      hostHistory([{ observedAt: 'garbage', status: 'exchange', patchLevel: 'vulnerable' }, vul(3)], vul(10)),
    ).toMatchObject({
      observations: 2,
      vulnerableSince: day(3),
      daysExposed: 7,
    });
  });
});
