// "Did you mean …" for unknown keys: camelCase or kebab-case spellings of a snake_case key match
// outright; otherwise the nearest key within a small edit distance.

function normalize(k: string): string {
  return k.toLowerCase().replace(/[-_ ]/g, '');
}

export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

export function closestKey(key: string, known: readonly string[]): string | null {
  const n = normalize(key);
  const same = known.find((k) => normalize(k) === n);
  if (same !== undefined) return same;
  let best: string | null = null;
  let bestDist = Infinity;
  for (const k of known) {
    const d = editDistance(n, normalize(k));
    if (d < bestDist) {
      best = k;
      bestDist = d;
    }
  }
  const limit = Math.max(2, Math.floor(key.length / 3));
  return bestDist <= limit ? best : null;
}
