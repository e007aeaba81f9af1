// The User-Agent names the tool and whom to contact, so an operator who sees the scan in a log
// can reach the scanning party (README "Use it responsibly": polite).
import { PROJECT_URL, TOOL_NAME, TOOL_VERSION } from '../util/version.js';

const MAX_CONTACT_LENGTH = 200;

/**
 * Make a contact safe inside a header comment: printable ASCII only (a CR/LF would inject a
 * header, other bytes are invalid in a header value), no parentheses or backslash (they would end
 * or escape the comment), bounded length.
 */
export function sanitiseContact(contact: string): string {
  const cleaned = contact
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/[()\\]/g, '')
    .replace(/ {2,}/g, ' ')
    .trim();
  const bounded = cleaned.slice(0, MAX_CONTACT_LENGTH).trim();
  return bounded === '' ? 'unknown' : bounded;
}

/** `owa-audit/<version> (+https://github.com/owa-audit/owa-audit; authorised scan; contact <contact>)` */
export function userAgentFor(contact: string): string {
  return `${TOOL_NAME}/${TOOL_VERSION} (+${PROJECT_URL}; authorised scan; contact ${sanitiseContact(contact)})`;
}
