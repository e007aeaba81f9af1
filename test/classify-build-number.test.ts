import { describe, expect, it } from 'vitest';
import { compareBuilds, cuOf, normaliseBuild, parseBuild, productOfBuild } from '../src/classify/index.js';

describe('parseBuild', () => {
  it.each([
    ['15.1.2507.6', [15, 1, 2507, 6]],
    ['15.02.1748.039', [15, 2, 1748, 39]],
    ['15.01.2507.044', [15, 1, 2507, 44]],
    ['15.1.2507', [15, 1, 2507]],
    ['15.1', [15, 1]],
    ['  14.3.513.0 ', [14, 3, 513, 0]],
  ])('accepts %j', (text, parts) => {
    expect(parseBuild(text)?.parts).toEqual(parts);
  });

  it.each([
    '',
    '15',
    'abc',
    '15.1.2507.6.1',
    '15..2507',
    '15.1.',
    '.15.1',
    'v15.1.2507',
    '15.1.2507.6abc',
    '15.1.2507.-6',
    '+15.1',
    '1e3.1',
    '15.1.2507.1234567',
    '١٥.١', // Arabic-Indic digits
    '15,1,2507,6',
    '15.1 .2507',
    `15.1.${'9'.repeat(50)}`,
  ])('rejects %j', (text) => {
    expect(parseBuild(text)).toBeNull();
  });

  it('exposes build and revision', () => {
    expect(parseBuild('15.2.1748.39')).toMatchObject({
      major: 15,
      minor: 2,
      build: 1748,
      revision: 39,
      text: '15.2.1748.39',
    });
    expect(parseBuild('15.2.1748')).toMatchObject({ build: 1748, revision: null });
  });
});

describe('normaliseBuild', () => {
  it('drops zero padding', () => {
    expect(normaliseBuild('15.02.1748.039')).toBe('15.2.1748.39');
    expect(normaliseBuild('14.03.0123.004')).toBe('14.3.123.4');
    expect(normaliseBuild('15.1.2507.0')).toBe('15.1.2507.0');
  });
  it('returns null for junk', () => {
    expect(normaliseBuild('15.1.x')).toBeNull();
  });
});

describe('compareBuilds', () => {
  it('compares components as integers, not as text', () => {
    expect(compareBuilds('15.1.1913.10', '15.1.1913.9')).toBeGreaterThan(0);
    expect(compareBuilds('15.1.999.1', '15.1.2507.6')).toBeLessThan(0);
    expect(compareBuilds('15.02.1748.039', '15.2.1748.39')).toBe(0);
    expect(compareBuilds('15.1.2507', '15.1.2507.6')).toBeLessThan(0);
  });
  it('sorts a mixed list numerically', () => {
    const sorted = ['15.1.1913.10', '15.1.1913.9', '15.1.1913.12', '15.1.1913.5', '15.1.1913.7'].sort(
      compareBuilds,
    );
    expect(sorted).toEqual(['15.1.1913.5', '15.1.1913.7', '15.1.1913.9', '15.1.1913.10', '15.1.1913.12']);
  });
  it('throws on junk instead of guessing', () => {
    expect(() => compareBuilds('15.1.x', '15.1.2')).toThrow(TypeError);
    // Asked again (it remembers what it parsed, junk included): the same answer.
    expect(() => compareBuilds('15.1.2', '15.1.x')).toThrow(/"15\.1\.x"/);
  });
  it('gives the same answers however many texts it has seen (it remembers a bounded number)', () => {
    const texts = Array.from({ length: 5000 }, (_, i) => `15.1.${i}.${i % 7}`);
    for (const t of texts)
      expect(Math.sign(compareBuilds(t, '15.1.2500.0'))).toBe(Number(t.split('.')[2]) < 2500 ? -1 : 1);
    expect(compareBuilds('15.1.0.0', '15.1.1.1')).toBeLessThan(0); // the oldest, forgotten and parsed again
    expect(compareBuilds('15.1.1913.10', '15.1.1913.9')).toBeGreaterThan(0);
  });
});

describe('productOfBuild', () => {
  it.each([
    ['8.3.485.1', 'Exchange Server 2007'],
    ['8', 'Exchange Server 2007'],
    ['14.3.513.0', 'Exchange Server 2010'],
    ['14.2.247.5', 'Exchange Server 2010'],
    ['14', 'Exchange Server 2010'],
    ['15.0.1497.48', 'Exchange Server 2013'],
    ['15.1', 'Exchange Server 2016'],
    ['15.2.1748.10', 'Exchange Server 2019'],
    ['15.2.2561.99', 'Exchange Server 2019'],
    ['15.2.2562.17', 'Exchange Server SE'],
    ['15.02.2562.046', 'Exchange Server SE'],
    ['15.2.2562', 'Exchange Server SE'],
    ['15.2', 'Exchange Server 2019'],
  ])('%s is %s', (build, product) => {
    expect(productOfBuild(build)).toBe(product);
  });
  it.each(['15', '15.3.1.1', '16.0.1.1', '6.5.7638.1', '14.4.1.1', 'junk'])(
    '%s is no known product',
    (build) => {
      expect(productOfBuild(build)).toBeNull();
    },
  );
});

describe('cuOf', () => {
  it('takes the first three components', () => {
    expect(cuOf('15.01.2507.044')).toBe('15.1.2507');
    expect(cuOf('15.1')).toBeNull();
  });
});
