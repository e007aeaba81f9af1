// The ECP export tool's ClickOnce manifest:
//   <assemblyIdentity name="microsoft.exchange.ediscovery.exporttool.application" version="15.1.2375.7" publicKeyToken="…" …/>
// Attributes come in any order, the element may carry a namespace prefix (`as:`), and the key
// token differs between builds — so the element is found by name, and only `name` and `version`
// are read. The version is a component version; it can lag the installed update.
import type { ProbeResponse } from '../../core/probe-types.js';
import { normaliseBuildNumber, partCount } from '../build-number.js';
import { cleanValue, scanWindow } from '../../core/text.js';
import type { Signal } from '../types.js';
import { lowerPath, pageTagsOf, signalFrom } from './common.js';
import { pageTags, type PageTags } from './tags.js';

// An element is found by its `<` (tags.ts, one pass shared with the logon page's tags): where the
// name follows it (after a prefix, if any), the element pattern is tried anchored there. `[^<>]{0,2000}` cannot run past the next tag, so each
// element costs at most 2000 steps and elements never overlap: the scan stays linear. The elements
// found are exactly those the element pattern finds run over the whole body, left to right
// (test/fingerprint-literal-extract).
const ELEMENT_AT = /<(?:[a-z][a-z0-9]{0,15}:)?assemblyIdentity\b([^<>]{0,2000})>/iy;
const ATTRIBUTE = /(?:^|\s)(name|version)\s{0,5}=\s{0,5}(?:"([^"]{0,300})"|'([^']{0,300})')/gi;
const EXPORTTOOL_NAME = 'microsoft.exchange.ediscovery.exporttool';
const MAX_ELEMENTS = 16;
const VERSION_DIR = /^\/ecp\/(\d{1,2}\.\d{1,2}\.\d{1,5}\.\d{1,5})\//;

interface Identity {
  name: string;
  version: string | null;
}

function exporttoolIdentities(body: string, tags: PageTags = pageTags(scanWindow(body))): Identity[] {
  const found: Identity[] = [];
  const window = scanWindow(body);
  let seen = 0;
  let after = 0; // the end of the last element read: the pattern, run globally, resumes there
  for (const open of tags.identities) {
    if (open < after) continue;
    ELEMENT_AT.lastIndex = open;
    const element = ELEMENT_AT.exec(window);
    if (element === null) continue;
    after = open + element[0].length;
    if (++seen > MAX_ELEMENTS) break;
    let name: string | null = null;
    let version: string | null = null;
    for (const attr of (element[1] ?? '').matchAll(ATTRIBUTE)) {
      const value = attr[2] ?? attr[3] ?? '';
      if (attr[1]?.toLowerCase() === 'name') name ??= value;
      else version ??= value;
    }
    if (name?.trim().toLowerCase().startsWith(EXPORTTOOL_NAME)) found.push({ name: name.trim(), version });
  }
  return found;
}

/** True when the body holds an export tool assemblyIdentity (whatever its version says). */
export function isExporttoolManifest(body: string): boolean {
  return exporttoolIdentities(body).length > 0;
}

/**
 * One signal per distinct 4-part version among the export tool identities; a manifest whose
 * version is unreadable (e.g. redacted `{hidden}`) is still the manifest, but carries no number.
 */
export function extractExporttoolManifest(response: ProbeResponse): Signal[] {
  const identities = exporttoolIdentities(response.body, pageTagsOf(response));
  if (identities.length === 0) return [];
  const builds = new Set<string>();
  for (const { version } of identities) {
    const build = version === null ? null : normaliseBuildNumber(version);
    if (build !== null && partCount(build) === 4) builds.add(build);
  }
  if (builds.size === 0) {
    const shown = identities[0]?.version;
    const value =
      shown === null || shown === undefined
        ? 'export tool manifest without a version'
        : `export tool manifest, version "${cleanValue(shown, 40)}" is not a build number`;
    return [signalFrom(response, { signal: 'exporttool-manifest', value, generations: ['15'], hint: true })];
  }
  return [...builds].map((build) =>
    signalFrom(response, {
      signal: 'exporttool-manifest',
      value: build,
      build,
      generations: ['15'],
      hint: true,
    }),
  );
}

/**
 * Thorough mode: `/ecp/<build>/exporttool/…application` answered 200 with the manifest, so the
 * versioned directory of that build exists — the installed build. A 200 without the manifest
 * (a catch-all page) is nothing.
 */
export function extractEcpVersionDir(response: ProbeResponse): Signal[] {
  if (response.status !== 200) return [];
  const dir = VERSION_DIR.exec(lowerPath(response));
  const build = normaliseBuildNumber(dir?.[1] ?? '');
  if (build === null || partCount(build) !== 4) return [];
  if (exporttoolIdentities(response.body, pageTagsOf(response)).length === 0) return [];
  return [
    signalFrom(response, {
      signal: 'ecp-version-dir',
      value: build,
      build,
      generations: ['15'],
      hint: true,
    }),
  ];
}
