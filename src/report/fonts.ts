// Fonts for the PDFs. On Linux, Chromium finds fonts through fontconfig, and a fresh machine may
// have no CJK font (Debian's Chromium then prints boxes) or no font at all (a slim container).
// Every browser we launch on Linux gets a fontconfig file that keeps the system's configuration
// and adds the fonts owa-audit brings from the npm registry: Noto Sans CJK SC (Chinese, Japanese
// kana and kanji, Latin, Greek, Cyrillic) and KR (Hangul), plus the bundled browser's Open Sans.
// This happens outside the page: the document's CSP and "no request leaves the page" are untouched.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageDir } from '../util/package-dir.js';

/** Optional dependencies; each ships OpenType files under fonts/. */
export const FONT_PACKAGES = ['@embedpdf/fonts-sc', '@embedpdf/fonts-kr'] as const;

/** Font directories of the installed font packages (a missing one is left out). */
export function shippedFontDirs(find: (name: string) => string | null = packageDir): string[] {
  return FONT_PACKAGES.map(find)
    .filter((d): d is string => d !== null)
    .map((d) => join(d, 'fonts'));
}

const xml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

/** The system's configuration (fonts, aliases) first, where there is one; then ours. */
export function fontconfigXml(systemConfig: string, fontDirs: readonly string[], cacheDir: string): string {
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    '<fontconfig>',
    `  <include ignore_missing="yes">${xml(systemConfig)}</include>`,
    ...fontDirs.map((d) => `  <dir>${xml(d)}</dir>`),
    `  <cachedir>${xml(cacheDir)}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n');
}

/**
 * Writes the fontconfig file into `dir` (the browser's temporary profile) and returns the
 * environment that points the browser at it; on other systems (fonts come from the OS) nothing.
 */
export async function fontEnvironment(
  dir: string,
  extraDirs: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<Record<string, string>> {
  if (platform !== 'linux') return {};
  const system = env.FONTCONFIG_FILE ?? '/etc/fonts/fonts.conf';
  const file = join(dir, 'owa-audit-fonts.conf');
  await writeFile(
    file,
    fontconfigXml(system, [...extraDirs, ...shippedFontDirs()], join(dir, 'fontconfig-cache')),
    'utf8',
  );
  return { FONTCONFIG_FILE: file };
}
