// The scope check of one listed target, shared by the loader (address targets, no DNS) and the
// pre-flight validateScanTargets (names too, with resolution). Rule: a listed IP or CIDR must be
// inside the include ranges and not refused by the built-in rules, else the scan is refused with
// file, line and field; a listed target that scope.exclude covers is skipped, not an error
// (opt-outs must not break a CERT's masscan file); a listed name must match the include names or
// resolve to an address inside the include ranges.
import { InputError } from '../core/errors.js';
import type { ListedTarget } from '../scanfile/listed.js';
import type { ParsedTarget } from '../scanfile/targets.js';
import { entryInterval, ScopeRules, Verdict } from './rules.js';

export type ListedVerdict =
  | { kind: 'ok' }
  | { kind: 'excluded'; reason: string }
  | { kind: 'refused'; reason: string }
  /** A name that the include names do not match: in scope only if it resolves into a range. */
  | { kind: 'check-resolution'; name: string };

export function checkListedTarget(rules: ScopeRules, t: ParsedTarget): ListedVerdict {
  switch (t.kind) {
    case 'ip': {
      const v = rules.verdict(t.ip);
      if (v === Verdict.Allowed) return { kind: 'ok' };
      const reason = `${t.ip} is ${rules.explain(t.ip, v)}`;
      return v === Verdict.Excluded ? { kind: 'excluded', reason } : { kind: 'refused', reason };
    }
    case 'cidr': {
      const iv = entryInterval(t);
      if (iv === null) return { kind: 'refused', reason: `${t.text} is not a CIDR` };
      return rules.checkRange(iv.family, iv.interval, t.text);
    }
    case 'host': {
      const excluded = rules.nameExclusion(t.name);
      if (excluded !== null) return { kind: 'excluded', reason: excluded };
      return rules.checkHostname(t.name).allowed
        ? { kind: 'ok' }
        : { kind: 'check-resolution', name: t.name };
    }
  }
}

export function outsideScope(listed: ListedTarget, reason: string): InputError {
  return new InputError(`target outside the scope: ${reason}`, listed.source);
}
