// Markers of the OWA forms-based logon page and the page titles of each generation.
import type { ProbeResponse } from '../../core/probe-types.js';
import { cleanValue, scanWindow } from '../../core/text.js';
import type { Generation, Signal } from '../types.js';
import { signalFrom } from './common.js';

interface Marker {
  /** Canonical text shown as evidence. */
  label: string;
  test: (body: string, lower: string) => boolean;
  generations: readonly Generation[] | null;
}

// Bounded patterns only: `[^>]{0,400}` cannot leave the tag, `\s{0,5}` cannot run away.
const OWA_PAGE_COMMENT = /<!--\s{0,5}OwaPage\s{0,5}=\s{0,5}ASP\.auth_logon_aspx\s{0,5}-->/i;
const FORM_AUTH_OWA = /<form\b[^>]{0,400}\baction\s{0,3}=\s{0,3}["']\/owa\/auth\.owa["']/i;
const FORM_OWAAUTH_DLL = /<form\b[^>]{0,400}\baction\s{0,3}=\s{0,3}["']\/owa\/auth\/owaauth\.dll["']/i;
const BODY_OWA_LGN = /<body\b[^>]{0,400}\bclass\s{0,3}=\s{0,3}["'][^"'>]{0,100}\bowaLgnBdy\b/i;

const MARKERS: readonly Marker[] = [
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

/** Logon-page markers: one signal per marker present. Hints: where and how the page was served decides (corroborate.ts). */
export function extractLogonMarkers(response: ProbeResponse): Signal[] {
  if (response.body === '') return [];
  const body = scanWindow(response.body);
  const lower = body.toLowerCase();
  return MARKERS.filter((m) => m.test(body, lower)).map((m) =>
    signalFrom(response, {
      signal: 'logon-page-marker',
      value: m.label,
      generations: m.generations,
      hint: true,
    }),
  );
}

const TITLE = /<title\b[^>]{0,100}>([^<]{0,300})<\/title\s{0,5}>/i;

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
  const match = TITLE.exec(scanWindow(response.body));
  if (match === null) return [];
  const title = cleanValue(match[1] ?? '');
  const generations = KNOWN_TITLES.get(title.toLowerCase());
  return generations === undefined
    ? []
    : [signalFrom(response, { signal: 'logon-title', value: title, generations, hint: true })];
}
