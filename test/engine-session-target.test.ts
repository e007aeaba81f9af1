// Where a session request goes, without sockets: a plain path on the endpoint's own origin skips the
// URL parser only when the parser would have returned it unchanged, so the request line is the
// same either way.
import { describe, expect, it } from 'vitest';
import { originPath, verbatimPath } from '../src/engine/session-target.js';
import { clientOrigin, dialledAddress, originUrl, type ConnectTarget } from '../src/engine/connector.js';

const parsed = (path: string): string => {
  const url = new URL(path, 'http://origin.invalid');
  return `${url.pathname}${url.search}`;
};

const outcome = (f: () => string): string => {
  try {
    return f();
  } catch (err) {
    return `threw ${String(err)}`;
  }
};

describe('verbatimPath', () => {
  it('takes the plain paths of a probe plan as they are', () => {
    for (const p of [
      '/',
      '/owa/',
      '/owa/auth/logon.aspx?url=https%3a%2f%2fmail.example%2fowa%2f&reason=0',
      '/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application',
      '/EWS/Exchange.asmx',
      '/autodiscover/autodiscover.xml',
      '/owa/14.3.123/themes/resources/favicon.ico',
      '/a;b=c/d:e@f!$&()*+,~_-',
    ]) {
      expect(verbatimPath(p)).toBe(p);
      expect(parsed(p)).toBe(p);
    }
  });

  it('leaves to the parser whatever it would change', () => {
    for (const p of [
      '/a/../b',
      '/a/./b',
      '/a/..',
      '/a/.',
      '/a/%2e%2e/b',
      '/a/.%2E/b',
      '/a?',
      '/a b',
      '/a\tb',
      '/a\\b',
      '/a#frag',
      "/a?it's",
      '/a"b',
      '/a<b>',
      '/a`b',
      '/a{b}',
      '/a^b',
      '/a|b',
      '/a[b]',
      '/é',
      '/a\u0000b',
    ]) {
      expect(verbatimPath(p)).toBeNull();
      expect(originPath(p)).toBe(parsed(p));
    }
  });

  it('agrees with the URL parser on generated paths: verbatim only when the parser keeps the path', () => {
    const chars = '/aZ09-._~!$&()*+,;=:@%?#\\ \t"\'<>`{}^|[]é.';
    const alphabet = Array.from({ length: chars.length }, (_, i) => chars.charAt(i));
    alphabet.push('%2e', '%2E', '..', '/./', '/../');
    let seed = 3;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    let verbatim = 0;
    for (let i = 0; i < 20_000; i++) {
      let p = '/';
      const length = next(12);
      for (let j = 0; j < length; j++) p += alphabet[next(alphabet.length)] ?? '';
      if (p.startsWith('//')) continue;
      const fast = verbatimPath(p);
      if (fast !== null) {
        verbatim++;
        expect([p, fast]).toEqual([p, parsed(p)]);
      }
      // Some are not URLs at all ("/\\x" is "//x", a host): both ways fail alike.
      expect([p, outcome(() => originPath(p))]).toEqual([p, outcome(() => parsed(p))]);
    }
    // The walk reaches both sides.
    expect(verbatim).toBeGreaterThan(1_000);
  });
});

describe('dialledAddress', () => {
  it('is the address the URL parser makes of the origin, with or without the parse', () => {
    for (const [ip, origin] of [
      ['192.0.2.1', 'https://192.0.2.1:443'],
      ['127.0.0.1', 'http://127.0.0.1:80'],
      ['255.255.255.255', 'http://255.255.255.255:80'],
      ['0.0.0.0', 'http://0.0.0.0:80'],
      ['2001:DB8:0:0::5', 'https://[2001:DB8:0:0::5]:443'],
      ['::ffff:192.0.2.1', 'https://[::ffff:192.0.2.1]:443'],
    ] as const) {
      expect(dialledAddress(ip, origin)).toBe(new URL(origin).hostname.replace(/^\[|\]$/g, ''));
    }
    expect(dialledAddress('2001:DB8:0:0::5', 'https://[2001:DB8:0:0::5]:443')).toBe('2001:db8::5');
  });
});

describe('clientOrigin', () => {
  it('gives undici the fields new URL would give, as a URL it does not parse again', () => {
    const fields = [
      'protocol',
      'hostname',
      'port',
      'host',
      'origin',
      'href',
      'pathname',
      'search',
      'hash',
    ] as const;
    const targets: ConnectTarget[] = [];
    for (const scheme of ['http', 'https'] as const)
      for (const ip of [
        '192.0.2.1',
        '127.0.0.1',
        '0.0.0.0',
        '255.255.255.255',
        '10.1.2.3',
        '2001:DB8:0:0::5',
        '::1',
      ])
        for (const port of [80, 443, 8080, 1, 65535]) targets.push({ scheme, ip, port, host: null });
    for (const t of targets) {
      const origin = clientOrigin(t);
      const parsed = new URL(originUrl(t));
      expect(origin).toBeInstanceOf(URL);
      for (const f of fields) expect([t, f, origin[f]]).toEqual([t, f, parsed[f]]);
    }
  });
});
