// Plain text for e-mail drafts: paragraphs wrapped for a text/plain body. Values from scanned
// servers (and, for safety, from the scan file) are made one safe line by core/text.ts
// (cleanValue) before they get here.

/** Wraps a paragraph at `width` columns; `indent` prefixes every line after the first with spaces. */
export function wrap(text: string, width = 76, indent = ''): string {
  const words = text.split(' ').filter((w) => w !== '');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    const prefix = lines.length === 0 ? '' : indent;
    if (line !== '' && prefix.length + line.length + 1 + w.length > width) {
      lines.push(prefix + line);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') lines.push((lines.length === 0 ? '' : indent) + line);
  return lines.join('\n');
}
