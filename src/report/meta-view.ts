// The opening of a report: who authorised the scan, when it ran, with which tool and data, and
// the caveats a reader must know before trusting the numbers (stale data, partial run, skipped
// lines). Values from run.json are the operator's, not a scanned server's, but are still shown
// as escaped text only.
import { dataAgeWarning } from '../classify/freshness.js';
import type { Owner } from '../core/result-schema.js';
import type { RunInfo } from '../run-store/run-info.js';
import { daysBetween, formatDuration, formatTimestamp, isIsoDay, parseDate, todayIso } from '../core/time.js';
import { displayText, formatCount, plural } from '../core/text.js';
import { cssStringBody, runningText, type RunningText } from './running-text.js';

export interface MetaView {
  isOwner: boolean;
  title: string;
  subtitle: string;
  generatedAt: string;
  owner: { name: string; contact: string } | null;
  auth: { by: string; reference: string; contact: string; validUntil: string };
  run: {
    name: string;
    scanFile: string;
    state: string;
    startedAt: string;
    finishedAt: string;
    duration: string;
    requests: string;
    resumed: string | null;
    settings: { label: string; value: string }[];
  };
  tool: string;
  data: { version: string; asOf: string; age: string };
  warnings: string[];
  hasWarnings: boolean;
  notes: string[];
  /** The running header and footer's words, as the inside of CSS strings (running-text.ts). */
  running: RunningText;
}

interface MetaOptions {
  run: RunInfo;
  owner: Owner | null;
  now: Date;
  perOwner: boolean;
  adviceDataVersion: string | null;
}

const text = (v: string | null, fallback = 'not recorded'): string =>
  v === null || v === '' ? fallback : displayText(v, 200);

export function metaView(o: MetaOptions, skippedLines: number, unowned: number, owners: number): MetaView {
  const { run, now } = o;
  const started = run.startedAt === null ? null : parseDate(run.startedAt);
  const finished = run.finishedAt === null ? null : parseDate(run.finishedAt);
  const warnings: string[] = [];
  const stale = dataAgeWarning(run.data.asOf, todayIso(now));
  if (stale !== null) warnings.push(stale);
  if (run.state !== null && run.state !== 'finished') {
    warnings.push(
      `The scan did not finish (state: ${displayText(run.state, 40)}); endpoints not yet probed are missing from this report.`,
    );
  }
  if (skippedLines > 0) {
    warnings.push(
      `${plural(skippedLines, 'line')} of results.jsonl could not be read as result records and ${skippedLines === 1 ? 'is' : 'are'} not counted.`,
    );
  }
  const notes: string[] = [];
  if (o.adviceDataVersion === null) {
    notes.push(
      'The knowledge base was not available when this report was written: the advice names no specific updates.',
    );
  } else if (run.data.version !== null && o.adviceDataVersion !== run.data.version) {
    notes.push(
      `The verdicts come from data ${displayText(run.data.version, 60)} (used by the scan); the update advice from data ${o.adviceDataVersion}.`,
    );
  }
  if (o.owner === null && unowned > 0 && (owners > 0 || o.perOwner)) {
    notes.push(
      `${plural(unowned, 'endpoint')} matched no owner of the scan file` +
        (o.perOwner
          ? ` and ${unowned === 1 ? 'appears' : 'appear'} only in this report, not in any per-owner report.`
          : '.'),
    );
  }
  const asOf = run.data.asOf;
  const age = asOf !== null && isIsoDay(asOf) ? daysBetween(asOf, todayIso(now)) : null;
  return {
    isOwner: o.owner !== null,
    title:
      o.owner === null ? 'Exchange Server exposure report' : 'Security notification: your Exchange servers',
    subtitle: o.owner === null ? text(run.name, 'unnamed run') : `For ${displayText(o.owner.name, 120)}`,
    generatedAt: formatTimestamp(now.toISOString()),
    owner:
      o.owner === null ? null : { name: displayText(o.owner.name, 120), contact: text(o.owner.contact, '—') },
    auth: {
      by: text(run.authorisation.by),
      reference: text(run.authorisation.reference),
      contact: text(run.authorisation.contact),
      validUntil: text(run.authorisation.validUntil),
    },
    run: {
      name: text(run.name, 'unnamed run'),
      scanFile: text(run.scanFilePath),
      state: text(run.state),
      startedAt: formatTimestamp(run.startedAt),
      finishedAt: formatTimestamp(run.finishedAt),
      duration:
        started !== null && finished !== null ? formatDuration(finished.getTime() - started.getTime()) : '—',
      requests: run.requests === null ? '—' : formatCount(run.requests),
      resumed: run.resumes === 0 ? null : `resumed ${plural(run.resumes, 'time')} after a stop`,
      settings: run.settings.map((s) => ({ label: s.label, value: displayText(s.value, 80) })),
    },
    tool: `${displayText(run.tool.name, 40)} ${run.tool.version === null ? '' : displayText(run.tool.version, 40)}`.trim(),
    data: {
      version: text(run.data.version),
      asOf: text(run.data.asOf),
      age: age === null ? '' : `${plural(age, 'day')} before this report`,
    },
    warnings,
    hasWarnings: warnings.length > 0,
    notes,
    running: cssRunningText(o.owner !== null),
  };
}

function cssRunningText(isOwner: boolean): RunningText {
  const t = runningText(isOwner);
  return { header: cssStringBody(t.header), footer: cssStringBody(t.footer) };
}
