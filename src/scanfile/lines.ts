// Streams a file as lines with a bound on line length: a targets file can hold millions of lines
// (never read whole), and a binary file given by mistake must not become one giant string.
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

export const MAX_LINE_CHARS = 1 << 20;

export class LineTooLongError extends Error {
  constructor(readonly line: number) {
    super(`line is longer than ${MAX_LINE_CHARS} characters; this does not look like a targets file`);
  }
}

/**
 * Yields [lineNumber, text] pairs (1-based, "\r\n" and "\n" endings, no terminator). Errors of the
 * file system (open, read) are thrown as they come, so that the caller can say what the OS said.
 */
export async function* readLines(path: string): AsyncGenerator<[number, string]> {
  const handle = await open(path, 'r');
  try {
    const decoder = new StringDecoder('utf8');
    const buf = Buffer.allocUnsafe(64 * 1024);
    let pending = '';
    let lineNo = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      const chunk = bytesRead === 0 ? decoder.end() : decoder.write(buf.subarray(0, bytesRead));
      let text = pending + chunk;
      if (lineNo === 0 && text.startsWith('\uFEFF')) text = text.slice(1); // a BOM is not part of line 1
      let nl = text.indexOf('\n');
      let from = 0;
      while (nl >= 0) {
        lineNo++;
        const end = nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        yield [lineNo, text.slice(from, end)];
        from = nl + 1;
        nl = text.indexOf('\n', from);
      }
      text = text.slice(from);
      if (text.length > MAX_LINE_CHARS) throw new LineTooLongError(lineNo + 1);
      pending = text;
      if (bytesRead === 0) break;
    }
    if (pending.length > 0) {
      lineNo++;
      yield [lineNo, pending.endsWith('\r') ? pending.slice(0, -1) : pending];
    }
  } finally {
    await handle.close();
  }
}
