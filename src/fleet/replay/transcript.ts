// Replay transcripts: a recorded capture as text — provenance, the truth a scanner must reach, and
// the request/response exchanges the capture covers. Format (test/fixtures/replay/README.md):
//
//   #! owa-audit replay 1
//   # provenance lines (kept as the transcript's provenance)
//   name: lookback-ex2019-cu9
//   self: 10.10.252.86
//   truth.status: exchange
//   …
//   >>> GET /owa/ HTTP/1.1
//   # block notes ("reconstructed: …")
//   Host: 10.10.252.86            (request headers: provenance only)
//   <<< HTTP/1.1 302 Found
//   Location: https://10.10.252.86/owa/auth/logon.aspx?url=…&reason=0
//
//   body, up to the next ">>> " line; body lines starting with ">>> ", "<<< " or "\" get a leading "\"
//
// Pure: text in, Transcript out (or a TranscriptError naming the line).
import type { Scheme } from '../../core/result-schema.js';
import type { HostExpectation, ReplayExchange, Transcript } from '../types.js';
import { applyTruth, listOf } from './truth.js';

export const TRANSCRIPT_MAGIC = '#! owa-audit replay 1';

export type { ReplayExchange, Transcript } from '../types.js';

export class TranscriptError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}, line ${line}: ${message}`);
    this.name = 'TranscriptError';
  }
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,79}$/;
const META = /^([a-z][a-z.-]{0,40}):\s?(.*)$/;
const REQUEST_LINE = /^>>> ([A-Z]{1,16}) (\S{1,2000})(?: HTTP\/[0-9.]{1,3})?$/;
const STATUS_LINE = /^<<< HTTP\/[0-9.]{1,3} (\d{3})(?: (.*))?$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}):[ \t]*(.*)$/;
// What Node's http server accepts in a header value (no controls but tab).
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

interface Cursor {
  file: string;
  lines: string[];
  at: number;
}

function fail(c: Cursor, message: string, line = c.at + 1): never {
  throw new TranscriptError(c.file, line, message);
}

function unescapeBody(line: string): string {
  return line.startsWith('\\') ? line.slice(1) : line;
}

/** Splits an origin-form or absolute-form target into scheme, path and query. */
function parseTarget(c: Cursor, raw: string): Pick<ReplayExchange, 'scheme' | 'path' | 'query' | 'prefix'> {
  let scheme: Scheme | null = null;
  let rest = raw;
  const absolute = /^(https?):\/\/[^/?#\s]+(.*)$/i.exec(raw);
  if (absolute !== null) {
    scheme = absolute[1]?.toLowerCase() === 'http' ? 'http' : 'https';
    rest = absolute[2] === undefined || absolute[2] === '' ? '/' : absolute[2];
  }
  if (!rest.startsWith('/')) fail(c, `request target must be a path or an absolute URL: ${raw}`);
  const prefix = rest.endsWith('*');
  if (prefix) rest = rest.slice(0, -1);
  const q = rest.indexOf('?');
  if (prefix && q >= 0) fail(c, `a prefix target (ending in *) cannot carry a query: ${raw}`);
  return q < 0
    ? { scheme, path: rest, query: null, prefix }
    : { scheme, path: rest.slice(0, q), query: rest.slice(q + 1), prefix };
}

function parseExchange(c: Cursor): ReplayExchange {
  const line = c.at + 1;
  const request = REQUEST_LINE.exec(c.lines[c.at] ?? '');
  if (request === null) fail(c, 'request line must read ">>> METHOD TARGET [HTTP/x]"');
  const target = parseTarget(c, request[2] ?? '');
  c.at++;
  const notes: string[] = [];
  while (c.at < c.lines.length && !(c.lines[c.at] ?? '').startsWith('<<< ')) {
    const l = c.lines[c.at] ?? '';
    if (l.startsWith('>>> ')) fail(c, 'a request without a response (no "<<< HTTP/x STATUS" line)');
    if (l.startsWith('#')) notes.push(l.replace(/^#\s?/, ''));
    else if (l.trim() !== '' && !HEADER_LINE.test(l)) fail(c, `not a request header line: ${l.slice(0, 80)}`);
    c.at++;
  }
  if (c.at >= c.lines.length) fail(c, 'a request without a response at the end of the file', line);
  const status = STATUS_LINE.exec(c.lines[c.at] ?? '');
  if (status === null) fail(c, 'status line must read "<<< HTTP/x NNN [reason]"');
  const code = Number(status[1]);
  if (code < 100 || code > 599) fail(c, `status ${code} is not an HTTP status`);
  const reason = (status[2] ?? '').trim();
  if (!HEADER_VALUE.test(reason)) fail(c, 'reason phrase holds control characters');
  c.at++;
  const headers: [string, string][] = [];
  while (c.at < c.lines.length) {
    const l = c.lines[c.at] ?? '';
    if (l === '' || l.startsWith('>>> ')) break;
    const h = HEADER_LINE.exec(l);
    if (h === null) fail(c, `not a response header line: ${l.slice(0, 80)}`);
    const value = (h[2] ?? '').trim();
    if (!HEADER_VALUE.test(value)) fail(c, `header ${h[1] ?? ''} holds characters HTTP cannot carry`);
    headers.push([h[1] ?? '', value]);
    c.at++;
  }
  const body: string[] = [];
  if (c.at < c.lines.length && c.lines[c.at] === '') {
    c.at++;
    while (c.at < c.lines.length && !(c.lines[c.at] ?? '').startsWith('>>> ')) {
      body.push(unescapeBody(c.lines[c.at] ?? ''));
      c.at++;
    }
  }
  while (body.length > 0 && body.at(-1) === '') body.pop();
  return {
    method: request[1] ?? 'GET',
    ...target,
    notes,
    status: code,
    reason,
    headers,
    body: body.join('\n'),
    line,
  };
}

/** Parses one transcript. `file` only names the source in error messages. */
export function parseTranscript(text: string, file = '<text>'): Transcript {
  const c: Cursor = { file, lines: text.replace(/\r\n/g, '\n').split('\n'), at: 0 };
  if (c.lines[0]?.trimEnd() !== TRANSCRIPT_MAGIC) fail(c, `the first line must be "${TRANSCRIPT_MAGIC}"`, 1);
  c.at = 1;
  const provenance: string[] = [];
  const expect: Partial<HostExpectation> = {};
  let name: string | null = null;
  let represents: string | null = null;
  let self: string[] = [];
  for (; c.at < c.lines.length && !(c.lines[c.at] ?? '').startsWith('>>> '); c.at++) {
    const l = c.lines[c.at] ?? '';
    if (l.startsWith('#')) {
      provenance.push(l.replace(/^#\s?/, ''));
      continue;
    }
    if (l.trim() === '') continue;
    const m = META.exec(l);
    if (m === null) fail(c, `expected "key: value", a "#" line or a ">>> " request line: ${l.slice(0, 80)}`);
    const key = m[1] ?? '';
    const value = (m[2] ?? '').trim();
    if (key === 'name') {
      if (!NAME.test(value)) fail(c, `name must match ${String(NAME)}, got "${value}"`);
      name = value;
    } else if (key === 'self') self = listOf(value).map((h) => h.toLowerCase());
    else if (key === 'represents') represents = value;
    else applyTruth((message) => fail(c, message), expect, key, value);
  }
  if (name === null) fail(c, 'no "name:" line', 1);
  if (expect.status === undefined) fail(c, 'no "truth.status:" line', 1);
  if (expect.why === undefined) fail(c, 'no "truth.why:" line', 1);
  const exchanges: ReplayExchange[] = [];
  while (c.at < c.lines.length) exchanges.push(parseExchange(c));
  if (exchanges.length === 0) fail(c, 'no exchange (">>> " request line)');
  return {
    name,
    file,
    provenance,
    represents,
    self,
    expect: { ...expect, status: expect.status, why: expect.why },
    exchanges,
  };
}

/**
 * The exchange that answers a request: an exact path (case-insensitive, as IIS routes), preferring
 * the same method, then the same query; else the longest prefix target. The method only breaks
 * ties: a capture taken with OPTIONS or POST still answers a GET of its path (owa-audit sends
 * GETs only; the transcript's truth says what that proves). Null when the capture does not cover
 * the path.
 */
export function findExchange(
  t: Transcript,
  request: { method: string; scheme: Scheme; path: string; query: string },
): ReplayExchange | null {
  const lpath = request.path.toLowerCase();
  const usable = t.exchanges.filter((e) => e.scheme === null || e.scheme === request.scheme);
  const score = (e: ReplayExchange): number =>
    (e.method === request.method ? 2 : 0) + ((e.query ?? '') === request.query ? 1 : 0);
  let best: ReplayExchange | null = null;
  for (const e of usable) {
    if (!e.prefix && e.path.toLowerCase() === lpath && (best === null || score(e) > score(best))) best = e;
  }
  if (best !== null) return best;
  for (const e of usable) {
    if (!e.prefix || !lpath.startsWith(e.path.toLowerCase())) continue;
    const longer = best === null || e.path.length > best.path.length;
    if (longer || (e.path.length === best?.path.length && score(e) > score(best))) best = e;
  }
  return best;
}
