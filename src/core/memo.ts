// Bounded memos, and the freezing of what they hand to every caller: one implementation for the
// verdicts (classify/classify.ts), the report's advice (report/knowledge.ts) and the TLS facts of a
// certificate (engine/tls-info.ts).

/** Stores `value` under `key`, forgetting the oldest entry first when `max` are held; returns `value`. */
export function rememberBounded<K, V>(memo: Map<K, V>, key: K, value: V, max: number): V {
  if (memo.size >= max) {
    const oldest = memo.keys().next();
    if (oldest.done !== true) memo.delete(oldest.value);
  }
  memo.set(key, value);
  return value;
}

/** Freezes `value` and everything reachable from it: a memo's answer is shared by every caller. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
