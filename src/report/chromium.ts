// Which browser prints the PDFs. puppeteer-core never downloads one; the candidates, in order:
//   1. PUPPETEER_EXECUTABLE_PATH — when set, the only candidate (a wrong path is reported, not
//      silently replaced by another browser);
//   2. a system Chrome or Chromium at the usual places of Linux, macOS and Windows — on Linux a
//      headless shell first (Debian's chromium-headless-shell), the build Chromium makes for
//      printing: it starts in a third of the time and prints faster than the full browser
//      (figures in docs/report.md);
//   3. a browser in puppeteer's cache (PUPPETEER_CACHE_DIR, else ~/.cache/puppeteer);
//   4. the Chromium inside the npm package @sparticuz/chromium (Linux x64), unpacked on first use.
// The caller launches the first one that is there and falls through to the next when it does not
// start; candidates are plain objects, so tests hand in their own list.
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Browser, detectBrowserPlatform, getInstalledBrowsers } from '@puppeteer/browsers';
import { BUNDLED_PACKAGE, unpackBundledChromium } from './bundled-chromium.js';

export type BrowserSource = 'PUPPETEER_EXECUTABLE_PATH' | 'system' | 'puppeteer-cache' | 'bundled';

/** A browser found on disk, ready to launch. Plain data (the bench hands it to a child process). */
export interface LocatedBrowser {
  source: BrowserSource;
  executable: string;
  /** 'shell' for chrome-headless-shell builds (bundled, system, cache), true for a full Chrome/Chromium. */
  headless: true | 'shell';
  /** Extra environment for the browser process (the bundled one's libraries). */
  env: Record<string, string>;
  /** Font directories that come with this browser (added to the PDF fonts; see fonts.ts). */
  fontDirs: string[];
  /** Where it came from, for messages: "system", "system headless shell", "bundled @sparticuz/chromium 143.0.4", … */
  label: string;
}

export interface BrowserCandidate {
  source: BrowserSource;
  /** What is looked at, for the message when nothing works. */
  label: string;
  /** The browser, or a sentence saying why this candidate has none. */
  locate(): Promise<LocatedBrowser | string>;
}

export const INSTALL_HINT =
  'To get PDFs: run `npm install` without --omit=optional (Linux x64: it brings a Chromium), or install Chrome or ' +
  'Chromium (Debian/Ubuntu: `apt-get install chromium`), or set PUPPETEER_EXECUTABLE_PATH to a Chrome/Chromium ' +
  'executable; then run `owa-audit report <run-dir> --format pdf`.';

