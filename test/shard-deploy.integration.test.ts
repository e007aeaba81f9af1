// The orchestrator examples: the Kubernetes manifests parse and agree with themselves, their
// example scan file loads, the pods' shell logic is run with a stand-in `owa-audit` (completion
// index → --shard K/N, resume on restart, merge waiting on exit status 2), the GNU parallel
// script passes `bash -n` and refuses bad arguments, and the Dockerfile has what docs/scaling.md
// promises. Nothing here talks to a cluster or a network.
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadScanFile } from '../src/scope/load.js';
import { ROOT } from './helpers/cli.js';

type Doc = Record<string, unknown>;
interface Container {
  image: string;
  command: string[];
  args: string[];
  env: { name: string; value: string }[];
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'owa-shard-deploy-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function docsOf(path: string): Promise<Doc[]> {
  const parsed = parseAllDocuments(await readFile(join(ROOT, path), 'utf8'));
  const list = Array.isArray(parsed) ? parsed : [parsed];
  for (const d of list) expect(d.errors, path).toEqual([]);
  return list.map((d) => d.toJS() as Doc);
}

function get(doc: Doc, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], doc);
}

function containerOf(job: Doc): Container {
  return (get(job, 'spec.template.spec.containers') as Container[])[0] as Container;
}

function envOf(c: Container, name: string): string {
  return c.env.find((e) => e.name === name)?.value ?? '';
}

/** Runs a pod's `sh -c` script with /runs and /etc/owa-audit moved under the temp dir and `owa-audit` (and `sleep`) stood in for. */
function runPodScript(
  script: string,
  env: Record<string, string>,
  root: string,
): { status: number | null; calls: string[] } {
  const bin = join(root, 'bin');
  const local = script.replaceAll('/runs', `${root}/runs`).replaceAll('/etc/owa-audit', `${root}/etc`);
  const r = spawnSync('/bin/sh', ['-c', local], {
    env: {
      PATH: `${bin}:/usr/bin:/bin`,
      ...env,
      FAKE_LOG: join(root, 'calls'),
      FAKE_STATE: join(root, 'state'),
    },
    timeout: 10_000,
    encoding: 'utf8',
  });
  const calls = spawnSync('/bin/cat', [join(root, 'calls')], { encoding: 'utf8' }).stdout.trim();
  return { status: r.status, calls: calls === '' ? [] : calls.split('\n') };
}

/** A stand-in `owa-audit` logging its arguments; exits with the codes listed in `codes`, one per call. */
async function standIn(root: string, codes: number[]): Promise<void> {
  const bin = join(root, 'bin');
  await mkdir(bin, { recursive: true });
  await writeFile(
    join(bin, 'owa-audit'),
    `#!/bin/sh
echo "$*" >> "$FAKE_LOG"
n=$(cat "$FAKE_STATE" 2>/dev/null || echo 0)
echo $((n + 1)) > "$FAKE_STATE"
code=$(echo "${codes.join(' ')}" | cut -d' ' -f$((n + 1)))
exit "\${code:-0}"
`,
  );
  await writeFile(join(bin, 'sleep'), '#!/bin/sh\nexit 0\n');
  await chmod(join(bin, 'owa-audit'), 0o755);
  await chmod(join(bin, 'sleep'), 0o755);
}

