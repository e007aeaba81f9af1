// The diff for people (terminal) and for machines (JSON). Values that came from scanned servers
// or scan files are shown with control characters revealed, so a hostile host name cannot drive
// the terminal.
import { CLIP, revealControls } from '../core/text.js';
import { utcMinute } from '../core/time.js';
import type { EndpointState } from './endpoint-state.js';
import {
  CHANGE_TITLE,
  LISTED_KINDS,
  type ChangeKind,
  type DiffEntry,
  type ListedKind,
  type RunDiff,
} from './diff.js';

export const DIFF_SCHEMA = 'owa-audit/diff@1' as const;

export interface Paint {
  bold: (s: string) => string;
  red: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  dim: (s: string) => string;
}

export const NO_PAINT: Paint = {
  bold: (s) => s,
  red: (s) => s,
  green: (s) => s,
  yellow: (s) => s,
  dim: (s) => s,
};

const SHORT: Record<ChangeKind, string> = {
  new: 'new',
  gone: 'gone',
  newlyVulnerable: 'newly vulnerable',
  fixed: 'fixed',
  stillVulnerable: 'still vulnerable',
  changedBuild: 'changed build',
  changedVerdict: 'changed verdict',
  unchanged: 'unchanged',
};

/** Most urgent first: what a CERT acts on before what it notes. */
const SHOWN_ORDER: readonly ListedKind[] = [
  'newlyVulnerable',
  'new',
  'stillVulnerable',
  'fixed',
  'gone',
  'changedBuild',
  'changedVerdict',
];

const MARK: Record<ListedKind, string> = {
  new: '+',
  gone: '-',
  newlyVulnerable: '!',
  fixed: '✓',
  stillVulnerable: '!',
  changedBuild: '~',
  changedVerdict: '~',
};

function safe(s: string, max = 120): string {
  return CLIP.ellipsis(s, max, revealControls);
}

export function endpointLabel(s: Pick<EndpointState, 'scheme' | 'ip' | 'host' | 'port' | 'target'>): string {
  const addr = s.ip === null ? (s.host ?? s.target) : s.ip.includes(':') ? `[${s.ip}]` : s.ip;
  return safe(`${s.scheme}://${addr}:${s.port}`);
}

export function titleLabel(s: Pick<EndpointState, 'host' | 'ip' | 'target'>): string {
  return safe(s.host ?? s.ip ?? s.target);
}

const LEVEL_WORD: Record<string, string> = {
  vulnerable: 'vulnerable',
  outdated: 'outdated',
  current: 'current',
  unknown: 'unknown',
};

/** "Exchange 2019 15.2.986.14 (CU11 Nov21SU) · vulnerable"; for non-Exchange states what was seen instead. */
export function stateText(s: EndpointState | null): string {
  if (s === null) return 'not in the run';
  if (s.status !== 'exchange') {
    const why = s.errorCode === null ? '' : ` (${s.errorCode})`;
    const what: Record<string, string> = {
      'exchange-online': 'Exchange Online',
      'not-exchange': 'not Exchange',
      unreachable: 'unreachable',
      error: 'could not be read',
    };
    return `${what[s.status] ?? s.status}${why}`;
  }
  const v = s.verdict;
  if (v === null) return 'Exchange, no verdict';
  const product = v.product.replace('Exchange Server ', 'Exchange ');
  const release = v.release === null ? '' : ` (${safe(v.release, 60)})`;
  const possible = v.certainty === 'possible' ? ', possible' : '';
  return `${product} ${safe(v.build ?? '?', 40)}${release} · ${LEVEL_WORD[v.patchLevel] ?? v.patchLevel}${possible}`;
}

function kevText(s: EndpointState | null): string {
  const kev = s?.verdict?.kevCves ?? [];
  return kev.length === 0 ? '' : ` · KEV: ${kev.map((id) => safe(id, 20)).join(', ')}`;
}

