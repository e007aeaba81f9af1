// One notification draft as an RFC 5322 message (.eml), composed by nodemailer's MIME composer —
// never hand-built MIME. Nothing is sent: the file is a draft to review and send from the CERT's
// own mail client (X-Unsent: 1 makes Outlook open it as a message ready to send).
//
// Header values come from the scan file only (owner name and contact, the authorisation); the
// body is plain text in which server-supplied values have had control characters stripped.
import { readFile } from 'node:fs/promises';
import MailComposer from 'nodemailer/lib/mail-composer';
import { TOOL_NAME, TOOL_VERSION } from '../util/version.js';
import { notificationBody, notificationSubject, type NotificationInput } from './body.js';
import { cleanValue } from '../core/text.js';
import { mailboxOf } from '../core/contact.js';
import { writeFileAtomic } from '../util/atomic-file.js';

/** Larger PDFs are not attached (mail servers refuse them); the body says where the report is. */
export const ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;

export interface DraftOptions {
  /** The owner's PDF on disk; null when none was rendered. */
  pdfPath: string | null;
  /** File name of the attachment as the owner sees it. */
  attachmentName: string;
  /** Date header. */
  date: Date;
  /** Why no PDF was rendered (when pdfPath is null). */
  noPdfReason: string | null;
}

export interface Draft {
  message: Buffer;
  /** Problems worth a warning: no recipient address, no sender address, PDF not attached. */
  notes: string[];
}

type NotificationParts = Omit<NotificationInput, 'attachment' | 'noPdfReason'>;

export async function composeDraft(parts: NotificationParts, options: DraftOptions): Promise<Draft> {
  const notes: string[] = [];
  let pdf: Buffer | null = null;
  let noPdfReason = options.noPdfReason;
  if (options.pdfPath !== null) {
    pdf = await readFile(options.pdfPath);
    if (pdf.length > ATTACHMENT_MAX_BYTES) {
      noPdfReason = `the report is ${Math.round(pdf.length / 1024 / 1024)} MB, too large for e-mail; it is in the run directory as ${options.attachmentName}`;
      notes.push(
        `${options.attachmentName} is larger than ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB and was not attached`,
      );
      pdf = null;
    }
  }
  const input: NotificationInput = {
    ...parts,
    attachment: pdf === null ? null : options.attachmentName,
    noPdfReason,
  };
  const to = mailboxOf(parts.owner.contact);
  const from = mailboxOf(parts.run.authorisation.contact);
  if (to === null)
    notes.push(
      `owner "${cleanValue(parts.owner.name, 80)}" has no e-mail address in the scan file; the draft has no recipient`,
    );
  if (from === null)
    notes.push('the authorisation contact is not an e-mail address; the draft has no sender');
  const composer = new MailComposer({
    ...(from === null
      ? {}
      : { from: { name: cleanValue(parts.run.authorisation.by ?? '', 120), address: from }, replyTo: from }),
    ...(to === null ? {} : { to: { name: cleanValue(parts.owner.name, 120), address: to } }),
    subject: notificationSubject(input),
    date: options.date,
    text: notificationBody(input),
    textEncoding: 'quoted-printable',
    attachments:
      pdf === null
        ? []
        : [{ filename: options.attachmentName, content: pdf, contentType: 'application/pdf' }],
    headers: { 'X-Unsent': '1', 'X-Mailer': `${TOOL_NAME} ${TOOL_VERSION}` },
    // Everything is given inline: the composer must not read files or fetch URLs on its own.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const message = await composer.compile().build();
  return { message, notes };
}

/** Writes the draft next to the owner's report, atomically. */
export async function writeDraft(
  path: string,
  parts: NotificationParts,
  options: DraftOptions,
): Promise<Draft> {
  const draft = await composeDraft(parts, options);
  await writeFileAtomic(path, draft.message);
  return draft;
}
