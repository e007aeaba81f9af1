// Hostnames in scope rules: case-insensitive, one trailing dot ignored, IDN left as given (no
// IDNA conversion: write "xn--" names to match what DNS and certificates carry).

/** Lower-case, without one trailing dot. */
export function normalizeHostname(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

function isLabelChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || // a-z
    (c >= 48 && c <= 57) || // 0-9
    c === 45 || // -
    c === 95 || // _ (seen in real DNS names, e.g. service records)
    c > 127 // IDN labels as given
  );
}

/**
 * A syntactically valid, normalized hostname: labels of 1–63 characters, 253 in all, no label
 * starting or ending with "-", and a last label that is not all digits (so "10.0.0.256" and
 * "10.0.0" are refused as broken addresses, not taken for names).
 */
export function isHostname(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  for (const label of labels) {
    if (label.length === 0 || label.length > 63) return false;
    if (label.startsWith('-') || label.endsWith('-')) return false;
    for (let i = 0; i < label.length; i++) if (!isLabelChar(label.charCodeAt(i))) return false;
  }
  const last = labels[labels.length - 1] ?? '';
  return !/^[0-9]+$/.test(last);
}

/**
 * Finds the first rule matching `name` in an exact-name map and a wildcard-suffix map
 * ("*.acme.example" is stored as "acme.example"). A wildcard matches names below its domain at
 * any depth ("a.b.acme.example") but not the domain itself ("acme.example").
 * Returns the stored value (the entry's index) or undefined.
 */
export function matchName(
  name: string,
  exact: ReadonlyMap<string, number>,
  suffixes: ReadonlyMap<string, number>,
): number | undefined {
  const hit = exact.get(name);
  if (hit !== undefined) return hit;
  if (suffixes.size === 0) return undefined;
  let best: number | undefined;
  for (let i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) {
    const idx = suffixes.get(name.slice(i + 1));
    if (idx !== undefined && (best === undefined || idx < best)) best = idx;
  }
  return best;
}
