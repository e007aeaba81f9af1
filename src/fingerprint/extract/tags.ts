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

/** Where the tags the extractors read open (the index of their `<`), in body order. */
export interface PageTags {
  /** `<!--` */
  comments: readonly number[];
  /** `<form` */
  forms: readonly number[];
  /** `<body` */
  bodies: readonly number[];
  /** `<title` */
  titles: readonly number[];
  /** `<assemblyIdentity` or `<prefix:assemblyIdentity` (a prefix of 1 to 16 letters and digits, a letter first) */
  identities: readonly number[];
}

const NONE: readonly number[] = Object.freeze([]);
const IDENTITY = 'assemblyidentity';
const MAX_PREFIX_CHARS = 16;

/** Whether the element name `assemblyIdentity` follows at `at`, alone or after a namespace prefix. */
function identityAt(text: string, at: number): boolean {
  if (wordAt(text, at, IDENTITY)) return true;
  if (!isAsciiLetter(text.charCodeAt(at))) return false;
  let end = at + 1;
  while (end - at < MAX_PREFIX_CHARS && isAsciiAlnum(text.charCodeAt(end))) end++;
  return text.charCodeAt(end) === 58 /* : */ && wordAt(text, end + 1, IDENTITY);
}

/**
 * The tags of a page, found in one pass over its `<`: the logon markers, the title and the export
 * tool manifest are each a pattern anchored at one of these openings, and a page is read once for
 * all of them. Only the opening is checked here; the patterns decide.
 */
export function pageTags(text: string): PageTags {
  let comments: number[] | null = null;
  let forms: number[] | null = null;
  let bodies: number[] | null = null;
  let titles: number[] | null = null;
  let identities: number[] | null = null;
  for (let at = text.indexOf('<'); at !== -1; at = text.indexOf('<', at + 1)) {
    const next = lowerCodeAt(text, at + 1);
    if (next === 33 /* ! */) {
      if (wordAt(text, at + 2, '--')) (comments ??= []).push(at);
    } else if (next === 102 /* f */ && wordAt(text, at + 1, 'form')) (forms ??= []).push(at);
    else if (next === 98 /* b */ && wordAt(text, at + 1, 'body')) (bodies ??= []).push(at);
    else if (next === 116 /* t */ && wordAt(text, at + 1, 'title')) (titles ??= []).push(at);
    // Any letter may open a prefix (`<asmv1:assemblyIdentity`), `title` and the others included.
    if (identityAt(text, at + 1)) (identities ??= []).push(at);
  }
  return {
    comments: comments ?? NONE,
    forms: forms ?? NONE,
    bodies: bodies ?? NONE,
    titles: titles ?? NONE,
    identities: identities ?? NONE,
  };
}