describe('deploy/k8s/owa-audit-indexed-job.yaml', () => {
  let docs: Doc[];
  let shards: Doc;
  let merge: Doc;
  beforeAll(async () => {
    docs = await docsOf('deploy/k8s/owa-audit-indexed-job.yaml');
    shards = docs.find((d) => get(d, 'metadata.name') === 'owa-audit-shards') as Doc;
    merge = docs.find((d) => get(d, 'metadata.name') === 'owa-audit-merge') as Doc;
  });

  it('holds a ConfigMap, a PVC, the Indexed Job of the shards and the merge Job', () => {
    expect(docs.map((d) => `${String(d.kind)}/${String(get(d, 'metadata.name'))}`)).toEqual([
      'ConfigMap/owa-audit-scan',
      'PersistentVolumeClaim/owa-audit-runs',
      'Job/owa-audit-shards',
      'Job/owa-audit-merge',
    ]);
    expect(get(shards, 'spec.completionMode')).toBe('Indexed');
    const completions = get(shards, 'spec.completions') as number;
    expect(Number(envOf(containerOf(shards), 'SHARDS'))).toBe(completions);
    expect(get(shards, 'spec.parallelism') as number).toBeLessThanOrEqual(completions);
    expect(envOf(containerOf(merge), 'RUN_ID')).toBe(envOf(containerOf(shards), 'RUN_ID'));
    expect(containerOf(merge).image).toBe(containerOf(shards).image);
    for (const job of [shards, merge])
      expect(get(job, 'spec.template.spec.securityContext.runAsNonRoot')).toBe(true);
  });

  it('ships a scan file that loads, with its targets file', async () => {
    const data = get(docs[0] as Doc, 'data') as Record<string, string>;
    await writeFile(join(dir, 'targets.txt'), data['targets.txt'] ?? '');
    await writeFile(join(dir, 'scan.yaml'), data['scan.yaml'] ?? '');
    const scan = await loadScanFile(join(dir, 'scan.yaml'), { today: '2026-11-27' });
    expect(scan.probe.rate).toBe(12.5);
    expect(scan.targets).toHaveLength(1);
  });

  it('turns completion index i into --shard i+1/N, and resumes the run directory of a restarted pod', async () => {
    const root = join(dir, 'pod');
    await standIn(root, [0, 0, 0]);
    const c = containerOf(shards);
    expect(c.command).toEqual(['/bin/sh', '-c']);
    const env = { RUN_ID: envOf(c, 'RUN_ID'), SHARDS: envOf(c, 'SHARDS') };
    const script = c.args[0] ?? '';
    const runDir = `${root}/runs/${env.RUN_ID}`;
    expect(runPodScript(script, { ...env, JOB_COMPLETION_INDEX: '0' }, root).status).toBe(0);
    expect(runPodScript(script, { ...env, JOB_COMPLETION_INDEX: '3' }, root).status).toBe(0);
    await mkdir(join(runDir, 'shard-1of4'), { recursive: true });
    await writeFile(join(runDir, 'shard-1of4', 'run.json'), '{}');
    const third = runPodScript(script, { ...env, JOB_COMPLETION_INDEX: '0' }, root);
    expect(third.status).toBe(0);
    expect(third.calls).toEqual([
      `scan ${root}/etc/scan.yaml --shard 1/4 --out ${runDir}/shard-1of4 --no-history`,
      `scan ${root}/etc/scan.yaml --shard 4/4 --out ${runDir}/shard-4of4 --no-history`,
      `scan --resume ${runDir}/shard-1of4 --no-history`,
    ]);
  });

  it('merges once merge stops refusing (exit 2 = shards missing), and fails at once on any other error', async () => {
    const c = containerOf(merge);
    const env = { RUN_ID: envOf(c, 'RUN_ID') };
    const waiting = join(dir, 'merge-wait');
    await standIn(waiting, [2, 2, 0]);
    for (const k of [1, 2])
      await mkdir(join(waiting, 'runs', env.RUN_ID, `shard-${k}of4`), { recursive: true });
    const ok = runPodScript(c.args[0] ?? '', env, waiting);
    expect(ok.status).toBe(0);
    const base = `${waiting}/runs/${env.RUN_ID}`;
    expect(ok.calls).toHaveLength(3);
    expect(ok.calls[2]).toBe(
      `merge ${base}/shard-1of4 ${base}/shard-2of4 --out ${base}/merged --history ${waiting}/runs/history.db`,
    );

    const broken = join(dir, 'merge-broken');
    await standIn(broken, [1, 0]);
    const failed = runPodScript(c.args[0] ?? '', env, broken);
    expect(failed.status).toBe(1);
    expect(failed.calls).toHaveLength(1);
  });
});

