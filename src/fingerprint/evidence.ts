// Signals → the record's evidence list.
import type { RefusedRedirect } from '../core/probe-types.js';
import type { Evidence } from '../core/result-schema.js';
import { cleanUrl, cleanValue, MAX_VALUE_CHARS } from '../core/text.js';
import type { Signal } from './types.js';

/**
 * One evidence item per distinct (signal, value), at the first URL it was seen on. Asset paths of
 * another host are not this server's evidence (the imitation note names them).
 */
export function evidenceOf(signals: readonly Signal[]): Evidence[] {
  const out: Evidence[] = [];
  for (const s of signals) {
    if (s.foreign !== undefined || seenIn(out, s)) continue;
    out.push({ signal: s.signal, url: s.url, value: s.value });
  }
  return out;
}

/**
 * Whether an item with this signal and value is already listed. A look along the list: an endpoint
 * gives a few dozen signals at most (each extractor bounds its own), and no key string is built.
 */
function seenIn(items: readonly Evidence[], s: Signal): boolean {
  for (const e of items) if (e.value === s.value && e.signal === s.signal) return true;
  return false;
}

/**
 * A redirect the scope refused: the value says where it pointed and why it was not followed. A
 * long Location (AD FS, Microsoft sign-in) is cut first, so the reason always survives.
 */
export function refusedRedirectEvidence(refused: RefusedRedirect): Evidence {
  const reason = cleanValue(refused.reason, 100);
  const room = MAX_VALUE_CHARS - reason.length - ' (not followed: )'.length;
  return {
    signal: 'redirect-out-of-scope',
    url: cleanUrl(refused.from),
    value: `${cleanValue(refused.location, Math.max(40, room))} (not followed: ${reason})`,
  };
}
