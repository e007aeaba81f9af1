// Durable writes: a file is complete on disk before it is renamed into place, and the rename
// itself is made durable by syncing the directory. Used wherever a reader — or a resume after
// kill -9 — must see the old file or the new one, never half of one.
import { open } from 'node:fs/promises';

/** Write `text` to a new file (`wx`: never over an existing one) and fsync it. */
export async function writeFileSynced(file: string, text: string): Promise<void> {
  const fh = await open(file, 'wx');
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Make renames in `dir` durable. Best effort: not every filesystem allows a directory fsync. */
export async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    /* the rename is atomic anyway; only its durability across a power cut is lost */
  }
}
