// The last-resort browser: the Chromium that ships inside the npm package @sparticuz/chromium (an
// optional dependency; Linux x64 only), so a machine with nothing but Node still prints PDFs.
//
// The package keeps the browser brotli-compressed. Its own executablePath() unpacks into a fixed
// /tmp/chromium and trusts whatever it finds there, so two processes unpacking at once, or an
// interrupted unpack, leave a half-written browser that is then used. We unpack it ourselves into
// a per-version directory of the user's cache, through a private temporary directory renamed into
// place: a directory that exists is complete, and a process that loses the race uses the winner's.
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import { packageDir } from '../util/package-dir.js';

export const BUNDLED_PACKAGE = '@sparticuz/chromium';

export interface UnpackedChromium {
  /** The package version, e.g. "143.0.4" (its major is Chromium's). */
  version: string;
  executable: string;
  /** NSS and expat, for machines without them (the binary was built against these). */
  libDir: string;
  /** Open Sans (Latin, Greek, Cyrillic), for machines without any font. */
  fontDir: string;
}

/** $XDG_CACHE_HOME/owa-audit, else ~/.cache/owa-audit (a relative XDG_CACHE_HOME is ignored). */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && xdg !== '' && isAbsolute(xdg)) return join(xdg, 'owa-audit');
  return join(home, '.cache', 'owa-audit');
}

function packageVersion(dir: string): string {
  const v = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown }).version;
  if (typeof v !== 'string' || !/^[0-9A-Za-z.+-]+$/.test(v))
    throw new Error(`${BUNDLED_PACKAGE}: bad version`);
  return v;
}

async function unpackInto(bin: string, dir: string): Promise<void> {
  // Loaded here, once per package version: every other start of the PDF path goes without the tar
  // stack (tar-fs, tar-stream, streamx and theirs).
  const { extract } = await import('tar-fs');
  const brotli = (): NodeJS.ReadWriteStream => createBrotliDecompress({ chunkSize: 1 << 21 });
  await pipeline(
    createReadStream(join(bin, 'chromium.br')),
    brotli(),
    createWriteStream(join(dir, 'chromium'), { mode: 0o755 }),
  );
  // fonts.tar holds fonts/Open_Sans/*.ttf; al2023.tar holds lib/*.so.
  for (const archive of ['fonts.tar.br', 'al2023.tar.br']) {
    await pipeline(createReadStream(join(bin, archive)), brotli(), extract(dir));
  }
}

/**
 * Unpacks the bundled Chromium once per package version (≈2 s, ≈200 MB) and returns where it is;
 * throws with a plain message when the package is missing or unusable on this machine.
 */
export async function unpackBundledChromium(
  root: string = cacheRoot(),
  pkg: string | null = packageDir(BUNDLED_PACKAGE),
): Promise<UnpackedChromium> {
  if (pkg === null) {
    throw new Error(
      `the optional dependency ${BUNDLED_PACKAGE} is not installed (\`npm install\` adds it on Linux x64 unless --omit=optional)`,
    );
  }
  const version = packageVersion(pkg);
  const dir = join(root, `chromium-${version}-${process.arch}`);
  const found: UnpackedChromium = {
    version,
    executable: join(dir, 'chromium'),
    libDir: join(dir, 'lib'),
    fontDir: join(dir, 'fonts'),
  };
  if (existsSync(found.executable)) return found;
  await mkdir(root, { recursive: true });
  const tmp = await mkdtemp(join(root, `.chromium-${version}-`));
  try {
    await unpackInto(join(pkg, 'bin'), tmp);
    try {
      await rename(tmp, dir);
    } catch (e) {
      // Another process finished first (its directory is complete), or a broken leftover without
      // the executable is in the way: take its place.
      if (existsSync(found.executable)) return found;
      if ((e as NodeJS.ErrnoException).code !== 'ENOTEMPTY' && (e as NodeJS.ErrnoException).code !== 'EEXIST')
        throw e;
      await rm(dir, { recursive: true, force: true });
      await rename(tmp, dir);
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return found;
}
