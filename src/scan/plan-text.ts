// The plan of `scan --dry-run` for people. Names and owners come from the scan file (the user's
// own input), but are still shown with control characters revealed.
import { formatCount, revealControls } from '../core/text.js';
import { formatDuration } from '../core/time.js';
import type { ScanPlan } from './plan-scan.js';

const n = formatCount;

const YEAR_SECONDS = 365.25 * 86_400;

/** An estimated duration in seconds as people say it: "45 s", "12 min", "3 h 20 min", "2 d 4 h", "5.9 years". */
export function humanDuration(seconds: number): string {
  if (seconds >= YEAR_SECONDS) return `${n(Math.round((seconds / YEAR_SECONDS) * 10) / 10)} years`;
  return formatDuration(seconds * 1000, { estimate: true });
}

export function planText(p: ScanPlan, sample: string[]): string {
  const a = p.authorisation;
  const s = p.settings;
  const lines: string[] = [];
  lines.push(
    `Plan of scan "${revealControls(p.name)}" (${revealControls(p.scanFile)})${p.shard === null ? '' : `, shard ${p.shard.index}/${p.shard.count}`}: nothing was sent to any target.`,
  );
  lines.push(
    `  authorised by  ${revealControls(a.by)}, reference ${revealControls(a.reference)}, valid until ${a.validUntil}; contact ${revealControls(a.contact)}`,
  );
  const ports = Object.entries(p.byPort).map(([k, v]) => `${k} ${n(v)}`);
  lines.push(
    `  endpoints      ${n(p.endpoints)}${p.complete ? '' : ' counted, then stopped (partial)'}${ports.length > 0 ? ` (${ports.join(' · ')})` : ''}`,
  );
  if (!p.complete && p.estimatedEndpoints !== null)
    lines.push(`                 about ${n(p.estimatedEndpoints)} in all by the scope's own count`);
  const { dnsError, outOfScope } = p.unprobeable;
  const noProbe = [
    ...(dnsError > 0 ? [`${n(dnsError)} name(s) that do not resolve`] : []),
    ...(outOfScope > 0 ? [`${n(outOfScope)} name(s) resolving only outside the scope`] : []),
  ];
  if (noProbe.length > 0)
    lines.push(`  no probe       ${noProbe.join(', ')} (each still gets a record per port)`);
  if (p.byOwner.length > 0) {
    const top = p.byOwner.slice(0, 8).map((o) => `${revealControls(o.name)} ${n(o.endpoints)}`);
    const more = p.byOwner.length > 8 ? ` · ${n(p.byOwner.length - 8)} more owners` : '';
    const none = p.withoutOwner > 0 ? `; without owner ${n(p.withoutOwner)}` : '';
    lines.push(`  owners         ${top.join(' · ')}${more}${none}`);
  }
  lines.push(
    `  politeness     ${n(s.rate)} requests/s over all hosts, ${n(s.concurrency)} endpoints at once, ${n(s.hostGapMs)} ms between requests to one address, ` +
      `timeout ${n(s.timeoutMs)} ms; ${s.mode} mode, at most ${s.maxRequestsPerEndpoint} requests per endpoint`,
  );
  const d = p.duration;
  const floor = Math.max(d.fastestSeconds, d.busiestAddressSeconds);
  const ceiling = Math.max(d.slowestSeconds, d.busiestAddressSeconds);
  const span =
    humanDuration(floor) === humanDuration(ceiling)
      ? humanDuration(floor)
      : `${humanDuration(floor)} to ${humanDuration(ceiling)}`;
  const basis =
    p.durationBasis === 'scope'
      ? `for all ${n(p.durationEndpoints)} endpoints by the scope's own count, `
      : p.durationBasis === 'partial'
        ? `for the ${n(p.durationEndpoints)} endpoints counted, `
        : '';
  lines.push(
    `  duration       ${p.durationBasis === 'partial' ? 'at least ' : ''}${span} (${basis}1 to ${s.maxRequestsPerEndpoint} requests per endpoint at the rate limit` +
      `${d.busiestAddressSeconds > d.fastestSeconds ? `; the busiest address alone needs ${humanDuration(d.busiestAddressSeconds)}` : ''})`,
  );
  if (d.allTimeOutSeconds > ceiling)
    lines.push(
      `                 up to ${humanDuration(d.allTimeOutSeconds)} if most endpoints drop packets until the timeout (${n(s.concurrency)} at a time)`,
    );
  for (const w of p.warnings) lines.push(`  note           ${w}`);
  if (sample.length > 0) {
    lines.push(`  first ${sample.length === 1 ? 'endpoint' : `${sample.length} endpoints`}:`);
    for (const line of sample) lines.push(`    ${line}`);
    if (p.items > sample.length) lines.push('    … (all of them, as JSON Lines: scan --dry-run --json)');
  }
  return `${lines.join('\n')}\n`;
}
