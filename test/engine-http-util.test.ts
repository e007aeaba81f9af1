// Pure pieces of the session: error mapping, header shaping, Retry-After, bounded bodies, the
// User-Agent, and the TLS facts drawn from a certificate.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanValue, MAX_MESSAGE_CHARS } from '../src/core/text.js';
import { classifyNetworkError, toResultError } from '../src/engine/errors.js';
import { ProbeError, ScopeRefusal } from '../src/core/errors.js';
import { util as undiciUtil } from 'undici';
import {
  BoundedBody,
  headersFromRaw,
  hostHeader,
  parseRetryAfter,
  requestUrl,
} from '../src/engine/http-util.js';
import {
  certificateDate,
  formatDistinguishedName,
  parseSubjectAltName,
  tlsInfoFromCertificate,
} from '../src/engine/tls-info.js';
import { sanitiseContact, userAgentFor } from '../src/engine/user-agent.js';
import { TOOL_VERSION } from '../src/util/version.js';

const err = (code: string | undefined, message = 'boom', name = 'Error'): Error =>
  Object.assign(new Error(message), { code, name });

describe('classifyNetworkError', () => {
  const table: [Error, 'connect' | 'response', string][] = [
    [err('ECONNREFUSED'), 'connect', 'connection-refused'],
    [err('UND_ERR_CONNECT_TIMEOUT'), 'connect', 'connect-timeout'],
    [err('EHOSTUNREACH'), 'connect', 'host-unreachable'],
    [err('ENETUNREACH'), 'connect', 'host-unreachable'],
    [
      err('ECONNRESET', 'Client network socket disconnected before secure TLS connection was established'),
      'connect',
      'reset',
    ],
    [err('ERR_SSL_WRONG_VERSION_NUMBER'), 'connect', 'tls-error'],
    [err('EPROTO', 'write EPROTO'), 'connect', 'tls-error'],
    [err(undefined, 'something odd'), 'connect', 'host-unreachable'],
    [err('UND_ERR_HEADERS_TIMEOUT'), 'response', 'timeout'],
    [err('UND_ERR_BODY_TIMEOUT'), 'response', 'timeout'],
    [err('ECONNRESET'), 'response', 'reset'],
    [err('UND_ERR_SOCKET', 'other side closed'), 'response', 'reset'],
    [err('UND_ERR_RES_CONTENT_LENGTH_MISMATCH'), 'response', 'reset'],
    [err('UND_ERR_HEADERS_OVERFLOW'), 'response', 'response-too-large'],
    [err('HPE_INVALID_CONSTANT'), 'response', 'protocol-error'],
    [
      err(undefined, 'Response does not match the HTTP/1.1 protocol', 'HTTPParserError'),
      'response',
      'protocol-error',
    ],
    [err(undefined, 'what is this'), 'response', 'internal-error'],
  ];
  for (const [e, phase, code] of table) {
    it(`${e.name}/${String((e as { code?: string }).code)} while ${phase} → ${code}`, () => {
      expect(classifyNetworkError(e, phase).code).toBe(code);
    });
  }

  it('passes classified errors through and keeps refusals as out-of-scope', () => {
    const refusal = new ScopeRefusal('http://x/', 'excluded');
    expect(classifyNetworkError(refusal, 'connect')).toBe(refusal);
    expect(toResultError(refusal)).toEqual({ code: 'out-of-scope', message: 'refused http://x/: excluded' });
    expect(toResultError(new TypeError('bug'))).toEqual({ code: 'internal-error', message: 'bug' });
  });

  it('flattens and bounds messages that may quote a server', () => {
    expect(cleanValue('a\r\nInjected: 1\u0000b', MAX_MESSAGE_CHARS)).toBe('a Injected: 1 b');
    expect(cleanValue('x'.repeat(1000), MAX_MESSAGE_CHARS)).toHaveLength(MAX_MESSAGE_CHARS);
    expect(toResultError(new ProbeError('timeout', 'y'.repeat(1000))).message.length).toBeLessThanOrEqual(
      MAX_MESSAGE_CHARS,
    );
  });
});

