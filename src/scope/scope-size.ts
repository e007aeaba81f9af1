// The biggest mistakes in a scope are typos in a prefix length: 10.0.0.0/8 for 10.0.0.0/24, or
// 0.0.0.0/0. A scope wider than a /8 worth of IPv4 addresses must therefore say how big it is
// expected to be (scope.expected_addresses), and no scope may hold more than it says. The size
// is the scope's own interval arithmetic — include minus exclude, without the addresses that are
// never probed — never an enumeration. IPv6 ranges are not counted: wider than /112 they are never
// walked, and what is probed in them must be listed one by one.
import { InputError } from '../core/errors.js';
import { entryInterval, ScopeRules } from './rules.js';
import { intervalsSize } from './intervals.js';
import type { ScopeSpec } from '../scanfile/types.js';
import type { YamlSource } from '../scanfile/yaml-source.js';

/** A /8 worth of addresses: wider scopes need scope.expected_addresses. */
export const WIDE_SCOPE_ADDRESSES = 2 ** 24;

const count = (n: number | bigint): string => n.toLocaleString('en-US');

/** IPv4 addresses the scope lets a scan probe (include − exclude − never-probed). */
export function scopeAddressCount(scope: Pick<ScopeSpec, 'include' | 'exclude'>): number {
  return Number(intervalsSize(new ScopeRules(scope).allowedIntervals(4)));
}

/** The IPv4 include entry covering the most addresses: the likeliest typo. */
function widestInclude(scope: ScopeSpec): number {
  let best = -1;
  let bestSize = -1n;
  scope.include.forEach((e, i) => {
    const iv = entryInterval(e);
    if (iv === null || iv.family !== 4) return;
    const size = iv.interval.end - iv.interval.start + 1n;
    if (size > bestSize) {
      best = i;
      bestSize = size;
    }
  });
  return best;
}

/** Refuses (InputError, exit 2) a scope wider than a /8 without an acknowledgement, or wider than acknowledged. */
export function checkScopeSize(scope: ScopeSpec, src: YamlSource, file: string): void {
  const expected = scope.expectedAddresses;
  const size = scopeAddressCount(scope);
  const limit = expected ?? WIDE_SCOPE_ADDRESSES;
  if (size <= limit) return;
  const wide = widestInclude(scope);
  const entry = scope.include[wide];
  const widest = entry === undefined ? '' : `; scope.include[${wide}] ${entry.text} is its widest range`;
  const holds = `the scope holds ${count(size)} IPv4 addresses (include minus exclude${widest})`;
  const fix = `write "expected_addresses: ${size}" under scope`;
  if (expected === null) {
    throw new InputError(
      `${holds}, more than a /8 (${count(WIDE_SCOPE_ADDRESSES)}): a typo in a prefix length? If the scope is right, acknowledge its size: ${fix}`,
      {
        file,
        line: src.lineOf(wide < 0 ? ['scope', 'include'] : ['scope', 'include', wide]),
        field: wide < 0 ? 'scope.include' : `scope.include[${wide}]`,
      },
    );
  }
  throw new InputError(
    `is ${count(expected)}, but ${holds}: a typo in a prefix length? If the scope is right, ${fix}`,
    { file, line: src.lineOf(['scope', 'expected_addresses']), field: 'scope.expected_addresses' },
  );
}
