// A verdict as readable text for the terminal (`owa-audit classify`). Pure: colours are passed in,
// so the caller decides whether the output is a TTY.
import { severitySummary } from '../core/cve-order.js';
import type { ExchangeVerdict, PatchLevel } from '../core/result-schema.js';
import type { Remediation } from '../classify/remediation.js';

export type { Colors } from '../util/colors.js';
import type { Colors } from '../util/colors.js';

const PRECISION_TEXT = {
  exact: 'exact build',
  cu: 'CU only (security update level not seen)',
  approximate: 'approximate (not a published build)',
  product: 'product only (no build number seen)',
} as const;

function levelText(c: Colors, level: PatchLevel): string {
  switch (level) {
    case 'vulnerable':
      return c.bold(c.red('VULNERABLE'));
    case 'outdated':
      return c.yellow('OUTDATED');
    case 'current':
      return c.green('CURRENT');
    case 'unknown':
      return c.magenta('UNKNOWN');
  }
}

/** `input` is the text the user gave, shown as the heading. */
export function describeVerdict(input: string, v: ExchangeVerdict, r: Remediation, c: Colors): string {
  const out: string[] = [];
  const release =
    v.release === null ? '' : ` ${v.release}${v.releaseDate === null ? '' : ` (${v.releaseDate})`}`;
  out.push(c.bold(`${input} — ${v.product}${release}`));
  const row = (label: string, value: string): void => {
    out.push(`  ${c.dim(label.padEnd(11))}${value}`.trimEnd());
  };
  if (v.build !== null && v.build !== input) row('Build', v.build);
  row('Verdict', `${levelText(c, v.patchLevel)} (${v.certainty}) · ${PRECISION_TEXT[v.precision]}`);
  row(
    'Support',
    v.supported
      ? v.endOfSupport === null
        ? 'supported (no end date)'
        : `supported until ${v.endOfSupport}`
      : `ended ${v.endOfSupport ?? '(unknown date)'}`,
  );
  row('Latest', v.latest ?? 'unknown');
  const kev = v.cves.filter((f) => f.kev).length;
  row(
    'CVEs',
    v.cves.length === 0
      ? 'none known'
      : `${v.cves.length} (${kev} known exploited; ${severitySummary(v.cves)})`,
  );
  for (const f of v.cves) {
    const mark = f.kev ? c.red('KEV') : '   ';
    const fix =
      f.setting !== undefined
        ? `${f.fixedIn === null ? '' : `${f.fixedIn} + `}setting`
        : f.fixedIn === null
          ? 'no fix on this CU'
          : `fixed in ${f.fixedIn}`;
    const score = f.score === undefined || f.score === null ? '  - ' : f.score.toFixed(1).padStart(4);
    out.push(
      `    ${mark} ${f.id.padEnd(15)} ${score} ${f.certainty.padEnd(9)} ${fix.padEnd(26)} ${c.dim(f.name ?? '')}`.trimEnd(),
    );
  }
  if (v.notes !== undefined && v.notes.length > 0) {
    row('Notes', '');
    for (const n of v.notes) out.push(`    - ${n}`);
  }
  out.push(`  ${c.bold('What to do:')} ${r.headline}`);
  r.steps.forEach((s, i) => {
    const refs = s.update === null ? [] : [s.update.kb, s.update.url].filter((x) => x !== null);
    out.push(`    ${i + 1}. ${s.text}${refs.length === 0 ? '' : c.dim(` [${refs.join(' ')}]`)}`);
  });
  if (r.checkLocally !== null) out.push(`  ${c.bold('Check on the server:')} ${r.checkLocally}`);
  return out.join('\n');
}