describe('deploy/k8s/owa-audit-fetch-pod.yaml', () => {
  it('is one pod on the runs volume that ends by itself', async () => {
    const [pod] = await docsOf('deploy/k8s/owa-audit-fetch-pod.yaml');
    expect(pod?.kind).toBe('Pod');
    expect(get(pod as Doc, 'spec.activeDeadlineSeconds')).toBe(3600);
    expect(get(pod as Doc, 'spec.volumes')).toEqual([
      { name: 'runs', persistentVolumeClaim: { claimName: 'owa-audit-runs' } },
    ]);
  });
});

describe('deploy/parallel/run-shards.sh', () => {
  const script = join(ROOT, 'deploy/parallel/run-shards.sh');

  it('passes bash -n', () => {
    const r = spawnSync('bash', ['-n', script], { encoding: 'utf8', timeout: 10_000 });
    expect(r.status, r.stderr).toBe(0);
  });

  it('refuses bad arguments with exit status 2 before touching anything', () => {
    const scan = join(ROOT, 'scans/org-perimeter.yaml');
    for (const args of [
      [],
      [scan, '4'],
      [scan, '0', 'host'],
      [scan, 'four', 'host'],
      [join(dir, 'missing.yaml'), '2', 'host'],
      [scan, '2', '0/:'],
      [scan, '2', 'host', '3/'],
    ]) {
      const r = spawnSync('bash', [script, ...args], {
        encoding: 'utf8',
        timeout: 10_000,
        env: { PATH: '/usr/bin:/bin', RUNS_DIR: join(dir, 'never') },
      });
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
    }
    expect(spawnSync('/bin/ls', [join(dir, 'never')]).status).not.toBe(0);
  });
});

describe('Dockerfile', () => {
  it('builds on Node 20 bookworm-slim with Debian Chromium, runs as a non-root user, and enters owa-audit', async () => {
    const text = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
    const froms = [...text.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms.length).toBeGreaterThan(0);
    for (const f of froms) expect(f).toBe('node:20-bookworm-slim');
    expect(text).toMatch(
      /apt-get install -y --no-install-recommends chromium-headless-shell fonts-dejavu-core/,
    );
    expect(text).toMatch(/RUN npm ci/);
    expect(text).toMatch(/PUPPETEER_EXECUTABLE_PATH=\/usr\/bin\/chromium-headless-shell /);
    expect(text).toMatch(/^USER node$/m);
    expect(text).toMatch(/^ENTRYPOINT \["owa-audit"\]$/m);
    // Every source of a COPY from the build context exists (the last word is the destination).
    for (const [, words] of text.matchAll(/^COPY (?!--from)(.+)$/gm)) {
      for (const p of (words ?? '').trim().split(/\s+/).slice(0, -1))
        expect(spawnSync('/bin/ls', ['-d', join(ROOT, p)]).status, `COPY ${p}`).toBe(0);
    }
  });

  it('copies into the build stage, before `npm ci`, every file the prepare script runs or reads', async () => {
    const text = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
    const beforeCi = text.slice(0, text.indexOf('RUN npm ci'));
    expect(beforeCi).toMatch(/^FROM /m);
    const copied = [...beforeCi.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap(([, words]) =>
      (words ?? '').trim().split(/\s+/).slice(0, -1),
    );
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const files = (pkg.scripts.prepare ?? '')
      .split(/\s+/)
      .filter((w) => /^[\w./-]+\.(?:mjs|js|json)$/.test(w));
    expect(files).toEqual(expect.arrayContaining(['tsconfig.build.json', 'tools/bundle-cli.mjs']));
    for (const f of files)
      expect(
        copied.some((c) => c === f || f.startsWith(`${c.replace(/\/$/, '')}/`)),
        `${f} is copied before RUN npm ci`,
      ).toBe(true);
  });
});
