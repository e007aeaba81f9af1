// One process per run directory: two writers would probe endpoints twice and interleave
// results.jsonl. A pid lock (util/pid-lock.ts): a lock left by a killed process is taken over, so
// resume after kill -9 just works.
import { join } from 'node:path';
import { RunDirError } from '../core/errors.js';
import { takePidLock, type PidLock } from '../util/pid-lock.js';

export const LOCK_FILE = 'run.lock';

export type RunLock = PidLock;

/** Take the run directory's lock, or fail with a RunDirError naming the process holding it. */
export async function lockRun(dir: string): Promise<RunLock> {
  const file = join(dir, LOCK_FILE);
  let taken: Awaited<ReturnType<typeof takePidLock>>;
  try {
    taken = await takePidLock(file);
  } catch (err) {
    throw new RunDirError(file, `cannot lock the run directory: ${(err as Error).message}`, { cause: err });
  }
  if ('heldBy' in taken)
    throw new RunDirError(dir, `in use by process ${taken.heldBy} (remove ${LOCK_FILE} if that is wrong)`);
  return taken.lock;
}
