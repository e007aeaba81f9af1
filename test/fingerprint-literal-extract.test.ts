// The extractors that find their text by a literal (asset paths by `/owa/`; the export tool
// manifest, the logon page's tags and its title by their `<`) must find exactly what the patterns
// they replaced found. The replaced implementations are kept here, verbatim, and both run on every
// fixture body, on the simulated fleet's pages and on generated bodies built from the pieces that
// matter (links, ports, `auth/`, overlapping and nested paths, version-like numbers of every length).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  extractAssetPaths,
  extractExporttoolManifest,
  extractLogonMarkers,
  extractLogonTitle,
  isExporttoolManifest,
} from '../src/fingerprint/index.js';
import { generationOf, normaliseBuildNumber, partCount } from '../src/fingerprint/build-number.js';
import { signalFrom } from '../src/fingerprint/extract/common.js';
import { cleanValue, scanWindow } from '../src/core/text.js';
import { exporttoolManifest } from '../src/fleet/assets/exporttool-manifest.js';
import { prngFloat } from '../src/fleet/prng.js';
import { logonPage2007, logonPage2010 } from '../src/fleet/assets/legacy-logon.js';
import { OWA_LOGON_TEMPLATE } from '../src/fleet/assets/owa-logon-template.js';
import { IIS_404, IIS_START, NGINX_WELCOME } from '../src/fleet/assets/web-pages.js';
import type { ProbeResponse } from '../src/core/probe-types.js';
import type { Signal } from '../src/fingerprint/types.js';
import { res } from './fixtures/fingerprint/responses.js';

// ---- the replaced asset-path extractors (src/fingerprint/extract/asset-paths.ts before issue 17)
const LINK_HOST = '(?:(?:https?:)?\\/\\/([a-z0-9.-]{1,253})(?::\\d{1,5})?)?';
const THREE_PART_PATH = new RegExp(
  `${LINK_HOST}\\/owa\\/(?:auth\\/)?(\\d{1,2}\\.\\d{1,2}\\.\\d{1,5})\\/`,
  'gi',
);
const FOUR_PART_PATH = new RegExp(
  `${LINK_HOST}\\/owa\\/(?:auth\\/)?(\\d{1,2}\\.\\d{1,2}\\.\\d{1,5}\\.\\d{1,5})\\/`,
  'gi',
);
interface FoundPath {
  build: string;
  foreign: string | null;
}
function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return '';
  }
}
function distinctBuilds(response: ProbeResponse, pattern: RegExp): FoundPath[] {
  const own = hostOf(response.url);
  const seen = new Map<string, FoundPath>();
  for (const match of scanWindow(response.body).matchAll(pattern)) {
    const build = normaliseBuildNumber(match[2] ?? '');
    if (build === null) continue;
    const linked = match[1]?.toLowerCase().replace(/\.$/, '');
    const foreign = linked === undefined || linked === own ? null : linked;
    const key = `${build}\u0000${foreign ?? ''}`;
    if (!seen.has(key)) seen.set(key, { build, foreign });
    if (seen.size >= 4) break;
  }
  return [...seen.values()];
}
function pathSignal(
  response: ProbeResponse,
  signal: 'owa-asset-path' | 'owa-legacy-asset-path',
  found: FoundPath,
  generation: '8' | '14' | '15',
): Signal {
  return signalFrom(response, {
    signal,
    value: found.foreign === null ? found.build : `${found.build} (linked from ${found.foreign})`,
    build: found.foreign === null ? found.build : null,
    generations: [generation],
    hint: true,
    ...(found.foreign === null ? {} : { foreign: found.foreign }),
  });
}
function oldAssetPaths(response: ProbeResponse): Signal[] {
  const modern = distinctBuilds(response, THREE_PART_PATH)
    .filter((f) => generationOf(f.build) === '15')
    .map((f) => pathSignal(response, 'owa-asset-path', f, '15'));
  const legacy = distinctBuilds(response, FOUR_PART_PATH).flatMap((f) => {
    const generation = generationOf(f.build);
    if (generation !== '8' && generation !== '14') return [];
    return [pathSignal(response, 'owa-legacy-asset-path', f, generation)];
  });
  return [...modern, ...legacy];
}

