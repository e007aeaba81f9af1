// The replay fleet kind: the transcript format (parse, errors naming file and line, matching) and
// a replay host over real loopback sockets — status line, headers as captured (order, case,
// repeats), body, the capture's own host rewritten to the replay origin, the IIS 404 elsewhere.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findExchange,
  foreignHosts,
  loadTranscripts,
  parseTranscript,
  replayFleet,
  replayProfile,
  startFleet,
  type Fleet,
  type Transcript,
} from '../src/fleet/index.js';
import { fetchUrl, headerValues } from './helpers/fleet-fetch.js';

const CAPTURES = fileURLToPath(new URL('./fixtures/replay/', import.meta.url));
const PATTERNS = fileURLToPath(new URL('./fixtures/replay-patterns/', import.meta.url));
const IP = '127.15.0.1';
const PORT = 18443;

const SAMPLE = `#! owa-audit replay 1
# a capture's provenance line
name: sample
self: mail.example.org
represents: a test server
truth.status: exchange
truth.product: Exchange Server 2019
truth.signals: owa-redirect x-owa-version
truth.cve: CVE-2021-34473 possible
truth.why: a sample

>>> GET /owa/ HTTP/1.1
# reconstructed: nothing
Host: mail.example.org
<<< HTTP/1.1 302 Found
Location: https://mail.example.org/owa/auth/logon.aspx?url=https%3a%2f%2fmail.example.org%2fowa%2f&reason=0
X-FEServer: EX1
x-feserver: EX2
Content-Length: 99999
Transfer-Encoding: chunked

>>> GET /owa/auth/logon.aspx
<<< HTTP/1.1 200 OK
Content-Type: text/html

<a href="https://mail.example.org/owa/x">self</a> <a href="https://other.example.org/owa/">other</a>
\\>>> an escaped body line

>>> OPTIONS /Microsoft-Server-ActiveSync
<<< HTTP/2 200
MS-Server-ActiveSync: 15.20

>>> GET /Microsoft-Server-ActiveSync
<<< HTTP/1.1 401 Unauthorized
WWW-Authenticate: Basic realm="x"

>>> GET /mapi*
<<< HTTP/1.1 401 Unauthorized
X-Which: prefix

>>> GET http://mail.example.org/plain
<<< HTTP/1.1 403 Forbidden
`;

describe('transcripts', () => {
  it('parses metadata, truth, provenance and exchanges', () => {
    const t = parseTranscript(SAMPLE, 'sample.http');
    expect(t).toMatchObject({
      name: 'sample',
      self: ['mail.example.org'],
      represents: 'a test server',
      provenance: ["a capture's provenance line"],
      expect: {
        status: 'exchange',
        product: 'Exchange Server 2019',
        signals: ['owa-redirect', 'x-owa-version'],
        cves: [{ id: 'CVE-2021-34473', certainty: 'possible' }],
        why: 'a sample',
      },
    });
    expect(t.exchanges).toHaveLength(6);
    expect(t.exchanges[0]).toMatchObject({
      method: 'GET',
      path: '/owa/',
      status: 302,
      reason: 'Found',
      line: 12,
    });
    expect(t.exchanges[0]?.notes).toEqual(['reconstructed: nothing']);
    expect(t.exchanges[0]?.headers.slice(1, 3)).toEqual([
      ['X-FEServer', 'EX1'],
      ['x-feserver', 'EX2'],
    ]);
    expect(t.exchanges[1]?.body).toBe(
      '<a href="https://mail.example.org/owa/x">self</a> <a href="https://other.example.org/owa/">other</a>\n>>> an escaped body line',
    );
    expect(t.exchanges[2]).toMatchObject({ status: 200, reason: '' });
    expect(t.exchanges[4]).toMatchObject({ path: '/mapi', prefix: true });
    expect(t.exchanges[5]).toMatchObject({ scheme: 'http', path: '/plain' });
  });

  it.each([
    ['no magic line', 'name: x\n', 'line 1: the first line must be'],
    ['an unknown key', `${SAMPLE.split('\n')[0]}\nname: x\ncolour: red\n`, 'line 3: unknown key "colour"'],
    [
      'an unknown signal',
      '#! owa-audit replay 1\nname: x\ntruth.signals: owa-magic\n',
      'line 3: unknown evidence signal "owa-magic"',
    ],
    [
      'a bad status line',
      '#! owa-audit replay 1\nname: x\ntruth.status: exchange\ntruth.why: w\n>>> GET /\n<<< 200 OK\n',
      'line 6: status line',
    ],
    [
      'a request without a response',
      '#! owa-audit replay 1\nname: x\ntruth.status: exchange\ntruth.why: w\n>>> GET /\n>>> GET /x\n<<< HTTP/1.1 200 OK\n',
      'line 6: a request without a response',
    ],
    [
      'no truth',
      '#! owa-audit replay 1\nname: x\n>>> GET /\n<<< HTTP/1.1 200 OK\n',
      'line 1: no "truth.status:" line',
    ],
    [
      'a header HTTP cannot carry',
      '#! owa-audit replay 1\nname: x\ntruth.status: exchange\ntruth.why: w\n>>> GET /\n<<< HTTP/1.1 200 OK\nX-A: a\u0001b\n',
      'line 7: header X-A',
    ],
  ])('refuses %s, naming the file and line', (_name, text, message) => {
    expect(() => parseTranscript(text, 'bad.http')).toThrow(`bad.http, ${message}`);
  });

  it('answers by path: exact (any case) before prefix; method and query break ties; absolute targets keep their scheme', () => {
    const t = parseTranscript(SAMPLE);
    const find = (
      method: string,
      path: string,
      scheme: 'http' | 'https' = 'https',
      query = '',
    ): number | undefined => {
      const e = findExchange(t, { method, scheme, path, query });
      return e === null ? undefined : t.exchanges.indexOf(e);
    };
    expect(find('GET', '/OWA/')).toBe(0);
    expect(find('GET', '/Microsoft-Server-ActiveSync')).toBe(3);
    expect(find('OPTIONS', '/microsoft-server-activesync')).toBe(2);
    expect(find('GET', '/mapi/emsmdb')).toBe(4);
    expect(find('GET', '/plain', 'http')).toBe(5);
    expect(find('GET', '/plain', 'https')).toBeUndefined();
    expect(find('GET', '/ews/exchange.asmx')).toBeUndefined();
  });

  it('every committed transcript parses, with provenance and a reason for its truth', async () => {
    for (const dir of [CAPTURES, PATTERNS]) {
      const all = await loadTranscripts(dir);
      expect(all.length).toBeGreaterThan(0);
      for (const t of all) {
        expect(t.provenance.length, t.name).toBeGreaterThan(3);
        expect(t.expect.why.length, t.name).toBeGreaterThan(20);
        expect(t.exchanges.length, t.name).toBeGreaterThan(0);
      }
    }
    expect((await loadTranscripts(CAPTURES)).length).toBe(45);
  });

  it('sends every host a capture redirects to (not its own, not an address) to the sentinel', () => {
    const t = parseTranscript(
      SAMPLE.replace('X-FEServer: EX1', 'X-FEServer: EX1\nX-Other: https://ignored.example/').replace(
        '>>> GET /mapi*',
        '>>> GET /adfs-hop\n<<< HTTP/1.1 302 Found\nLocation: https://adfs.example.org/adfs/ls/?wa=wsignin1.0\n\n>>> GET /ip-hop\n<<< HTTP/1.1 302 Found\nLocation: https://192.0.2.7/x\n\n>>> GET /mapi*',
      ),
    );
    expect(foreignHosts(t)).toEqual(['adfs.example.org']);
    const spec = replayFleet([t], { base: '127.15.1.0', httpsPort: PORT });
    expect(spec.scope).toBe('127.15.1.0/24');
    expect(spec.dnsRecords).toEqual({ 'adfs.example.org': [spec.sentinel] });
    expect(spec.hosts.map((h) => h.ip)).toEqual(['127.15.1.1', spec.sentinel]);
  });
});

