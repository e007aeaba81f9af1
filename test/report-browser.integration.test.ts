// Which browser prints the PDFs: the order of the candidates (given by hand, so the test does not
// depend on what this machine has installed), falling through to the next when one does not start,
// the one message when nothing works, puppeteer's cache layout, and the bundled Chromium unpacked
// once, also when asked twice at the same time.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Browser, computeExecutablePath, detectBrowserPlatform } from '@puppeteer/browsers';
import { afterAll, describe, expect, it } from 'vitest';
import { unpackBundledChromium, cacheRoot } from '../src/report/bundled-chromium.js';
import {
  bundledCandidate,
  chromiumArgs,
  defaultCandidates,
  explicitCandidate,
  INSTALL_HINT,
  locateBrowser,
  puppeteerCacheCandidate,
  sandboxDisabled,
  systemBrowserPaths,
  systemCandidate,
  type BrowserCandidate,
  type LocatedBrowser,
} from '../src/report/chromium.js';
import { fontconfigXml, fontEnvironment, shippedFontDirs } from '../src/report/fonts.js';
import { launchFirstBrowser } from '../src/report/pdf.js';
import { packageDir } from '../src/util/package-dir.js';

const base = mkdtempSync(join(tmpdir(), 'owa-audit-browser-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function executableFile(path: string, text = '#!/bin/sh\nexit 1\n'): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, 0o755);
  return path;
}

const fake = (source: LocatedBrowser['source'], found: string | null, log: string[]): BrowserCandidate => ({
  source,
  label: source,
  locate: () => {
    log.push(source);
    return Promise.resolve(
      found === null
        ? `no ${source}`
        : { source, executable: found, headless: true, env: {}, fontDirs: [], label: source },
    );
  },
});

describe('the order of the candidates', () => {
  it('is PUPPETEER_EXECUTABLE_PATH alone when set; else system, puppeteer cache, bundled', () => {
    expect(
      defaultCandidates({ PUPPETEER_EXECUTABLE_PATH: '/opt/chrome/chrome' }).map((c) => c.source),
    ).toEqual(['PUPPETEER_EXECUTABLE_PATH']);
    expect(defaultCandidates({}).map((c) => c.source)).toEqual(['system', 'puppeteer-cache', 'bundled']);
    expect(defaultCandidates({ PUPPETEER_CACHE_DIR: '/srv/pptr' })[1]?.label).toBe(
      "puppeteer's browser cache (/srv/pptr)",
    );
  });

  it('takes the first candidate that has a browser, without looking further', async () => {
    const log: string[] = [];
    const found = await locateBrowser([
      fake('system', null, log),
      fake('puppeteer-cache', '/cache/chrome', log),
      fake('bundled', '/bundled/chromium', log),
    ]);
    expect(found).toMatchObject({ source: 'puppeteer-cache', executable: '/cache/chrome' });
    expect(log).toEqual(['system', 'puppeteer-cache']);
    const none = await locateBrowser([fake('system', null, []), fake('bundled', null, [])]);
    expect(none).toEqual({ tried: ['no system', 'no bundled'] });
  });

  it('knows the usual places of Chrome and Chromium on Linux, macOS and Windows', () => {
    // A headless shell (Debian's chromium-headless-shell) before any full browser: it prints faster.
    expect(systemBrowserPaths('linux').slice(0, 4)).toEqual([
      '/usr/bin/chromium-headless-shell',
      '/usr/lib/chromium/chromium-headless-shell',
      '/usr/bin/chromium',
      '/usr/lib/chromium/chromium',
    ]);
    expect(systemBrowserPaths('linux')).toContain('/usr/bin/google-chrome');
    expect(systemBrowserPaths('darwin', {}, '/Users/ann')).toEqual([
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Users/ann/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Users/ann/Applications/Chromium.app/Contents/MacOS/Chromium',
    ]);
    expect(
      systemBrowserPaths('win32', {
        PROGRAMFILES: 'C:\\Program Files',
        LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local',
      }),
    ).toEqual([
      'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
      'C:\\Program Files\\Chromium\\Application\\chrome.exe',
      'C:\\Users\\ann\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe',
      'C:\\Users\\ann\\AppData\\Local\\Chromium\\Application\\chrome.exe',
    ]);
  });

  it('takes the first system path that is an executable file', async () => {
    const a = join(base, 'sys', 'a');
    const b = executableFile(join(base, 'sys', 'b'));
    const c = executableFile(join(base, 'sys', 'c'));
    expect(await systemCandidate([a, b, c]).locate()).toMatchObject({ source: 'system', executable: b });
    expect(await systemCandidate([a]).locate()).toBe(`no system Chrome/Chromium (looked at ${a})`);
  });

  it('launches a system headless shell as one, and says so; a full browser as today', async () => {
    const paths = systemBrowserPaths('linux');
    const only =
      (...present: string[]) =>
      (p: string): boolean =>
        present.includes(p);
    expect(await systemCandidate(paths, only(...paths)).locate()).toEqual({
      source: 'system',
      executable: '/usr/bin/chromium-headless-shell',
      headless: 'shell',
      env: {},
      fontDirs: [],
      label: 'system headless shell',
    });
    expect(
      await systemCandidate(
        paths,
        only('/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium'),
      ).locate(),
    ).toMatchObject({ executable: '/usr/lib/chromium/chromium-headless-shell', headless: 'shell' });
    expect(
      await systemCandidate(paths, only('/usr/bin/chromium', '/usr/bin/google-chrome')).locate(),
    ).toMatchObject({ executable: '/usr/bin/chromium', headless: true, label: 'system' });
    expect(await systemCandidate(paths, only()).locate()).toBe(
      `no system Chrome/Chromium (looked at ${paths.join(', ')})`,
    );
    expect(await systemCandidate(paths, only()).locate()).toContain(
      'looked at /usr/bin/chromium-headless-shell, /usr/lib/chromium/chromium-headless-shell, /usr/bin/chromium, ',
    );
  });

  it('obeys PUPPETEER_EXECUTABLE_PATH, and says so when it is wrong instead of taking another browser', async () => {
    const chrome = executableFile(join(base, 'explicit', 'chrome'));
    expect(await explicitCandidate(chrome).locate()).toMatchObject({ executable: chrome, headless: true });
    // A headless shell named there launches as one (the container image names Debian's).
    const shell = executableFile(join(base, 'explicit', 'chromium-headless-shell'));
    expect(await explicitCandidate(shell).locate()).toMatchObject({ executable: shell, headless: 'shell' });
    expect(await explicitCandidate(join(base, 'nope')).locate()).toBe(
      `PUPPETEER_EXECUTABLE_PATH is set to ${join(base, 'nope')}, which is not an executable file (no other browser is tried while it is set)`,
    );
  });

  it("finds the newest Chrome in puppeteer's cache; a headless shell launches as one", async () => {
    const cacheDir = join(base, 'pptr');
    const platform = detectBrowserPlatform();
    if (platform === undefined) throw new Error('no puppeteer platform for this machine');
    expect(await puppeteerCacheCandidate(cacheDir).locate()).toBe(
      `no Chrome/Chromium in puppeteer's browser cache (${cacheDir})`,
    );
    const put = (browser: Browser, buildId: string): string =>
      executableFile(computeExecutablePath({ cacheDir, browser, buildId, platform }));
    put(Browser.CHROME, '131.0.6778.204');
    const newest = put(Browser.CHROMEHEADLESSSHELL, '148.0.7778.97');
    put(Browser.FIREFOX, 'stable_150.0.2'); // not a Chromium: never taken
    expect(await puppeteerCacheCandidate(cacheDir).locate()).toMatchObject({
      source: 'puppeteer-cache',
      executable: newest,
      headless: 'shell',
      label: 'puppeteer cache chrome-headless-shell 148.0.7778.97',
    });
  });

  it('offers the bundled Chromium on Linux x64 only, with its libraries and fonts', async () => {
    expect(await bundledCandidate('darwin', 'arm64').locate()).toBe(
      '@sparticuz/chromium ships a Chromium for Linux x64 only, not for darwin arm64',
    );
    expect(await bundledCandidate('linux', 'arm64').locate()).toMatch(/Linux x64 only, not for linux arm64/);
    const unpacked = () =>
      Promise.resolve({
        version: '143.0.4',
        executable: '/c/chromium',
        libDir: '/c/lib',
        fontDir: '/c/fonts',
      });
    const found = await bundledCandidate('linux', 'x64', unpacked).locate();
    expect(found).toMatchObject({
      source: 'bundled',
      executable: '/c/chromium',
      headless: 'shell',
      fontDirs: ['/c/fonts'],
      label: 'bundled @sparticuz/chromium 143.0.4',
    });
    expect(typeof found === 'string' ? '' : found.env.LD_LIBRARY_PATH?.split(':')[0]).toBe('/c/lib');
    const broken = () => Promise.reject(new Error('ENOSPC: no space left on device\nmore'));
    expect(await bundledCandidate('linux', 'x64', broken).locate()).toBe(
      '@sparticuz/chromium: ENOSPC: no space left on device',
    );
  });
});

describe('launching', () => {
  it('falls through to the next candidate when one does not start, and says which browser printed', async () => {
    const real = await locateBrowser();
    if ('tried' in real) throw new Error(`this test needs a browser: ${real.tried.join('; ')}`);
    const broken = executableFile(
      join(base, 'broken', 'chrome'),
      '#!/bin/sh\necho "cannot start" >&2\nexit 3\n',
    );
    const first: BrowserCandidate = {
      source: 'system',
      label: 'system',
      locate: () =>
        Promise.resolve({
          source: 'system',
          executable: broken,
          headless: true,
          env: {},
          fontDirs: [],
          label: 'system',
        }),
    };
    const second: BrowserCandidate = { ...fake(real.source, null, []), locate: () => Promise.resolve(real) };
    const launched = await launchFirstBrowser([first, second]);
    if ('problem' in launched) throw new Error(launched.problem);
    try {
      expect(launched.renderer.description).toContain(`(${real.label}: ${real.executable})`);
      expect(launched.renderer.description).toMatch(/^(Headless)?Chrom(e|ium)\/\d+/);
    } finally {
      await launched.renderer.close();
    }
  }, 60_000);

  it('closing ends every process of the browser and deletes its profile', async () => {
    const launched = await launchFirstBrowser();
    if ('problem' in launched) throw new Error(launched.problem);
    const { renderer } = launched;
    const pid = renderer.browser.process()?.pid;
    expect(pid).toBeGreaterThan(0);
    // The browser's own processes (renderer, GPU, zygote…) share its process group.
    const group = (): number[] =>
      readdirSync('/proc')
        .filter((d) => /^\d+$/.test(d))
        .filter((d) => {
          try {
            // /proc/PID/stat: "pid (comm) state ppid pgrp …"; comm may hold spaces.
            const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
            const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
            // A zombie has ended: it only waits for its new parent to collect its status.
            return Number(pgrp) === pid && state !== 'Z';
          } catch {
            return false; // gone meanwhile
          }
        })
        .map(Number);
    const profiles = (): string[] => readdirSync(tmpdir()).filter((d) => d.startsWith('owa-audit-chromium-'));
    const before = profiles();
    expect(group().length).toBeGreaterThan(1);
    await renderer.close();
    // Killed with the browser; under load one may still be on its way out for a moment.
    for (let i = 0; i < 40 && group().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(group()).toEqual([]);
    expect(profiles().length).toBe(before.length - 1);
  }, 60_000);

  it('with nothing that works: one message saying what was tried and how to get PDFs', async () => {
    const broken = executableFile(join(base, 'broken2', 'chrome'));
    const launched = await launchFirstBrowser([
      systemCandidate([join(base, 'none', 'chromium'), broken]),
      puppeteerCacheCandidate(join(base, 'empty-cache')),
      bundledCandidate('linux', 'x64', () =>
        Promise.reject(new Error('the optional dependency is not installed')),
      ),
    ]);
    if (!('problem' in launched)) {
      await launched.renderer.close();
      throw new Error('a broken browser was launched');
    }
    expect(launched.problem).toMatch(
      new RegExp(
        `^PDF not written: no browser could print it\\. Tried: system ${broken.replace(/[/.]/g, '\\$&')} did not start \\(.+\\); ` +
          `no Chrome/Chromium in puppeteer's browser cache \\(${join(base, 'empty-cache').replace(/[/.]/g, '\\$&')}\\); ` +
          '@sparticuz/chromium: the optional dependency is not installed\\. ',
      ),
    );
    expect(launched.problem.endsWith(INSTALL_HINT)).toBe(true);
    expect(INSTALL_HINT).toContain('npm install');
    expect(INSTALL_HINT).toContain('apt-get install chromium');
    expect(INSTALL_HINT).toContain('PUPPETEER_EXECUTABLE_PATH');
  }, 60_000);

  it('runs without sandbox only as root or when told to (containers), always with a private profile and no background traffic', () => {
    expect(sandboxDisabled({}, true)).toBe(true);
    expect(sandboxDisabled({}, false)).toBe(false);
    expect(sandboxDisabled({ OWA_AUDIT_CHROMIUM_NO_SANDBOX: '1' }, false)).toBe(true);
    expect(sandboxDisabled({ OWA_AUDIT_CHROMIUM_NO_SANDBOX: 'yes please' }, false)).toBe(false);
    expect(chromiumArgs('/tmp/p', true)).toContain('--no-sandbox');
    expect(chromiumArgs('/tmp/p', false)).not.toContain('--no-sandbox');
    const args = chromiumArgs('/tmp/p', false);
    for (const a of [
      '--headless',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--user-data-dir=/tmp/p',
    ]) {
      expect(args).toContain(a);
    }
  });
});

describe('fonts', () => {
  it('keeps the system configuration and adds the shipped CJK fonts, escaped', () => {
    expect(fontconfigXml('/etc/fonts/fonts.conf', ['/a&b/fonts', '/c'], '/tmp/x<y')).toBe(
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        '<fontconfig>',
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
        '  <dir>/a&amp;b/fonts</dir>',
        '  <dir>/c</dir>',
        '  <cachedir>/tmp/x&lt;y</cachedir>',
        '</fontconfig>',
        '',
      ].join('\n'),
    );
    expect(shippedFontDirs((n) => (n === '@embedpdf/fonts-kr' ? '/nm/kr' : null))).toEqual(['/nm/kr/fonts']);
    const dirs = shippedFontDirs();
    expect(dirs).toHaveLength(2);
    for (const d of dirs) expect(readdirSync(d).some((f) => f.endsWith('-Regular.otf'))).toBe(true);
  });

  it('points the browser at that configuration on Linux only', async () => {
    const dir = mkdtempSync(join(base, 'fc-'));
    expect(await fontEnvironment(dir, [], {}, 'darwin')).toEqual({});
    const env = await fontEnvironment(dir, ['/bundled/fonts'], { FONTCONFIG_FILE: '/opt/fc.conf' }, 'linux');
    expect(env).toEqual({ FONTCONFIG_FILE: join(dir, 'owa-audit-fonts.conf') });
    expect(existsSync(join(dir, 'owa-audit-fonts.conf'))).toBe(true);
  });
});

describe('the bundled Chromium', () => {
  it('lives in the user cache directory', () => {
    expect(cacheRoot({ XDG_CACHE_HOME: '/xdg' }, '/home/ann')).toBe('/xdg/owa-audit');
    expect(cacheRoot({ XDG_CACHE_HOME: 'relative' }, '/home/ann')).toBe('/home/ann/.cache/owa-audit');
    expect(cacheRoot({}, '/home/ann')).toBe('/home/ann/.cache/owa-audit');
  });

  it('says plainly when the optional dependency is not installed', async () => {
    await expect(unpackBundledChromium(join(base, 'cache-none'), null)).rejects.toThrow(
      'the optional dependency @sparticuz/chromium is not installed',
    );
  });

  it.runIf(
    process.platform === 'linux' && process.arch === 'x64' && packageDir('@sparticuz/chromium') !== null,
  )(
    'unpacks once, also when two callers ask at the same time (as two processes may), and leaves no half-written copy',
    async () => {
      const root = join(base, 'cache');
      const [a, b] = await Promise.all([unpackBundledChromium(root), unpackBundledChromium(root)]);
      expect(a).toEqual(b);
      expect(a.executable).toBe(join(root, `chromium-${a.version}-x64`, 'chromium'));
      expect(existsSync(a.executable)).toBe(true);
      expect(readdirSync(a.libDir)).toContain('libnss3.so');
      expect(readdirSync(join(a.fontDir, 'Open_Sans'))).toContain('OpenSans-Regular.ttf');
      expect(readdirSync(root)).toEqual([`chromium-${a.version}-x64`]);
      const again = performance.now();
      expect(await unpackBundledChromium(root)).toEqual(a);
      expect(performance.now() - again).toBeLessThan(1000);
    },
    120_000,
  );
});
