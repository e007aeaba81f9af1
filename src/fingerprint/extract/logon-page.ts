// Markers of the OWA forms-based logon page and the page titles of each generation.
import type { ProbeResponse } from '../../core/probe-types.js';
import { scanWindow } from '../../core/text.js';
import type { Generation, Signal } from '../types.js';
import { cleanRepeated, pageTagsOf, signalFrom } from './common.js';
import { matchesAt, type PageTags } from './tags.js';

interface Marker {
  /** Canonical text shown as evidence. */
  label: string;
  generations: readonly Generation[] | null;
}

// Bounded patterns only: `[^>]{0,400}` cannot leave the tag, `\s{0,5}` cannot run away. Each is
// tried only where its tag opens (sticky), and the tags are found by their `<` (tags.ts) in one
// pass over the body, shared with the title and the manifest. A pattern that opens with `<form`, `<body` or `<!--` matches somewhere in the
// body exactly when it matches at one of those openings (test/fingerprint-literal-extract).
const OWA_PAGE_COMMENT = /<!--\s{0,5}OwaPage\s{0,5}=\s{0,5}ASP\.auth_logon_aspx\s{0,5}-->/iy;
const FORM_AUTH_OWA = /<form\b[^>]{0,400}\baction\s{0,3}=\s{0,3}["']\/owa\/auth\.owa["']/iy;
const FORM_OWAAUTH_DLL = /<form\b[^>]{0,400}\baction\s{0,3}=\s{0,3}["']\/owa\/auth\/owaauth\.dll["']/iy;
const BODY_OWA_LGN = /<body\b[^>]{0,400}\bclass\s{0,3}=\s{0,3}["'][^"'>]{0,100}\bowaLgnBdy\b/iy;
// Literals searched case-insensitively (the same as in the lower-cased body: no other character
// folds onto these letters in a non-Unicode pattern).
const SCRIPT_GUID = /\{57a118c6-2da9-419d-be9a-f92b0f9a418b\}/i;
const PREMIUM_BROWSER = /isowapremiumbrowser/i;

const COMMENT: Marker = { label: '<!-- OwaPage = ASP.auth_logon_aspx -->', generations: null };
const GUID: Marker = { label: '{57A118C6-2DA9-419d-BE9A-F92B0F9A418B}', generations: null };
const PREMIUM: Marker = { label: 'function IsOwaPremiumBrowser', generations: null };
const FORM_OWA: Marker = { label: 'form action="/owa/auth.owa"', generations: ['15'] };
const FORM_DLL: Marker = { label: 'form action="/owa/auth/owaauth.dll"', generations: ['8', '14'] };
const BODY_CLASS: Marker = { label: '<body class="owaLgnBdy">', generations: ['14'] };
/** Markers in the order their evidence is listed. */
const MARKERS: readonly Marker[] = [COMMENT, GUID, PREMIUM, FORM_OWA, FORM_DLL, BODY_CLASS];

function markersIn(body: string, tags: PageTags): Set<Marker> {
  const found = new Set<Marker>();
  if (SCRIPT_GUID.test(body)) found.add(GUID);
  if (PREMIUM_BROWSER.test(body)) found.add(PREMIUM);
  if (tags.comments.some((at) => matchesAt(OWA_PAGE_COMMENT, body, at))) found.add(COMMENT);
  if (tags.forms.some((at) => matchesAt(FORM_AUTH_OWA, body, at))) found.add(FORM_OWA);
  if (tags.forms.some((at) => matchesAt(FORM_OWAAUTH_DLL, body, at))) found.add(FORM_DLL);
  if (tags.bodies.some((at) => matchesAt(BODY_OWA_LGN, body, at))) found.add(BODY_CLASS);
  return found;
}

/** Logon-page markers: one signal per marker present. Hints: where and how the page was served decides (corroborate.ts). */
export function extractLogonMarkers(response: ProbeResponse): Signal[] {
  if (response.body === '') return [];
  const found = markersIn(scanWindow(response.body), pageTagsOf(response));
  return MARKERS.filter((m) => found.has(m)).map((m) =>
    signalFrom(response, {
      signal: 'logon-page-marker',
      value: m.label,
      generations: m.generations,
      hint: true,
    }),
  );
}

// Tried where a `<title` opens (sticky): the first such place it matches is where the pattern,
// run over the whole body, matched first.
const TITLE_AT = /<title\b[^>]{0,100}>([^<]{0,300})<\/title\s{0,5}>/iy;

function titleIn(body: string, tags: PageTags): string | null {
  for (const at of tags.titles) {
    TITLE_AT.lastIndex = at;
    const match = TITLE_AT.exec(body);
    if (match !== null) return match[1] ?? '';
  }
  return null;
}

/** Titles OWA uses, lower-cased, with the generations each is seen on. */
const KNOWN_TITLES: ReadonlyMap<string, readonly Generation[]> = new Map<string, readonly Generation[]>([
  ['outlook', ['15']],
  ['exchange admin center', ['15']],
  ['outlook web app', ['14', '15']],
  ['microsoft exchange - outlook web access', ['8']],
]);

/**
 * The page title when it is one OWA uses. A title is a hint of the generation, never proof:
 * anything can call itself "Outlook".
 */
export function extractLogonTitle(response: ProbeResponse): Signal[] {
  const text = titleIn(scanWindow(response.body), pageTagsOf(response));
  if (text === null) return [];
  const title = cleanRepeated(text);
  const generations = KNOWN_TITLES.get(title.toLowerCase());
  return generations === undefined
    ? []
    : [signalFrom(response, { signal: 'logon-title', value: title, generations, hint: true })];
}
