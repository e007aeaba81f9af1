// Pure pieces of the session: error mapping, header shaping, Retry-After, bounded reads, the
// User-Agent, and the TLS facts drawn from a certificate.
import { Readable } from 'node:stream';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanValue, MAX_MESSAGE_CHARS } from '../src/core/text.js';
import { classifyNetworkError, toResultError } from '../src/engine/errors.js';
import { ProbeError, ScopeRefusal } from '../src/core/errors.js';
import {
  hostHeader,
  normaliseHeaders,
  parseRetryAfter,
  readBounded,
  requestUrl,
} from '../src/engine/http-util.js';
import {
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
    const raw = JSON.parse(
      '{"X-OWA-Version":"15.1.2507.6","set-cookie":["a=1","b=2"],"__proto__":"x"}',
    ) as Record<string, string | string[]>;
    const h = normaliseHeaders(raw);
    expect(h['x-owa-version']).toBe('15.1.2507.6');
    expect(h['set-cookie']).toBe('a=1, b=2');
    expect(Object.getPrototypeOf(h)).toBe(Object.prototype);
    expect(Object.hasOwn(h, '__proto__')).toBe(true);
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

describe('readBounded', () => {
  it('returns everything below the bound, untruncated', async () => {
    const r = await readBounded(Readable.from([Buffer.from('abc'), Buffer.from('def')]), 6);
    expect(r.bytes.toString()).toBe('abcdef');
    expect(r.truncated).toBe(false);
  });

  it('returns a body of one chunk as that chunk, and a cut of it as a view: no copy', async () => {
    const page = Buffer.from('<html>one chunk</html>');
    const whole = await readBounded(Readable.from([page]), 1000);
    expect(whole.bytes).toBe(page);
    expect(whole.truncated).toBe(false);
    const big = Buffer.alloc(4000, 0x62);
    const cut = await readBounded(Readable.from([big, Buffer.from('never read')]), 1500);
    expect(cut.bytes.length).toBe(1500);
    expect(cut.bytes.buffer).toBe(big.buffer);
    expect(cut.truncated).toBe(true);
    const empty = await readBounded(Readable.from([]), 10);
    expect([empty.bytes.length, empty.truncated]).toEqual([0, false]);
  });

  it('cuts at the bound, marks truncated, and destroys the stream', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced++;
        this.push(Buffer.alloc(1000, 0x61));
      },
    });
    const r = await readBounded(endless, 2500);
    expect(r.bytes.length).toBe(2500);
    expect(r.truncated).toBe(true);
    expect(endless.destroyed).toBe(true);
    expect(produced).toBeLessThan(10);
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
});
