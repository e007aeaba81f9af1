// What IntelMQ would say about one exported event, without IntelMQ (it cannot be installed where
// these tests run): every key against the harmonization's field list (test/fixtures/intelmq/), and
// every value against its type as IntelMQ's own checks do — intelmq/lib/harmonization.py
// (`is_valid` of each type) and intelmq/lib/message.py (`Message.add`: key format, length, regex,
// iregex, ignored values), at the commit named in the fixture.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';

interface FieldSpec {
  type: string;
  length?: number;
  regex?: string;
  iregex?: string;
}

interface Harmonization {
  event: Record<string, FieldSpec>;
  allowed: { ClassificationTaxonomy: string[]; ClassificationType: string[] };
}

export const HARMONIZATION_33 = JSON.parse(
  readFileSync(new URL('../fixtures/intelmq/harmonization-3.3.json', import.meta.url), 'utf8'),
) as Harmonization;

/** message.py HARMONIZATION_KEY_FORMAT: what a key below a JSONDict field (extra.*) must look like. */
const KEY_FORMAT = /^[a-z_][a-z_0-9]+(\.[a-z_0-9]+)*$/;
/** message.py Message._IGNORED_VALUES: such values are dropped without a word. */
const IGNORED = ['', '-', 'N/A'];

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** DateTime.is_valid without sanitising: ISO 8601 in UTC, "+00:00", as from_isoformat gives it back. */
function isDateTime(v: unknown): boolean {
  if (!isString(v)) return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?\+00:00$/.exec(v);
  if (m === null) return false;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return new Date(t).toISOString().slice(0, 19) === v.slice(0, 19);
}

/** FQDN.is_valid: lower case, no outer dots, no ":", not an address, no URL parts, unchanged by IDNA (ASCII labels of 1–63). */
function isFqdn(v: unknown): boolean {
  if (!isString(v)) return false;
  if (v.replace(/^\.+|\.+$/g, '') !== v || v !== v.toLowerCase() || v.includes(':')) return false;
  if (isIP(v) !== 0) return false;
  if (/[/?#]/.test(v)) return false;
  // Python's "idna" codec returns a non-ASCII name in punycode (so it would differ) and refuses
  // empty or overlong labels.
  if (!/^[\x21-\x7e]+$/.test(v)) return false;
  return v.split('.').every((label) => label.length >= 1 && label.length <= 63);
}

/** URL.is_valid: no leading whitespace, and urlsplit finds a network location. */
function isUrl(v: unknown): boolean {
  if (!isString(v) || /^\s/.test(v)) return false;
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]+/.test(v);
}

function typeProblem(type: string, v: unknown, h: Harmonization): string | null {
  switch (type) {
    case 'String':
      return isString(v) ? null : 'not a non-empty string';
    case 'LowercaseString':
      return isString(v) && v === v.toLowerCase() ? null : 'not a lower-case string';
    case 'ClassificationTaxonomy':
      return isString(v) && h.allowed.ClassificationTaxonomy.includes(v) ? null : 'not an allowed taxonomy';
    case 'ClassificationType':
      return isString(v) && h.allowed.ClassificationType.includes(v) ? null : 'not an allowed type';
    case 'DateTime':
      return isDateTime(v) ? null : 'not a UTC DateTime ending in +00:00';
    case 'FQDN':
      return isFqdn(v) ? null : 'not an FQDN as IntelMQ takes it';
    case 'IPAddress':
      return isString(v) && isIP(v) !== 0 && v !== '0.0.0.0' && !v.includes('%') ? null : 'not an IP address';
    case 'Integer':
      return typeof v === 'number' && Number.isInteger(v) ? null : 'not an integer';
    case 'URL':
      return isUrl(v) ? null : 'not a URL with a host';
    default:
      return `type ${type} is not checked by this helper`;
  }
}

/** Problems IntelMQ would have with the event; empty when it takes every field as it is. */
export function harmonizationProblems(event: Record<string, unknown>, h = HARMONIZATION_33): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(event)) {
    if (key === '__type') {
      if (value !== 'Event') problems.push(`__type: ${String(value)} is not Event`);
      continue;
    }
    if (value === null || (typeof value === 'string' && IGNORED.includes(value))) {
      problems.push(`${key}: ${JSON.stringify(value)} would be dropped`);
      continue;
    }
    const parent = key.split('.')[0] ?? '';
    const spec = h.event[key];
    if (spec === undefined) {
      // A key below a JSONDict field (extra.*): any JSON value, the key in IntelMQ's key format.
      if (h.event[parent]?.type === 'JSONDict' && key !== parent) {
        if (!KEY_FORMAT.test(key)) problems.push(`${key}: not a valid key below ${parent}`);
      } else problems.push(`${key}: not a field of the harmonization`);
      continue;
    }
    const bad = typeProblem(spec.type, value, h);
    if (bad !== null) {
      problems.push(`${key}: ${JSON.stringify(value)} is ${bad} (${spec.type})`);
      continue;
    }
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (spec.length !== undefined && text.length > spec.length)
      problems.push(`${key}: longer than ${spec.length} characters`);
    if (spec.regex !== undefined && !new RegExp(spec.regex, 'u').test(text))
      problems.push(`${key}: does not match ${spec.regex}`);
    if (spec.iregex !== undefined && !new RegExp(spec.iregex, 'iu').test(text))
      problems.push(`${key}: does not match ${spec.iregex} (case-insensitive)`);
  }
  return problems;
}

/** Where Python's str.splitlines() — IntelMQ's JSON parser with splitlines: true — breaks lines. */
export function pythonSplitlines(text: string): string[] {
  // \n, \r, \r\n, \v, \f, \x1c, \x1d, \x1e, \x85, \u2028, \u2029 (Python docs, str.splitlines).
  // eslint-disable-next-line no-control-regex
  const lines = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
