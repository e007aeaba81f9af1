// Plain text for e-mail drafts. Strings from scanned servers (and, for safety, from the scan file)
// lose their control and invisible formatting characters — in a text/plain body they could hide
// or reorder what the owner reads — and are cut to a sane length.

// C0/C1 controls (tab and newline included: every value is one line), DEL, zero-width and bidi
// formatting characters, BOM.
// eslint-disable-next-line no-control-regex
const STRIP = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** One line of plain text: controls removed, whitespace runs collapsed, at most `max` characters. */
export function plain(text: string, max = 200): string {
  const clean = text.replace(STRIP, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

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
