// OWA_AUDIT_NOW: the one way to pin a command's "now" (src/cli/clock.ts) — what it accepts, what it
// refuses (exit status 2, naming the variable), and that a command judges by it (in-process).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commandClock } from '../src/cli/clock.js';
import { main } from '../src/cli/main.js';
import { dataFreshness } from '../src/classify/index.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';

describe('commandClock', () => {
  it('is empty when OWA_AUDIT_NOW is unset or blank: each step reads the clock itself', () => {
    expect(commandClock({})).toEqual({});
    expect(commandClock({ OWA_AUDIT_NOW: '  ' })).toEqual({});
  });

  it('takes a day as its midnight UTC, and a time with its zone; today is the UTC day', () => {
    expect(commandClock({ OWA_AUDIT_NOW: '2026-11-27' })).toEqual({
      now: new Date('2026-11-27T00:00:00Z'),
      today: '2026-11-27',
    });
    expect(commandClock({ OWA_AUDIT_NOW: '2026-11-27T12:00:00Z' }).today).toBe('2026-11-27');
    expect(commandClock({ OWA_AUDIT_NOW: '2026-11-27T12:00Z' }).now).toEqual(
      new Date('2026-11-27T12:00:00Z'),
    );
    expect(commandClock({ OWA_AUDIT_NOW: '2026-11-27T23:30:00.5-05:00' })).toEqual({
      now: new Date('2026-11-28T04:30:00.500Z'),
      today: '2026-11-28',
    });
  });

  it('refuses anything else as bad input naming the variable', () => {
    for (const bad of [
      '2026-11-27T12:00:00',
      '2026-02-30',
      'tomorrow',
      '27/11/2026',
      '2026-11-27T25:00Z',
      '1e12',
    ]) {
      expect(() => commandClock({ OWA_AUDIT_NOW: bad }), bad).toThrow(
        expect.objectContaining({
          exitCode: 2,
          message: expect.stringMatching(/^not a day or a time with its zone/) as string,
          location: { file: 'environment', field: 'OWA_AUDIT_NOW' },
        }),
      );
    }
  });
});

describe('a command judges by OWA_AUDIT_NOW', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  async function classifyAt(now: string): Promise<{ status: number; stdout: string; stderr: string }> {
    vi.stubEnv('OWA_AUDIT_NOW', now);
    let stdout = '';
    let stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((stdout += String(c)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((stderr += String(c)), true));
    const status = await main(['node', 'owa-audit', 'classify', '--json', '15.1.2507.6']);
    vi.restoreAllMocks();
    return { status, stdout, stderr };
  }

  it('classify: the data-age warning and the verdict follow the pinned day', async () => {
    const kb = loadKnowledgeBase();
    // Exchange 2016's extended support ended on 2025-10-14.
    const before = await classifyAt('2025-06-01T12:00:00Z');
    expect(before.status).toBe(0);
    expect(before.stderr).toBe(''); // data newer than "now" is not stale
    expect(JSON.parse(before.stdout)).toMatchObject([{ supported: true, endOfSupport: '2025-10-14' }]);
    const late = new Date(Date.parse(`${kb.asOf}T00:00:00Z`) + 400 * 86_400_000).toISOString();
    const after = await classifyAt(late);
    expect(after.status).toBe(0);
    expect(after.stderr).toBe(`owa-audit: warning: ${dataFreshness(kb, late.slice(0, 10)).message ?? ''}\n`);
    expect(after.stderr).toContain('400 days old');
    expect(JSON.parse(after.stdout)).toMatchObject([{ supported: false, endOfSupport: '2025-10-14' }]);
  });

  it('a bad value stops the command with exit status 2 and one line naming it', async () => {
    const r = await classifyAt('next tuesday');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'owa-audit: environment: OWA_AUDIT_NOW: not a day or a time with its zone (e.g. 2026-11-27 or 2026-11-27T12:00:00Z): "next tuesday"\n',
    );
  });
});
