// A large run directory for the report-rendering and history figures, and for the report scale
// test: the records of the report fixtures' mixed run (every product, precision, patch level,
// owners, failures, one hostile record) varied over `count` endpoints and 60 owners, in a CERT-like
// mix (a third Exchange, the rest unreachable, failed or not Exchange). Each host has a
// certificate of its own, and one Exchange host in ten also answers on http:80 (a server with two
// endpoints). It lives here, not under test/, because the compiled bench cannot import tests; the
// tests import it from here.
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { prngFloat } from '../../src/fleet/prng.js';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/util/version.js';
import type { ResultRecord } from '../../src/core/result-schema.js';

export const MIXED_RUN = join(PACKAGE_ROOT, 'test', 'fixtures', 'report', 'mixed-run');

/** The fixture is part of a clone, not of the npm package. */
export function syntheticRunsAvailable(): boolean {
  return existsSync(join(MIXED_RUN, 'results.jsonl')) && existsSync(join(MIXED_RUN, 'run.json'));
}

/** The records of the report fixtures' mixed run: every product, precision, level, failure. */
export function mixedRecords(): ResultRecord[] {
  return readFileSync(join(MIXED_RUN, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ResultRecord);
}

export async function writeSyntheticRun(dir: string, count: number, owners = 60, seed = 42): Promise<void> {
  await mkdir(dir, { recursive: true });
  await copyFile(join(MIXED_RUN, 'run.json'), join(dir, 'run.json'));
  const templates = mixedRecords();
  const exchange = templates.filter((r) => r.status === 'exchange');
  const others = templates.filter((r) => r.status !== 'exchange');
  // Deterministic (mulberry32): every bench run renders the same data.
  const rnd = prngFloat(seed);
  const out = createWriteStream(join(dir, 'results.jsonl'));
  const write = async (r: ResultRecord): Promise<void> => {
    if (!out.write(`${JSON.stringify(r)}\n`)) await once(out, 'drain');
  };
  for (let i = 0; i < count; i++) {
    const pool = rnd() < 0.35 ? exchange : others;
    const t = pool[Math.floor(rnd() * pool.length)] ?? templates[0];
    if (t === undefined) throw new Error(`${MIXED_RUN} holds no records`);
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const k = Math.floor(rnd() * (owners + 8));
    const host = t.host === null ? null : `host-${i}.org-${k}.example`;
    const owner = k < owners ? { name: `Organisation ${k}`, contact: `cert@org-${k}.example` } : null;
    // Real hosts do not share certificates: a well-formed fingerprint becomes the host's own.
    const tls =
      t.tls !== null && t.tls.sha256 !== null && /^[0-9A-F:]{95}$/i.test(t.tls.sha256)
        ? { ...t.tls, sha256: createHash('sha256').update(ip).digest('hex') }
        : t.tls;
    const record: ResultRecord = {
      ...t,
      target: host ?? ip,
      host,
      ip: t.ip === null ? null : ip,
      owner,
      tls,
    };
    await write(record);
    if (t.status === 'exchange' && i + 1 < count && rnd() < 0.1) {
      await write({ ...record, port: 80, scheme: 'http', tls: null });
      i++;
    }
  }
  out.end();
  await once(out, 'finish');
}
