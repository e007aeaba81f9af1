// The JSON text of a result record, exactly `JSON.stringify(record)`, made cheaply. On a scan most
// of a record's bytes are its verdict (an old build's CVE list and notes: ~9 of ~12 kB on the
// bench fleet), and classify() hands every endpoint with the same build the same deep-frozen
// verdict object. So the verdict's text is made once per verdict object and spliced in; only the
// endpoint's own fields are serialised per record.
import type { ResultRecord } from '../core/result-schema.js';

/** A record's keys in the order buildRecord/failedRecord write them (the order of the text). */
const RECORD_KEYS = [
  'schema',
  'target',
  'host',
  'ip',
  'port',
  'scheme',
  'status',
  'observedAt',
  'requests',
  'exchange',
  'evidence',
  'tls',
  'owner',
  'error',
] as const;

/** Text of objects that can never change (deep-frozen plain data), by identity. */
const frozenText = new WeakMap<object, string>();

/**
 * True when `value` and everything inside it is frozen plain data (objects, arrays, primitives; no
 * accessors, no toJSON), so its JSON text is fixed forever. Checked once per object: frozen stays
 * frozen.
 */
function isFixedData(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return typeof value !== 'function';
  if (!Object.isFrozen(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return false;
  for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(value))) {
    if (!('value' in d) || key === 'toJSON' || !isFixedData(d.value)) return false;
  }
  return true;
}

/** `JSON.stringify(value)`, remembered for values that can never change. */
function jsonOf(value: object): string | undefined {
  const known = frozenText.get(value);
  if (known !== undefined) return known;
  const text = JSON.stringify(value) as string | undefined;
  if (text !== undefined && isFixedData(value)) frozenText.set(value, text);
  return text;
}

/**
 * True when the record has exactly the keys of RECORD_KEYS, in that order, each a value JSON
 * writes (none undefined, a function or a symbol, which JSON.stringify would leave out).
 */
function hasRecordShape(record: ResultRecord): boolean {
  const keys = Object.keys(record);
  if (keys.length !== RECORD_KEYS.length || Object.getPrototypeOf(record) !== Object.prototype) return false;
  const fields = record as unknown as Record<string, unknown>;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const type = typeof fields[key];
    if (key !== RECORD_KEYS[i] || type === 'undefined' || type === 'function' || type === 'symbol')
      return false;
  }
  return true;
}

/** Exactly `JSON.stringify(record)`. */
export function recordJson(record: ResultRecord): string {
  const verdict = record.exchange;
  // No shared verdict (a record read back from a file), or anything unexpected (another key
  // order, a missing field): the plain path, the same text.
  if (verdict === null || typeof verdict !== 'object' || !Object.isFrozen(verdict) || !hasRecordShape(record))
    return JSON.stringify(record);
  const verdictText = jsonOf(verdict);
  if (verdictText === undefined) return JSON.stringify(record);
  const s = JSON.stringify;
  return (
    `{"schema":${s(record.schema)},"target":${s(record.target)},"host":${s(record.host)},` +
    `"ip":${s(record.ip)},"port":${s(record.port)},"scheme":${s(record.scheme)},` +
    `"status":${s(record.status)},"observedAt":${s(record.observedAt)},"requests":${s(record.requests)},` +
    `"exchange":${verdictText},"evidence":${s(record.evidence)},"tls":${s(record.tls)},` +
    `"owner":${s(record.owner)},"error":${s(record.error)}}`
  );
}