// ---- the replaced manifest reader (src/fingerprint/extract/manifest.ts before issue 17)
const ASSEMBLY_IDENTITY = /<(?:[a-z][a-z0-9]{0,15}:)?assemblyIdentity\b([^<>]{0,2000})>/gi;
const ATTRIBUTE = /(?:^|\s)(name|version)\s{0,5}=\s{0,5}(?:"([^"]{0,300})"|'([^']{0,300})')/gi;
function oldIdentities(body: string): { name: string; version: string | null }[] {
  const found: { name: string; version: string | null }[] = [];
  let seen = 0;
  for (const element of scanWindow(body).matchAll(ASSEMBLY_IDENTITY)) {
    if (++seen > 16) break;
    let name: string | null = null;
    let version: string | null = null;
    for (const attr of (element[1] ?? '').matchAll(ATTRIBUTE)) {
      const value = attr[2] ?? attr[3] ?? '';
      if (attr[1]?.toLowerCase() === 'name') name ??= value;
      else version ??= value;
    }
    if (name?.trim().toLowerCase().startsWith('microsoft.exchange.ediscovery.exporttool'))
      found.push({ name: name.trim(), version });
  }
  return found;
}
function oldManifest(response: ProbeResponse): Signal[] {
  const identities = oldIdentities(response.body);
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

// ---- the replaced logon-page markers (src/fingerprint/extract/logon-page.ts before issue 17)
const OWA_PAGE_COMMENT = /<!--\s{0,5}OwaPage\s{0,5}=\s{0,5}ASP\.auth_logon_aspx\s{0,5}-->/i;
const FORM_AUTH_OWA = /<form\b[^>]{0,400}\baction\s{0,3}=\s{0,3}["']\/owa\/auth\.owa["']/i;
const FORM_OWAAUTH_DLL = /<form\b[^>]{0,400}\baction\s{0,3}=\s{0,3}["']\/owa\/auth\/owaauth\.dll["']/i;
const BODY_OWA_LGN = /<body\b[^>]{0,400}\bclass\s{0,3}=\s{0,3}["'][^"'>]{0,100}\bowaLgnBdy\b/i;
const OLD_MARKERS: readonly {
  label: string;
  test: (body: string, lower: string) => boolean;
  generations: readonly ('8' | '14' | '15')[] | null;
}[] = [
  {
    label: '<!-- OwaPage = ASP.auth_logon_aspx -->',
    test: (body) => OWA_PAGE_COMMENT.test(body),
    generations: null,
  },
  {
    label: '{57A118C6-2DA9-419d-BE9A-F92B0F9A418B}',
    test: (_body, lower) => lower.includes('{57a118c6-2da9-419d-be9a-f92b0f9a418b}'),
    generations: null,
  },
  {
    label: 'function IsOwaPremiumBrowser',
    test: (_body, lower) => lower.includes('isowapremiumbrowser'),
    generations: null,
  },
  { label: 'form action="/owa/auth.owa"', test: (body) => FORM_AUTH_OWA.test(body), generations: ['15'] },
  {
    label: 'form action="/owa/auth/owaauth.dll"',
    test: (body) => FORM_OWAAUTH_DLL.test(body),
    generations: ['8', '14'],
  },
  { label: '<body class="owaLgnBdy">', test: (body) => BODY_OWA_LGN.test(body), generations: ['14'] },
];
function oldMarkers(response: ProbeResponse): Signal[] {
  if (response.body === '') return [];
  const body = scanWindow(response.body);
  const lower = body.toLowerCase();
  return OLD_MARKERS.filter((m) => m.test(body, lower)).map((m) =>
    signalFrom(response, {
      signal: 'logon-page-marker',
      value: m.label,
      generations: m.generations,
      hint: true,
    }),
  );
}

// ---- the replaced title reader (src/fingerprint/extract/logon-page.ts before issue 17, round 2)
const TITLE = /<title\b[^>]{0,100}>([^<]{0,300})<\/title\s{0,5}>/i;
const KNOWN_TITLES = new Map<string, readonly ('8' | '14' | '15')[]>([
  ['outlook', ['15']],
  ['exchange admin center', ['15']],
  ['outlook web app', ['14', '15']],
  ['microsoft exchange - outlook web access', ['8']],
]);
function oldTitle(response: ProbeResponse): Signal[] {
  const match = TITLE.exec(scanWindow(response.body));
  if (match === null) return [];
  const title = cleanValue(match[1] ?? '');
  const generations = KNOWN_TITLES.get(title.toLowerCase());
  return generations === undefined
    ? []
    : [signalFrom(response, { signal: 'logon-title', value: title, generations, hint: true })];
}

// ---- the bodies
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
const fixtureBodies = filesUnder(new URL('./fixtures', import.meta.url).pathname).map((path) => ({
  name: path,
  body: readFileSync(path, 'utf8'),
}));

const PATH_PIECES = [
  '/owa/',
  '/OWA/',
  '/owa/auth/',
  '/Owa/AUTH/',
  'auth/',
  '15',
  '14',
  '8',
  '1',
  '2507',
  '.',
  '3',
  '513',
  '0',
  '123456',
  '/',
  '//',
  'https:',
  'http:',
  'HTTPS://',
  '//mail.example.org',
  '//other.example',
  'mail.example.org',
  ':443',
  ':8443',
  ':123456',
  ':',
  'x',
  ' ',
  '"',
  '<img src="',
  '-',
  'a.b.',
  '15.1.2507/',
  '14.3.513.0/',
  '8.3.485.1/',
  '15.2.1544.4/',
  '/owa/15.1.2507/',
  '/owa/auth/15.2.858/',
  '/owa/14.3.513.0/',
  'host.',
  'İ',
  'ſ',
  'K',
];
const MANIFEST_PIECES = [
  '<assemblyIdentity',
  '<asmv1:assemblyIdentity',
  '<AssemblyIdentity',
  '<a:',
  '<',
  '>',
  ' ',
  'assemblyIdentity',
  'assemblyIdentityX',
  ' name="microsoft.exchange.ediscovery.exporttool.application"',
  " name='Microsoft.Exchange.eDiscovery.ExportTool'",
  ' version="15.1.2375.7"',
  " version='15.2.1544.4'",
  ' version="{hidden}"',
  ' version="15.1.2242.5"',
  ' name="other"',
  '/>',
  '\n',
  'x',
  ':',
  '0123456789abcdefgh:',
  '<?xml version="1.0"?>',
  '<asm:',
  'zzzzzzzzzzzzzzzzz:',
  '<abcdefghijklmnop:',
];
function generated(pieces: readonly string[], seed: number, count: number): string[] {
  // Deterministic (mulberry32), so a failure names a reproducible body.
  const next = prngFloat(seed);
  return Array.from({ length: count }, () =>
    Array.from(
      { length: 2 + Math.floor(next() * 40) },
      () => pieces[Math.floor(next() * pieces.length)],
    ).join(''),
  );
}

/** The simulated fleet's pages (src/fleet/assets), with the numbers it serves. */
const fleetBodies = [
  { name: 'fleet OWA logon template', body: OWA_LOGON_TEMPLATE },
  { name: 'fleet 2010 logon', body: logonPage2010('14.3.513.0') },
  { name: 'fleet 2007 logon', body: logonPage2007('8.3.485.1') },
  { name: 'fleet manifest', body: exporttoolManifest('15.1.2375.7', '31bf3856ad364e35') },
  { name: 'fleet manifest unreadable', body: exporttoolManifest('{hidden}', '31bf3856ad364e35') },
  { name: 'IIS 404', body: IIS_404 },
  { name: 'IIS start', body: IIS_START },
  { name: 'nginx', body: NGINX_WELCOME },
];

const MARKER_PIECES = [
  '<form',
  '<FORM',
  '<body',
  '<BODY',
  '<!--',
  '-->',
  ' ',
  '  ',
  '\t',
  '\n',
  '>',
  '<',
  '"',
  "'",
  'x',
  '=',
  ' = ',
  ' action=',
  ' ACTION = ',
  ' class=',
  'class',
  '"/owa/auth.owa"',
  "'/owa/auth/owaauth.dll'",
  '"/OWA/AUTH.OWA\'',
  'owaLgnBdy',
  'OWALGNBDY',
  'xowaLgnBdy',
  ' owaLgnBdy"',
  'OwaPage',
  'ASP.auth_logon_aspx',
  '<!-- OwaPage = ASP.auth_logon_aspx -->',
  '{57A118C6-2DA9-419d-BE9A-F92B0F9A418B}',
  '{57a118c6-2da9-419d-be9a-f92b0f9a418b',
  'IsOwaPremiumBrowser',
  'İsowapremiumbrowser',
  'ıSOWAPREMIUMBROWSER',
  'ſ',
  'K',
  'İ',
  'a'.repeat(390),
  '<formx',
  '<bodyx',
];

const URLS = [
  'https://mail.example.org/owa/auth/logon.aspx',
  'https://10.0.0.1:8443/owa/',
  'http://[::1]:8080/owa/',
  'https://other.example/owa/',
];
const responsesOf = (body: string): ProbeResponse[] => URLS.map((url) => res(url, { body }));

describe('asset paths by the literal /owa/ find what the two patterns found', () => {
  it('on every fixture body and every page of the simulated fleet', () => {
    const bodies = [...fixtureBodies, ...fleetBodies];
    let withPaths = 0;
    for (const { name, body } of bodies) {
      for (const r of responsesOf(body)) {
        const old = oldAssetPaths(r);
        expect(extractAssetPaths(r), `${name} at ${r.url}`).toEqual(old);
        if (old.length > 0) withPaths++;
      }
    }
    expect(withPaths).toBeGreaterThan(20);
  });

  it('on the edge cases: links, ports, overlaps, a path inside the previous match, too long a host', () => {
    const cases = [
      '/owa/owa/15.1.2507/',
      '/owa/15.1.2507/owa/15.2.858/',
      '/owa/14.3.513.0/owa/15.1.2507/',
      '/owa/15.1.2507//other.example/owa/15.1.2508/',
      'https://other.example:443/owa/15.1.2507/ and //mail.example.org/owa/auth/15.1.2507/',
      '//other.example:123456/owa/15.1.2507/',
      '//:80/owa/15.1.2507/',
      `//${'a'.repeat(253)}/owa/15.1.2507/ //${'b'.repeat(254)}/owa/15.1.2508/`,
      '/owa/auth/owa/15.1.2507/',
      '/owa/auth/14.3.513.0/ /OWA/AUTH/8.3.485.1/ /owa/15.01.2507/',
      '/owa/15.1.2507.1234567/ /owa/15.1.123456/ /owa/155.1.2/ /owa/15.111.2/',
      Array.from({ length: 9 }, (_, i) => `/owa/15.1.${2500 + i}/ /owa/14.3.${i}.0/`).join(' '),
      '//other.example.//owa/15.1.1/ //OTHER.example./owa/15.1.2/',
    ];
    for (const body of cases)
      for (const r of responsesOf(body)) expect(extractAssetPaths(r), body).toEqual(oldAssetPaths(r));
  });

  it('on 3,000 generated bodies', () => {
    for (const body of generated(PATH_PIECES, 17, 3000))
      for (const r of responsesOf(body))
        expect(extractAssetPaths(r), JSON.stringify(body)).toEqual(oldAssetPaths(r));
  });
});

describe('logon-page markers, their tags found in one pass, find what the four patterns found', () => {
  it('on every fixture body and every page of the simulated fleet', () => {
    let pages = 0;
    for (const { name, body } of [...fixtureBodies, ...fleetBodies]) {
      const r = res('https://mail.example.org/owa/auth/logon.aspx', { body });
      const old = oldMarkers(r);
      expect(extractLogonMarkers(r), name).toEqual(old);
      if (old.length > 0) pages++;
    }
    expect(pages).toBeGreaterThan(10);
  });

  it('on 3,000 generated bodies', () => {
    let found = 0;
    for (const body of generated(MARKER_PIECES, 41, 3000)) {
      const r = res('https://mail.example.org/owa/auth/logon.aspx', { body });
      const old = oldMarkers(r);
      expect(extractLogonMarkers(r), JSON.stringify(body)).toEqual(old);
      found += old.length;
    }
    expect(found).toBeGreaterThan(300);
  });
});

const TITLE_PIECES = [
  '<title>',
  '<TITLE>',
  '<Title lang="en">',
  '<titlex>',
  '<title',
  '</title>',
  '</TITLE >',
  '</title      >',
  '</title\n>',
  'Outlook',
  'OUTLOOK',
  'Outlook Web App',
  'Exchange Admin Center',
  'Microsoft Exchange - Outlook Web Access',
  ' ',
  '\t',
  '<',
  '>',
  '<b>',
  'x',
  'İ',
  'K',
  'a'.repeat(120),
  'o'.repeat(310),
];

describe('the page title, found at its `<`, is the one the pattern found', () => {
  it('on every fixture body and every page of the simulated fleet', () => {
    let titled = 0;
    for (const { name, body } of [...fixtureBodies, ...fleetBodies]) {
      const r = res('https://mail.example.org/owa/auth/logon.aspx', { body });
      const old = oldTitle(r);
      expect(extractLogonTitle(r), name).toEqual(old);
      if (old.length > 0) titled++;
    }
    expect(titled).toBeGreaterThan(5);
  });

  it('on 3,000 generated bodies', () => {
    let titled = 0;
    for (const body of generated(TITLE_PIECES, 53, 3000)) {
      const r = res('https://mail.example.org/owa/auth/logon.aspx', { body });
      const old = oldTitle(r);
      expect(extractLogonTitle(r), JSON.stringify(body)).toEqual(old);
      titled += old.length;
    }
    expect(titled).toBeGreaterThan(100);
  });
});

describe('the export tool manifest found by the literal assemblyIdentity finds what the pattern found', () => {
  it('on every fixture body and every page of the simulated fleet', () => {
    const bodies = [...fixtureBodies, ...fleetBodies];
    let manifests = 0;
    for (const { name, body } of bodies) {
      const r = res('https://mail.example.org/ecp/Current/exporttool/x.application', { body });
      const old = oldManifest(r);
      expect(extractExporttoolManifest(r), name).toEqual(old);
      expect(isExporttoolManifest(body), name).toBe(oldIdentities(body).length > 0);
      if (old.length > 0) manifests++;
    }
    expect(manifests).toBeGreaterThan(3);
  });

  it('on the edge cases: a name right after an element, names inside one, prefixes at the limit', () => {
    const real =
      '<asmv1:assemblyIdentity name="microsoft.exchange.ediscovery.exporttool.application" version="15.1.2375.7"/>';
    const cases = [
      `${'<AssemblyIdentity>assemblyIdentity'.repeat(10)}${real}`,
      `<assemblyIdentity name="assemblyIdentity" version="15.2.1544.4"/>${real}`,
      `<abcdefghijklmnop:assemblyIdentity name="microsoft.exchange.ediscovery.exporttool" version="15.2.858.5">`,
      `<abcdefghijklmnopq:assemblyIdentity name="microsoft.exchange.ediscovery.exporttool" version="15.2.858.5">`,
      `<1a:assemblyIdentity version="15.2.858.5" name="microsoft.exchange.ediscovery.exporttool">${real}`,
      `${'<assemblyIdentity name="other"/>'.repeat(16)}${real}`,
      `${'<assemblyIdentity name="other"/>'.repeat(15)}${real}`,
    ];
    for (const body of cases) {
      const r = res('https://mail.example.org/ecp/Current/exporttool/x.application', { body });
      expect(extractExporttoolManifest(r), body).toEqual(oldManifest(r));
    }
  });

  it('on 3,000 generated bodies', () => {
    for (const body of generated(MANIFEST_PIECES, 29, 3000)) {
      const r = res('https://mail.example.org/ecp/Current/exporttool/x.application', { body });
      expect(extractExporttoolManifest(r), JSON.stringify(body)).toEqual(oldManifest(r));
    }
  });
});
