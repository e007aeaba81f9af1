// The per-owner notification drafts (owners/<slug>.eml), written after the owners' PDFs so each
// draft attaches its owner's PDF — or says why there is none. The MIME composer (nodemailer's) is
// loaded only when there are drafts to write: a run without owners never needs it.
import { join } from 'node:path';
import type { RunDiff } from '../history/diff.js';
import { diffForOwner } from '../history/diff.js';
import type { OwnerDigest } from '../notify/digest.js';
import type { Owner } from '../core/result-schema.js';
import { ownerSlug } from '../report/owner-files.js';
import type { RunInfo } from '../run-store/run-info.js';

export interface OwnerDraftInput {
  owner: Owner;
  digest: OwnerDigest;
  /** The owner's rendered PDF, null when none was rendered. */
  pdf: string | null;
  /** Set to the draft's path once written. */
  done: (eml: string) => void;
}

export async function writeOwnerDrafts(
  runDir: string,
  owners: readonly OwnerDraftInput[],
  context: { run: RunInfo; since: RunDiff | null; now: Date; noPdfReason: string | null },
  warnings: string[],
): Promise<void> {
  if (owners.length === 0) return;
  const { writeDraft } = await import('../notify/eml.js');
  for (const o of owners) {
    const slug = ownerSlug(o.owner.name);
    const eml = join(runDir, 'owners', `${slug}.eml`);
    const draft = await writeDraft(
      eml,
      {
        owner: o.owner,
        run: context.run,
        digest: o.digest.view(),
        since: context.since === null ? null : diffForOwner(context.since, o.owner.name),
      },
      {
        pdfPath: o.pdf,
        attachmentName: `${slug}.pdf`,
        date: context.now,
        noPdfReason: o.pdf === null ? (context.noPdfReason ?? 'the PDF could not be rendered') : null,
      },
    );
    o.done(eml);
    for (const note of draft.notes) warnings.push(`${eml}: ${note}`);
  }
}