describe('headers and URLs', () => {
  it('lower-cases names, joins repeats, keeps hostile names as plain own properties', () => {
    const raw = ['X-OWA-Version', '15.1.2507.6', 'set-cookie', 'a=1', 'Set-Cookie', 'b=2', '__proto__', 'x'];
    const h = headersFromRaw(raw.map((v) => Buffer.from(v)));
    expect(h['x-owa-version']).toBe('15.1.2507.6');
    expect(h['set-cookie']).toBe('a=1, b=2');
    expect(Object.getPrototypeOf(h)).toBe(Object.prototype);
    expect(Object.hasOwn(h, '__proto__')).toBe(true);
    expect(Object.keys(h)).toEqual(['x-owa-version', 'set-cookie', '__proto__']);
  });

  it('reads a head exactly as client.request did (undici parseHeaders, then joined), hostile ones included', () => {
    // The former path: undici's parseHeaders, then names lower-cased and repeats joined.
    const former = (raw: Buffer[]): Record<string, string> => {
      const parsed = undiciUtil.parseHeaders(raw) as Record<string, string | string[] | undefined>;
      const entries: [string, string][] = [];
      for (const name of Object.keys(parsed)) {
        const value = parsed[name];
        if (value === undefined) continue;
        entries.push([name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value]);
      }
      return Object.fromEntries(entries);
    };
    const names = [
      'Content-Type',
      'content-type',
      'SET-COOKIE',
      'x-a',
      'X-A',
      '__proto__',
      '__PROTO__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'valueOf',
      '0',
      '10',
      '2',
      'x-\u00c9t\u00e9',
      'Location',
      'Server',
      'x-owa-version',
      'X-FEServer',
      'WWW-Authenticate',
    ].map((n) => JSON.parse(`"${n}"`) as string);
    const values = ['', ' ', 'v', 'a, b', 'caf\u00e9', '\u00ff\u0080', '15.1.2507.6', 'x'.repeat(300)].map(
      (v) => JSON.parse(`"${v}"`) as string,
    );
    // A fixed pseudo-random walk over names and values: the same heads on every run.
    let seed = 17;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 500; round++) {
      const raw: Buffer[] = [];
      const count = next(12);
      for (let i = 0; i < count; i++) {
        raw.push(Buffer.from(names[next(names.length)] as string, 'latin1'));
        // Values as bytes: Latin-1 text, and now and then raw UTF-8 (as a server may send it).
        const value = values[next(values.length)] as string;
        raw.push(Buffer.from(value, next(2) === 0 ? 'latin1' : 'utf8'));
      }
      const got = headersFromRaw(raw);
      const want = former(raw);
      expect(Object.entries(got)).toEqual(Object.entries(want));
      expect(Object.getPrototypeOf(got)).toBe(Object.getPrototypeOf(want));
    }
  });

  it('builds Host and URLs with the port only when it is not the default, and brackets IPv6', () => {
    expect(hostHeader({ scheme: 'https', ip: '192.0.2.1', port: 443, host: 'mail.example' })).toBe(
      'mail.example',
    );
    expect(hostHeader({ scheme: 'http', ip: '192.0.2.1', port: 8080, host: null })).toBe('192.0.2.1:8080');
    expect(hostHeader({ scheme: 'https', ip: '2001:db8::5', port: 443, host: null })).toBe('[2001:db8::5]');
    expect(requestUrl({ scheme: 'http', ip: '192.0.2.1', port: 80, host: 'owa.example' }, '/owa/')).toBe(
      'http://owa.example/owa/',
    );
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-27T10:00:00Z');
  it('reads delta-seconds and HTTP-dates, ignores junk', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Fri, 27 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter('9'.repeat(400), now)).toBeNull();
  });
});

describe('BoundedBody', () => {
  const read = (chunks: string[], max: number): { text: string; truncated: boolean } => {
    const body = new BoundedBody(max);
    for (const c of chunks) if (!body.push(Buffer.from(c))) break;
    return { text: body.bytes().toString(), truncated: body.truncated };
  };

  it('keeps everything up to the bound, untruncated, and cuts one byte past it', () => {
    expect(read(['abc', 'def'], 6)).toEqual({ text: 'abcdef', truncated: false });
    expect(read(['abc', 'defg'], 6)).toEqual({ text: 'abcdef', truncated: true });
    expect(read(['abcdef', 'g'], 6)).toEqual({ text: 'abcdef', truncated: true });
    expect(read(['abc', '', 'def'], 6)).toEqual({ text: 'abcdef', truncated: false });
    expect(read([], 10)).toEqual({ text: '', truncated: false });
  });

  it('returns a body of one chunk as that chunk, and a cut of it as a view: no copy', () => {
    const page = Buffer.from('<html>one chunk</html>');
    const whole = new BoundedBody(1000);
    expect(whole.push(page)).toBe(true);
    expect(whole.bytes()).toBe(page);
    const big = Buffer.alloc(4000, 0x62);
    const cut = new BoundedBody(1500);
    expect(cut.push(big)).toBe(false);
    expect(cut.push(Buffer.from('never read'))).toBe(false);
    expect(cut.bytes().length).toBe(1500);
    expect(cut.bytes().buffer).toBe(big.buffer);
    expect(cut.truncated).toBe(true);
  });

  it('says stop as soon as the bound is passed, however the body is chunked', () => {
    for (let size = 1; size <= 7; size++) {
      const body = new BoundedBody(2500);
      let pushed = 0;
      while (body.push(Buffer.alloc(size * 333, 0x61))) pushed++;
      expect(body.bytes().length).toBe(2500);
      expect(body.truncated).toBe(true);
      expect(pushed).toBe(Math.floor(2500 / (size * 333)) - (2500 % (size * 333) === 0 ? 1 : 0));
    }
  });
});

