// One process per run directory: two writers would probe endpoints twice and interleave
// results.jsonl. The lock is a file holding the owner's pid, created exclusively; a lock left by
// a killed process (its pid no longer alive) is taken over, so resume after kill -9 just works.
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RunDirError } from '../core/errors.js';

export const LOCK_FILE = 'run.lock';

export interface RunLock {
  release(): Promise<void>;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the run directory's lock, or fail with a RunDirError naming the process holding it. */
export async function lockRun(dir: string): Promise<RunLock> {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(file, 'wx');
      try {
        await fh.writeFile(`${process.pid}\n`, 'utf8');
      } finally {
        await fh.close();
      }
      return { release: () => rm(file, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new RunDirError(file, `cannot lock the run directory: ${(err as Error).message}`, {
          cause: err,
        });
      }
      const pid = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
        throw new RunDirError(dir, `in use by process ${pid} (remove ${LOCK_FILE} if that is wrong)`);
      }
      await rm(file, { force: true });
    }
  }
  throw new RunDirError(file, 'cannot lock the run directory');
}
