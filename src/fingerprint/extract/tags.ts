// Finding tags in a page by their `<`: V8 finds a single character from one occurrence to the next
// far faster than it runs a case-insensitive pattern (or an alternation) over a 60 kB page, and the
// few characters after each `<` are read by hand. The comparisons fold ASCII letters only, as a
// non-Unicode case-insensitive pattern does (no other character folds onto an ASCII letter there),
// so a tag pattern anchored at the `<` each of these accepts matches exactly where it matched before.

/** The character code at `at`, with an ASCII capital letter folded to lower case. */
export function lowerCodeAt(text: string, at: number): number {
  const c = text.charCodeAt(at);
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** Whether `word` (lower-case ASCII) is at `at`, ASCII letters compared without case. */
export function wordAt(text: string, at: number, word: string): boolean {
  if (at + word.length > text.length) return false;
  for (let i = 0; i < word.length; i++) if (lowerCodeAt(text, at + i) !== word.charCodeAt(i)) return false;
  return true;
}

export const isAsciiLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
export const isAsciiAlnum = (c: number): boolean => isAsciiLetter(c) || (c >= 48 && c <= 57);

/** Whether a pattern anchored at `at` (sticky) matches there. */
export function matchesAt(pattern: RegExp, text: string, at: number): boolean {
  pattern.lastIndex = at;
  return pattern.test(text);
}
