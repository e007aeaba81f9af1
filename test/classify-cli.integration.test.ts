// `owa-audit classify` end to end through the built CLI (dist/, built by `npm test`), and the
// shipped data/ as the exact output of scripts/build-data.js over the project's sources (data-sources/).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { classify, dataFreshness } from '../src/classify/index.js';
import { loadKnowledgeBase } from '../src/knowledge/index.js';

// The day the command takes as today (OWA_AUDIT_NOW): verdicts and the data-age warning depend on it.
const TODAY = '2026-11-27';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin/owa-audit.js');

// As on a CI machine: `CI` set, output into a pipe, no colour preference. picocolors' default
// would colour this output; the CLI must not.
const { NO_COLOR: _n, FORCE_COLOR: _f, ...baseEnv } = process.env;
const ciEnv: NodeJS.ProcessEnv = { ...baseEnv, CI: 'true', OWA_AUDIT_NOW: `${TODAY}T12:00:00Z` };

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: root, env: ciEnv, timeout: 20_000, maxBuffer: 32 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const kb = loadKnowledgeBase();
const freshness = dataFreshness(kb, TODAY);

describe('owa-audit classify', () => {
  it('--json prints one exchange object per build, in order, on stdout only', async () => {
    const builds = ['15.1.2507.6', '15.02.1748.039', '15.2.2562', '15.1', '8.3.485.1'];
    const r = await run([cli, 'classify', '--json', ...builds]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { build: string | null; product: string }[];
    expect(out.map((v) => v.build)).toEqual(['15.1.2507.6', '15.2.1748.39', '15.2.2562', null, '8.3.485.1']);
    const today = TODAY;
    expect(out[0]).toEqual(classify(kb, '15.1.2507.6', 'exact', { today }));
    expect(out[2]).toEqual(classify(kb, '15.2.2562', 'cu', { today }));
    expect(out[3]).toEqual(classify(kb, '15.1', 'product', { today }));
    // The freshness warning goes to stderr, never into the JSON.
    expect(r.stderr).toBe(freshness.message === null ? '' : `owa-audit: warning: ${freshness.message}\n`);
  });

  it('prints a readable verdict with the remediation', async () => {
    const r = await run([cli, 'classify', '15.1.2507.6']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^15\.1\.2507\.6 — Exchange Server 2016 CU23 \(2022-04-20\)/);
    expect(r.stdout).toMatch(/VULNERABLE \(confirmed\)/);
    expect(r.stdout).toMatch(/KEV CVE-2022-41082 +8\.0 confirmed fixed in 15\.1\.2507\.16/);
    expect(r.stdout).toMatch(/What to do: .*update it now/);
    expect(r.stdout).toMatch(
      /1\. Install the latest update for Exchange 2016 CU23: CU23 Aug26SU \(15\.1\.2507\.72\)/,
    );
    expect(r.stdout).toMatch(/Knowledge base 2026-08-20\+[0-9a-f]{8}/);
    // Not a TTY: no colour codes.
    expect(r.stdout.includes(String.fromCharCode(27))).toBe(false);
  });

  it('refuses an unparseable build with exit status 2, naming the argument, before printing anything', async () => {
    const r = await run([cli, 'classify', '15.1.2507.6', '15.1.x']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/argument 2: "15\.1\.x" is not an Exchange build number/);
    const r2 = await run([cli, 'classify', '16.0.1.1']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/argument 1: "16\.0\.1\.1" is not a known Exchange version/);
  });
});

describe('data/', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'owa-audit-data-'));
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('is exactly what scripts/build-data.js derives from data-sources/', async () => {
    const r = await run([join(root, 'scripts/build-data.js'), join(root, 'data-sources'), tmp]);
    expect(r.code).toBe(0);
    const names = readdirSync(join(root, 'data'))
      .filter((n) => n.endsWith('.json'))
      .sort();
    expect(readdirSync(tmp).sort()).toEqual(names);
    for (const name of names)
      expect(readFileSync(join(tmp, name), 'utf8'), name).toBe(
        readFileSync(join(root, 'data', name), 'utf8'),
      );
  });
});
