// The owner's contact as the scan file gives it ("an e-mail address or URL"), read for the one
// thing the outputs need from it: the mailbox to write to (e-mail drafts, IntelMQ events).

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
