// Finding a Chromium for the PDFs. puppeteer-core never downloads a browser: we use the system's.
// An explicit PUPPETEER_EXECUTABLE_PATH is obeyed (a wrong one is reported, not silently replaced
// by another browser); otherwise the usual system paths are tried in order.
import { accessSync, constants } from 'node:fs';

export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
] as const;

export const INSTALL_HINT =
  'Install Chromium (Debian/Ubuntu: `apt-get install chromium`) or set PUPPETEER_EXECUTABLE_PATH to a Chrome/Chromium executable, then run `owa-audit report <run-dir>` again.';

export type ChromiumLookup = { found: true; path: string } | { found: false; reason: string };

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  executable: (path: string) => boolean = isExecutable,
): ChromiumLookup {
  const explicit = env.PUPPETEER_EXECUTABLE_PATH;
  if (explicit !== undefined && explicit !== '') {
    return executable(explicit)
      ? { found: true, path: explicit }
      : {
          found: false,
          reason: `PUPPETEER_EXECUTABLE_PATH is set to ${explicit}, which is not an executable file.`,
        };
  }
  for (const path of CHROMIUM_CANDIDATES) if (executable(path)) return { found: true, path };
  return { found: false, reason: `No Chromium found (looked in ${CHROMIUM_CANDIDATES.join(', ')}).` };
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
