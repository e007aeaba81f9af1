// `mkdir -p` that reports what went wrong. Node's recursive mkdir loops forever under /proc and
// reports a read-only filesystem as ENOENT; this walks up to the deepest existing directory
// (ENOTDIR when that is a file) and creates each missing level with a plain mkdir, so the error
// a user sees is the real one and the walk is bounded by the depth of the path.
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

function errno(code: string, message: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}, mkdir '${path}'`), { code, path });
}

export async function makeDirs(path: string): Promise<void> {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    const st = await stat(current).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    });
    if (st !== null) {
      if (!st.isDirectory()) throw errno('ENOTDIR', 'not a directory', current);
      break;
    }
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const dir of missing.reverse()) {
    await mkdir(dir).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    });
  }
}
