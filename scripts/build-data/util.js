// Small helpers shared by the build-data modules: build numbers, dates, failure.
import process from 'node:process';
import console from 'node:console';

const parts = (b) => b.split('.').map(Number);

/** Numeric order of dotted build numbers; a shorter number sorts before its extensions. */
export function compareBuilds(a, b) {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** "15.1.2507.6" → "15.1.2507". */
export const cuOf = (b) => b.split('.').slice(0, 3).join('.');

export function fail(message) {
  console.error(`build-data: ${message}`);
  process.exit(1);
}

/**
 * a is on or after b, where either may be a day (YYYY-MM-DD) or only a month (YYYY-MM): with a
 * month on either side the months are compared, so an update known only by its month counts as
 * released in the month of a fix published that month.
 */
export function onOrAfter(a, b) {
  if (a.length === 10 && b.length === 10) return a >= b;
  return a.slice(0, 7) >= b.slice(0, 7);
}

export const PRODUCT_ORDER = [
  'Exchange Server 2007',
  'Exchange Server 2010',
  'Exchange Server 2013',
  'Exchange Server 2016',
  'Exchange Server 2019',
  'Exchange Server SE',
];