/** One line per entry: what it was and what it is. */
export function entryLine(e: DiffEntry): string {
  const s = e.after ?? e.before;
  if (s === null) return e.key;
  const owner = s.owner === null ? '' : `  [${safe(s.owner.name, 60)}]`;
  const head = `${titleLabel(s)}  ${endpointLabel(s)}`;
  switch (e.kind) {
    case 'new':
      return `${head}  ${stateText(e.after)}${kevText(e.after)}${e.before === null ? '' : ` (before: ${stateText(e.before)})`}${owner}`;
    case 'gone':
      return `${head}  was ${stateText(e.before)}; now ${stateText(e.after)}${owner}`;
    default: {
      const was = stateText(e.before);
      const is = stateText(e.after);
      return `${head}  ${was === is ? `${is} (same as before)` : `${was} → ${is}`}${kevText(e.after)}${owner}`;
    }
  }
}

function when(iso: string): string {
  return utcMinute(iso) ?? safe(iso, 40);
}

/** The diff as terminal text (ends with a newline). */
export function diffText(diff: RunDiff, paint: Paint = NO_PAINT): string {
  const out: string[] = [];
  const same = diff.before.name === diff.after.name;
  out.push(
    paint.bold(
      same
        ? `${safe(diff.before.name)}: ${when(diff.before.startedAt)} → ${when(diff.after.startedAt)}`
        : `${safe(diff.before.name)} (${when(diff.before.startedAt)}) → ${safe(diff.after.name)} (${when(diff.after.startedAt)})`,
    ),
  );
  if (diff.before.runDir !== null && diff.after.runDir !== null) {
    out.push(paint.dim(`  ${safe(diff.before.runDir, 300)} → ${safe(diff.after.runDir, 300)}`));
  }
  const colour: Record<ListedKind, (s: string) => string> = {
    new: paint.yellow,
    gone: paint.dim,
    newlyVulnerable: paint.red,
    fixed: paint.green,
    stillVulnerable: paint.red,
    changedBuild: paint.yellow,
    changedVerdict: paint.yellow,
  };
  let listed = 0;
  for (const kind of SHOWN_ORDER) {
    const list = diff.entries[kind];
    if (list.length === 0) continue;
    listed += list.length;
    out.push('', colour[kind](paint.bold(`${CHANGE_TITLE[kind]} (${list.length})`)));
    for (const e of list) out.push(`  ${MARK[kind]} ${entryLine(e)}`);
  }
  out.push('');
  const summary = [...SHOWN_ORDER, 'unchanged' as const]
    .filter((k) => diff.counts[k] > 0)
    .map((k) => `${diff.counts[k]} ${SHORT[k]}`);
  out.push(
    listed === 0 && diff.counts.unchanged === 0
      ? 'No Exchange endpoint in either run.'
      : `Exchange endpoints: ${summary.join(', ')}.`,
  );
  return `${out.join('\n')}\n`;
}

/** The diff for machines: stable field names, every listed entry with both states. */
export function diffJson(diff: RunDiff): unknown {
  const state = (s: EndpointState | null): unknown =>
    s === null
      ? null
      : {
          status: s.status,
          error: s.errorCode,
          observedAt: s.observedAt,
          product: s.verdict?.product ?? null,
          build: s.verdict?.build ?? null,
          precision: s.verdict?.precision ?? null,
          release: s.verdict?.release ?? null,
          patchLevel: s.verdict?.patchLevel ?? null,
          certainty: s.verdict?.certainty ?? null,
          supported: s.verdict?.supported ?? null,
          kevCves: s.verdict?.kevCves ?? [],
          cveCount: s.verdict?.cveCount ?? 0,
          owner: s.owner,
        };
  const entry = (e: DiffEntry): unknown => {
    const s = e.after ?? e.before;
    return {
      endpointKey: e.key,
      target: s?.target ?? null,
      host: s?.host ?? null,
      ip: s?.ip ?? null,
      port: s?.port ?? null,
      scheme: s?.scheme ?? null,
      before: state(e.before),
      after: state(e.after),
    };
  };
  return {
    schema: DIFF_SCHEMA,
    before: diff.before,
    after: diff.after,
    counts: diff.counts,
    ...Object.fromEntries(LISTED_KINDS.map((k) => [k, diff.entries[k].map(entry)])),
  };
}