export function isExecutable(path: string, platform: NodeJS.Platform = process.platform): boolean {
  try {
    accessSync(path, platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The usual install locations of Chrome and Chromium, most specific first; on Linux a headless
 * shell (package chromium-headless-shell) before any full browser.
 */
export function systemBrowserPaths(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string[] {
  if (platform === 'darwin') {
    const apps = ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium'];
    return [...apps.map((a) => join('/Applications', a)), ...apps.map((a) => join(home, 'Applications', a))];
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(
      (r): r is string => r !== undefined && r !== '',
    );
    return roots.flatMap((r) => [
      `${r}\\Google\\Chrome\\Application\\chrome.exe`,
      `${r}\\Chromium\\Application\\chrome.exe`,
    ]);
  }
  return [
    '/usr/bin/chromium-headless-shell',
    '/usr/lib/chromium/chromium-headless-shell',
    '/usr/bin/chromium',
    '/usr/lib/chromium/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
    '/snap/bin/chromium',
  ];
}

const located = (
  source: BrowserSource,
  executable: string,
  label: string,
  extra: Partial<LocatedBrowser> = {},
): LocatedBrowser => ({ source, executable, headless: true, env: {}, fontDirs: [], label, ...extra });

export function explicitCandidate(path: string, executable = isExecutable): BrowserCandidate {
  return {
    source: 'PUPPETEER_EXECUTABLE_PATH',
    label: `PUPPETEER_EXECUTABLE_PATH=${path}`,
    locate: () =>
      Promise.resolve(
        executable(path)
          ? located(
              'PUPPETEER_EXECUTABLE_PATH',
              path,
              'PUPPETEER_EXECUTABLE_PATH',
              isHeadlessShell(path) ? { headless: 'shell' } : {},
            )
          : `PUPPETEER_EXECUTABLE_PATH is set to ${path}, which is not an executable file (no other browser is tried while it is set)`,
      ),
  };
}

/** A chrome-headless-shell build, by its file name (Debian's chromium-headless-shell, Google's chrome-headless-shell). */
export function isHeadlessShell(path: string): boolean {
  return /(^|[/\\])(chromium|chrome)-headless-shell(\.exe)?$/.test(path);
}

export function systemCandidate(paths: readonly string[], executable = isExecutable): BrowserCandidate {
  return {
    source: 'system',
    label: 'a system Chrome/Chromium',
    locate: () => {
      const path = paths.find((p) => executable(p));
      return Promise.resolve(
        path === undefined
          ? `no system Chrome/Chromium (looked at ${paths.join(', ')})`
          : isHeadlessShell(path)
            ? located('system', path, 'system headless shell', { headless: 'shell' })
            : located('system', path, 'system'),
      );
    },
  };
}

const dotted = (a: string, b: string): number => {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
};

export function puppeteerCacheCandidate(cacheDir: string, executable = isExecutable): BrowserCandidate {
  return {
    source: 'puppeteer-cache',
    label: `puppeteer's browser cache (${cacheDir})`,
    locate: async () => {
      const platform = detectBrowserPlatform();
      const usable = new Set<string>([Browser.CHROME, Browser.CHROMEHEADLESSSHELL, Browser.CHROMIUM]);
      const installed = (await getInstalledBrowsers({ cacheDir }).catch(() => []))
        .filter((b) => usable.has(b.browser) && b.platform === platform && executable(b.executablePath))
        .sort((a, b) => dotted(b.buildId, a.buildId));
      const newest = installed[0];
      if (newest === undefined) return `no Chrome/Chromium in puppeteer's browser cache (${cacheDir})`;
      return located(
        'puppeteer-cache',
        newest.executablePath,
        `puppeteer cache ${newest.browser} ${newest.buildId}`,
        {
          headless: newest.browser === Browser.CHROMEHEADLESSSHELL ? 'shell' : true,
        },
      );
    },
  };
}

export function bundledCandidate(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
  unpack: typeof unpackBundledChromium = unpackBundledChromium,
): BrowserCandidate {
  return {
    source: 'bundled',
    label: `the Chromium of the npm package ${BUNDLED_PACKAGE}`,
    locate: async () => {
      if (platform !== 'linux' || arch !== 'x64')
        return `${BUNDLED_PACKAGE} ships a Chromium for Linux x64 only, not for ${platform} ${arch}`;
      try {
        const c = await unpack();
        return located('bundled', c.executable, `bundled ${BUNDLED_PACKAGE} ${c.version}`, {
          headless: 'shell',
          env: { LD_LIBRARY_PATH: [c.libDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') },
          fontDirs: [c.fontDir],
        });
      } catch (e) {
        return `${BUNDLED_PACKAGE}: ${(e as Error).message.split('\n')[0] ?? ''}`;
      }
    },
  };
}

/** The candidates of this machine, in the order they are tried. */
export function defaultCandidates(env: NodeJS.ProcessEnv = process.env): BrowserCandidate[] {
  const explicit = env.PUPPETEER_EXECUTABLE_PATH;
  if (explicit !== undefined && explicit !== '') return [explicitCandidate(explicit)];
  const puppeteerCache = env.PUPPETEER_CACHE_DIR ?? join(homedir(), '.cache', 'puppeteer');
  return [
    systemCandidate(systemBrowserPaths(process.platform, env)),
    puppeteerCacheCandidate(puppeteerCache),
    bundledCandidate(),
  ];
}

/** The first candidate that is there, not started (the bench starts it in a child process). */
export async function locateBrowser(
  candidates: readonly BrowserCandidate[] = defaultCandidates(),
): Promise<LocatedBrowser | { tried: string[] }> {
  const tried: string[] = [];
  for (const c of candidates) {
    const found = await c.locate();
    if (typeof found !== 'string') return found;
    tried.push(found);
  }
  return { tried };
}

/** The one message when no candidate gave a browser that starts: what was tried, and the fix. */
export function noBrowserMessage(tried: readonly string[]): string {
  return `PDF not written: no browser could print it. Tried: ${tried.join('; ')}. ${INSTALL_HINT}`;
}

/**
 * Chromium's sandbox cannot run as root, nor where user namespaces are blocked (most container
 * runtimes' default seccomp profile). There the container is the sandbox: the image sets
 * OWA_AUDIT_CHROMIUM_NO_SANDBOX=1. The page itself runs no script and can reach no network.
 */
export function sandboxDisabled(
  env: NodeJS.ProcessEnv = process.env,
  isRoot: boolean = process.getuid?.() === 0,
): boolean {
  return isRoot || env.OWA_AUDIT_CHROMIUM_NO_SANDBOX === '1';
}

/** Launch flags: headless, no background traffic of the browser's own, sandbox off only where it cannot run. */
export function chromiumArgs(userDataDir: string, noSandbox: boolean = sandboxDisabled()): string[] {
  return [
    ...(noSandbox ? ['--no-sandbox'] : []),
    '--headless',
    '--disable-gpu',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--disable-extensions',
    '--disable-features=Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions',
    '--disable-domain-reliability',
    '--metrics-recording-only',
    '--no-pings',
    `--user-data-dir=${userDataDir}`,
  ];
}