describe('a replay host on loopback', () => {
  let fleet: Fleet;
  let t: Transcript;
  const url = (path: string): string => `https://${IP}:${PORT}${path}`;

  beforeAll(async () => {
    t = parseTranscript(SAMPLE);
    fleet = await startFleet({
      hosts: [{ ip: IP, profile: replayProfile(t), ports: [{ port: PORT, scheme: 'https' }] }],
      lifetimeMs: 60_000,
    });
  });
  afterAll(async () => {
    await fleet.stop();
  });

  it("sends the captured status line and headers in order and case, repeats kept, the capture's host rewritten", async () => {
    const r = await fetchUrl(url('/owa/'));
    expect(r.status).toBe(302);
    expect(r.statusMessage).toBe('Found');
    expect(r.rawNames.slice(0, 3)).toEqual(['Location', 'X-FEServer', 'x-feserver']);
    expect(headerValues(r, 'x-feserver')).toEqual(['EX1', 'EX2']);
    const origin = `https://${IP}:${PORT}`;
    expect(r.headers.location).toBe(
      `${origin}/owa/auth/logon.aspx?url=${encodeURIComponent(origin).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())}%2fowa%2f&reason=0`,
    );
    // Length is the replay's own (the captured one would break framing); no chunking.
    expect(r.headers['content-length']).toBe('0');
    expect(r.headers['transfer-encoding']).toBeUndefined();
  });

  it("serves the body with only the capture's own host rewritten", async () => {
    const r = await fetchUrl(url('/owa/auth/logon.aspx?url=x&reason=0'));
    expect(r.body).toBe(
      `<a href="https://${IP}:${PORT}/owa/x">self</a> <a href="https://other.example.org/owa/">other</a>\n>>> an escaped body line`,
    );
    expect(r.headers['content-length']).toBe(String(Buffer.byteLength(r.body)));
  });

  it("answers a GET with the GET block, and with another method's block when the capture has only that", async () => {
    expect((await fetchUrl(url('/Microsoft-Server-ActiveSync'))).status).toBe(401);
    const options = await fetchUrl(url('/Microsoft-Server-ActiveSync'), { method: 'OPTIONS' });
    expect(options.status).toBe(200);
    expect(options.statusMessage).toBe('OK');
    expect(options.headers['ms-server-activesync']).toBe('15.20');
    expect((await fetchUrl(url('/mapi/nspi/'))).headers['x-which']).toBe('prefix');
  });

  it('answers every path the capture does not cover with the IIS 404', async () => {
    const r = await fetchUrl(url('/EWS/Exchange.asmx'));
    expect(r.status).toBe(404);
    expect(r.headers.server).toBe('Microsoft-IIS/10.0');
    expect(r.body).toContain('404 - File or directory not found.');
    expect((await fetchUrl(url('/plain'))).status).toBe(404); // the http-only block is not served on https
    expect(fleet.requestLog.count(IP, PORT, '/EWS/Exchange.asmx')).toBe(1);
  });
});
