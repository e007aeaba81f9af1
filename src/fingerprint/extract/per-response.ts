// What fingerprinting reads from a response, read once. The extractors, the corroboration and the
// plan each ask about every response again after every new one; a response is never changed, so
// what is read from it is kept with it: one WeakMap entry per response (an entry lives exactly as
// long as its response, and the collector pays per entry, so there is one, not one per reading).
// Callers must treat what they get as read-only: it is shared by every later call.
import type { ProbeResponse } from '../../core/probe-types.js';

const readings = new WeakMap<ProbeResponse, unknown[]>();
let slots = 0;

/**
 * `read` memoised per response object. `read` must be a pure function of the response and never
 * return undefined.
 */
export function perResponse<T>(read: (response: ProbeResponse) => T): (response: ProbeResponse) => T {
  const slot = slots++;
  return (response) => {
    let values = readings.get(response);
    if (values === undefined) {
      values = [];
      readings.set(response, values);
    }
    const known = values[slot];
    if (known !== undefined) return known as T;
    const value = read(response);
    values[slot] = value;
    return value;
  };
}
