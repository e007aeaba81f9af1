// Notification drafts (.eml) for per-owner reports.
export { composeDraft, writeDraft, ATTACHMENT_MAX_BYTES, type Draft, type DraftOptions } from './eml.js';
export { notificationBody, notificationSubject, type NotificationInput } from './body.js';
export { OwnerDigest, findingOf, FINDINGS_MAX, type DigestView, type OwnerFinding } from './digest.js';
export { mailboxOf } from '../core/contact.js';
export { wrap } from './plain.js';
