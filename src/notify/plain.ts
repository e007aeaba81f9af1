// Plain text for e-mail drafts: paragraphs wrapped for a text/plain body, and the mailbox in a
// scan file's contact. Values from scanned servers (and, for safety, from the scan file) are made
// one safe line by core/text.ts (cleanValue) before they get here.

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

// RFC 5321/5322 dot-atom mailbox, optionally written as a mailto: URL (the scan file's contact
// may be "an e-mail address or URL").
const MAILBOX =
  /^(?:mailto:)?([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+)$/i;
// RFC 5322 name-addr: an optional display name, then the address in angle brackets
// ("CERT Desk <cert@x.example>", "<cert@x.example>").
const NAME_ADDR = /^[^<>]*<([^<>]*)>$/;

/**
 * The e-mail address in a contact ("soc@acme.example", "mailto:soc@acme.example",
 * "ACME SOC <soc@acme.example>"); null for a URL or anything else.
 */
export function mailboxOf(contact: string | null): string | null {
  if (contact === null) return null;
  const text = contact.trim();
  const inner = NAME_ADDR.exec(text)?.[1]?.trim() ?? text;
  return MAILBOX.exec(inner)?.[1] ?? null;
}
