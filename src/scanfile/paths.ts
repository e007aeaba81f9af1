import { isAbsolute, relative } from 'node:path';

/** A path as messages show it: relative to the working directory when below it, else absolute. */
export function displayPath(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/** What the OS said, without node's ", open '/abs/path'" suffix (the message names the file). */
export function osMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.replace(/, \w+ '[^']*'$/, '');
}
