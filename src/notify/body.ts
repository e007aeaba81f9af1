// The subject and plain-text body of one owner's notification. Pure: everything it says comes
// from its input, so the wording is tested without a mail library.
import type { Owner } from '../core/result-schema.js';
import type { RunInfo } from '../run-store/run-info.js';
import type { RunDiff } from '../history/diff.js';
import type { DigestView, OwnerFinding } from './digest.js';
import { cleanValue } from '../core/text.js';
import { utcMinute } from '../core/time.js';
import { wrap } from './plain.js';

export interface NotificationInput {
  owner: Owner;
  run: RunInfo;
  digest: DigestView;
  /** The attached PDF's file name; null when no PDF could be rendered. */
  attachment: string | null;
  /** Why there is no PDF (shown in the body); ignored when there is one. */
  noPdfReason: string | null;
  /** This owner's part of the diff against the previous scan, when the history has one. */
  since: RunDiff | null;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function when(iso: string | null): string {
  if (iso === null) return 'an unrecorded time';
  return utcMinute(iso) ?? cleanValue(iso, 40);
}

export function notificationSubject(input: NotificationInput): string {
  const { digest } = input;
  const ref =
    input.run.authorisation.reference === null
      ? ''
      : `[${cleanValue(input.run.authorisation.reference, 60)}] `;
  const owner = cleanValue(input.owner.name, 80);
  const parts: string[] = [];
  if (digest.counts.kev > 0)
    parts.push(`${count(digest.counts.kev, 'server')} with known-exploited vulnerabilities`);
  if (digest.counts.eol > 0) parts.push(`${digest.counts.eol} out of support`);
  if (digest.counts.outdated > 0) parts.push(`${digest.counts.outdated} behind on updates`);
  if (digest.counts.verify > 0) parts.push(`${digest.counts.verify} to verify`);
  const what = parts.length === 0 ? 'no action needed' : parts.join(', ');
  const urgent = digest.counts.kev > 0 ? 'Urgent: ' : '';
  return `${ref}${urgent}Exchange servers of ${owner}: ${what}`;
}

function findingBlock(f: OwnerFinding, n: number): string {
  const s = f.server;
  const lines = [
    s === null
      ? `${n}. ${f.title}  (${f.endpoint})`
      : `${n}. ${f.title}  (server ${s.key}, ${count(s.endpoints.length + s.more, 'endpoint')})`,
  ];
  const field = (label: string, value: string): void => {
    lines.push(`   ${wrap(`${label}: ${value}`, 73, '     ')}`);
  };
  if (s !== null) {
    field(
      'Endpoints',
      `${s.endpoints.join(', ')}${s.more > 0 ? ` and ${s.more} more (see the report)` : ''}`,
    );
    if (s.readings !== null)
      field(
        'Endpoints disagree',
        `they read ${s.readings}. The verdict is the worst of them, read at ${f.endpoint}.`,
      );
  }
  field('Verdict', f.verdict);
  field('Version', f.version);
  if (f.missingUpdate !== null) field('Missing update', f.missingUpdate);
  if (f.kevCves.length > 0) field('Known-exploited CVEs', f.kevCves.join('; '));
  if (f.support !== null) field('Support', f.support);
  if (f.history !== null) field('History', f.history);
  if (f.checkLocally !== null) field('Check on the server', f.checkLocally);
  return lines.join('\n');
}

function sinceText(d: RunDiff): string | null {
  const c = d.counts;
  const parts = [
    c.fixed > 0 ? `${count(c.fixed, 'endpoint')} fixed` : null,
    c.newlyVulnerable > 0 ? `${count(c.newlyVulnerable, 'endpoint')} newly vulnerable` : null,
    c.stillVulnerable > 0 ? `${count(c.stillVulnerable, 'endpoint')} still vulnerable` : null,
    c.new > 0 ? `${count(c.new, 'new endpoint')} found` : null,
    c.gone > 0 ? `${count(c.gone, 'endpoint')} no longer seen` : null,
    c.changedBuild > 0 ? `${count(c.changedBuild, 'endpoint')} on another build` : null,
  ].filter((p): p is string => p !== null);
  if (parts.length === 0) return `Since the previous check on ${when(d.before.startedAt)}, nothing changed.`;
  return `Since the previous check on ${when(d.before.startedAt)}: ${parts.join(', ')}.`;
}

export function notificationBody(input: NotificationInput): string {
  const { run, digest } = input;
  const by = cleanValue(run.authorisation.by ?? 'The scanning party', 120);
  const ref = run.authorisation.reference === null ? null : cleanValue(run.authorisation.reference, 60);
  const contact = run.authorisation.contact === null ? null : cleanValue(run.authorisation.contact, 200);
  const needAction = digest.counts.kev + digest.counts.eol + digest.counts.outdated + digest.counts.verify;
  const p: string[] = [];
  p.push(`To the security contact of ${cleanValue(input.owner.name, 120)},`);
  p.push(
    wrap(
      `${by} checked the Microsoft Exchange servers reachable from the internet in the scope it is authorised to examine` +
        `${ref === null ? '' : ` (reference ${ref})`}, between ${when(run.startedAt)} and ${when(run.finishedAt)}. ` +
        'The check only read pages that Exchange shows to any visitor: it did not log in, did not try passwords and did not exploit anything.',
    ),
  );
  if (digest.exchange === 0) {
    p.push(
      wrap(
        'None of the endpoints attributed to your organisation answered as an on-premises Exchange server.',
      ),
    );
  } else if (needAction === 0) {
    p.push(
      wrap(
        `We found ${count(digest.exchange, 'Exchange server')} of your organisation; none needs action: each runs the newest security update known to us and is supported.`,
      ),
    );
  } else {
    const kev =
      digest.counts.kev === 0
        ? ''
        : ` ${digest.counts.kev} of them ${digest.counts.kev === 1 ? 'misses' : 'miss'} fixes for vulnerabilities that are known to be exploited in the wild.`;
    p.push(
      wrap(
        `We found ${count(digest.exchange, 'Exchange server')} of your organisation; ${needAction} ${needAction === 1 ? 'needs' : 'need'} action.${kev}`,
      ),
    );
  }
  if (input.since !== null) {
    const s = sinceText(input.since);
    if (s !== null) p.push(wrap(s));
  }
  if (digest.findings.length > 0) {
    p.push('FINDINGS, MOST URGENT FIRST');
    p.push(digest.findings.map((f, i) => findingBlock(f, i + 1)).join('\n\n'));
    if (digest.more > 0)
      p.push(
        wrap(
          `${count(digest.more, 'more server')} with findings ${digest.more === 1 ? 'is' : 'are'} listed in the attached report.`,
        ),
      );
  }
  if (needAction > 0) {
    const steps: string[] = [];
    if (digest.counts.kev > 0) {
      steps.push(
        'Servers with known-exploited vulnerabilities: install the missing security update now, and check each of them for signs of ' +
          'compromise (web shells, unknown scheduled tasks or accounts): attackers scan for these versions.',
      );
    }
    if (digest.counts.outdated > 0 || digest.counts.kev > 0)
      steps.push(
        'Install the missing security update on every server listed above; the update names and builds are given per server.',
      );
    if (digest.counts.eol > 0 || digest.findings.some((f) => f.support !== null)) {
      steps.push(
        'Servers out of support get no more security fixes: plan the move to Exchange Server SE or Exchange Online.',
      );
    }
    if (digest.findings.some((f) => f.checkLocally !== null) || digest.counts.verify > 0) {
      steps.push(
        'Where the verdict is "possible" or the version unknown, read the installed build on the server (see "Check on the server").',
      );
    }
    p.push('WHAT TO DO');
    p.push(steps.map((s) => `- ${wrap(s, 74, '  ')}`).join('\n'));
  }
  p.push(
    wrap(
      input.attachment !== null
        ? `The attached report (${cleanValue(input.attachment, 80)}) gives the details per server: the evidence the version was read from, every vulnerability that applies, and the updates to install with links to Microsoft's pages.`
        : `No PDF report is attached: ${input.noPdfReason === null ? 'it could not be rendered' : cleanValue(input.noPdfReason, 300)}. Ask us for the report if you need the details per server.`,
    ),
  );
  p.push(
    wrap(
      `Questions, corrections, or a request to be left out of future checks: ${contact === null ? 'reply to this message' : `reply to this message or write to ${contact}`}` +
        `${ref === null ? '' : `, quoting reference ${ref}`}.`,
    ),
  );
  p.push(`-- \n${by}`);
  return `${p.join('\n\n')}\n`;
}
