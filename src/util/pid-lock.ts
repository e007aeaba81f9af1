// A lock file that holds its owner's pid, created exclusively. A lock left by a killed process (its
// pid no longer alive) is taken over, so work resumed after kill -9 needs no manual clean-up.
// Callers turn "held by" into their own error (a run directory, the user data directory).
import { open, readFile, rm } from 'node:fs/promises';

export interface PidLock {
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

/**
 * Takes the lock `file`: the lock, or the pid of the live process holding it. File-system
 * failures other than "exists" are thrown as they come.
 */
export async function takePidLock(file: string): Promise<{ lock: PidLock } | { heldBy: number }> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(file, 'wx');
      try {
        await fh.writeFile(`${process.pid}\n`, 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
      return { lock: { release: () => rm(file, { force: true }) } };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid))
        return { heldBy: pid };
      await rm(file, { force: true });
    }
  }
  throw Object.assign(new Error(`cannot take the lock ${file}`), { code: 'ELOCKED' });
}