describe('userAgentFor', () => {
  it('names the tool, its version and the contact', () => {
    expect(userAgentFor('security@acme.example')).toBe(
      `owa-audit/${TOOL_VERSION} (+https://github.com/owa-audit/owa-audit; authorised scan; contact security@acme.example)`,
    );
  });

  it('cannot be used to inject a header or break out of the comment', () => {
    const ua = userAgentFor('a@b.example\r\nX-Evil: 1 (x) \\ é');
    expect(ua).toMatch(/^[ -~]+$/); // printable ASCII only
    expect(ua.slice(ua.indexOf('(') + 1, -1)).not.toMatch(/[()\\]/);
    expect(sanitiseContact('\r\n\t')).toBe('unknown');
    expect(sanitiseContact('x'.repeat(500))).toHaveLength(200);
  });
});

describe('TLS facts', () => {
  it('formats names and SANs, including values Node quotes', () => {
    expect(formatDistinguishedName({ CN: 'mail.example', OU: ['a', 'b'] })).toBe(
      'CN=mail.example, OU=a, OU=b',
    );
    expect(parseSubjectAltName('DNS:a.example, IP Address:192.0.2.1, email:x@y, DNS:"we,ird"')).toEqual([
      'a.example',
      '192.0.2.1',
      'we,ird',
    ]);
    expect(
      parseSubjectAltName(Array.from({ length: 500 }, (_, i) => `DNS:n${i}.example`).join(', ')),
    ).toHaveLength(100);
  });

  it('reads a real certificate and tells self-signed from issued', () => {
    const pem = readFileSync(new URL('./fixtures/engine/self.pem', import.meta.url), 'utf8');
    const x = new X509Certificate(pem);
    const self = {
      subject: { CN: 'mail.engine.test', O: 'owa-audit test' },
      issuer: { CN: 'mail.engine.test', O: 'owa-audit test' },
      subjectaltname: x.subjectAltName,
      valid_from: x.validFrom,
      valid_to: x.validTo,
      fingerprint256: x.fingerprint256,
    };
    const info = tlsInfoFromCertificate(self as never, 'TLSv1.3', 'TLS_AES_256_GCM_SHA384');
    expect(info).toMatchObject({
      selfSigned: true,
      san: ['mail.engine.test', 'autodiscover.engine.test', '127.3.2.1'],
      protocol: 'TLSv1.3',
    });
    expect(info?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const issued = { ...self, issuer: { CN: 'Some CA' } };
    expect(tlsInfoFromCertificate(issued as never, null, null)?.selfSigned).toBe(false);
    // Self-issued is self-signed: no chain is built, so a certificate another key signed under the
    // same name counts too (the documented edge case, tls-info.ts isSelfSigned).
    const sameNameOtherKey = { ...self, issuerCertificate: { fingerprint256: 'AA:BB' } };
    expect(tlsInfoFromCertificate(sameNameOtherKey as never, null, null)?.selfSigned).toBe(true);
    const sameNameOtherOrder = { ...self, issuer: { O: 'owa-audit test', CN: 'mail.engine.test' } };
    expect(tlsInfoFromCertificate(sameNameOtherOrder as never, null, null)?.selfSigned).toBe(false);
    expect(
      tlsInfoFromCertificate({ ...self, valid_to: 'not a date' } as never, null, null)?.notAfter,
    ).toBeNull();
    expect(tlsInfoFromCertificate({} as never, null, null)).toBeNull();
  });

  it('reads certificate dates as Date.parse does, the form OpenSSL prints and any other', () => {
    const viaParse = (text: string): string | null => {
      const t = Date.parse(text);
      return Number.isNaN(t) ? null : new Date(t).toISOString();
    };
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const pad = (n: number): string => String(n).padStart(2, '0');
    const texts = [
      'Nov 27 02:18:03 2026 GMT',
      'Nov  3 02:18:03 2126 GMT',
      'Feb 29 12:00:00 2024 GMT', // leap day
      'Feb 29 12:00:00 2023 GMT', // no such day
      'Feb 29 00:00:00 2000 GMT',
      'Feb 29 00:00:00 1900 GMT',
      'Apr 31 00:00:00 2030 GMT',
      'Dec 31 23:59:59 9999 GMT',
      'Jan  1 00:00:00 1000 GMT',
      'Jan  1 00:00:00 1949 GMT',
      'Jan  1 00:00:00 0950 GMT',
      'Nov  3 02:18:03.250 2126 GMT', // fractional seconds
      'Nov 33 02:18:03 2126 GMT',
      'Nov  0 02:18:03 2126 GMT',
      'Xyz  3 02:18:03 2126 GMT',
      '2026-11-27T02:18:03Z',
      'not a date',
      '',
    ];
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const day = 1 + next(31);
      const text = `${months[next(12)] ?? 'Jan'} ${String(day).padStart(2, ' ')} ${pad(next(24))}:${pad(next(60))}:${pad(next(60))} ${1000 + next(9000)} GMT`;
      texts.push(text);
    }
    for (const text of texts) expect([text, certificateDate(text)]).toEqual([text, viaParse(text)]);
    expect(certificateDate(undefined)).toBeNull();
  });
});
