// Signals of all responses → one Fingerprint: is it Exchange, which build, how sure, and why.
//
// Rules (DESIGN.md "Fingerprinting"; facts in ../shared/reference/exchange-fingerprinting.md):
// * Proof: at least one signal that only Exchange produces (`Signal.proves`). A header alone —
//   X-OWA-Version or X-FEServer on an ordinary page — is not proof: C2 profiles copy them.
// * Exchange Online: two different kinds of cloud indicator, or one plus on-premises proof when no
//   on-premises build was seen. No verdict is given for the cloud.
// * Build: a 4-part number beats a 3-part one. Among 4-part sources: X-OWA-Version (the installed
//   build) > ECP version directory (thorough mode) > 2007/2010 asset path > export tool manifest
//   (a component version that can lag). Several values from the same source: the lowest is kept
//   (several servers may answer for one name; never claim the better-patched one).
// * Precision: 4 parts → exact; 3 parts → cu; no number but markers naming 2007 or 2010 → product
//   (2013, 2016, 2019 and SE share one logon page, so markers alone name no product there).
//   A manifest-only 4-part number is treated like any other: whether security updates move the
//   manifest version is unproven, so it is exact only if published (a lagging component version
//   that is no published build becomes approximate).
//   A 4-part build is lowered to approximate when another signal puts it in a different CU, or when
//   `isPublished` says it is not a published build (the classifier applies the same rule with its
//   own data and has the last word).
// * Every disagreement is written to `conflicts` and as a `conflict` evidence item.
import type { EvidenceSignal, Precision } from '../results/schema.js';
import type { ProbeResponse } from '../probe/types.js';
import { compareBuildNumbers, cuOf, generationOf, partCount } from './build-number.js';
import { evidenceOf } from './evidence.js';
import { extractSignals } from './extract/index.js';
import type { Fingerprint, FingerprintOptions, Generation, Signal } from './types.js';

/**
 * Said in the `conflict` evidence when signals put a 4-part build in different CUs. Reclassifying a
 * stored record reads it back: such a build stays approximate whatever the data says.
 */
export const PRECISION_LOWERED = 'precision lowered to approximate';

const RANK: Partial<Record<EvidenceSignal, number>> = {
  'x-owa-version': 5,
  'ecp-version-dir': 4,
  'owa-legacy-asset-path': 3,
  'exporttool-manifest': 2,
  'owa-asset-path': 1,
};

/** Sources whose 4-part number is the installed build, not a component version. */
export const AUTHORITATIVE_SOURCES: ReadonlySet<EvidenceSignal> = new Set<EvidenceSignal>([
  'x-owa-version',
  'ecp-version-dir',
  'owa-legacy-asset-path',
]);

const SOURCE_LABEL: Partial<Record<EvidenceSignal, string>> = {
  'x-owa-version': 'X-OWA-Version',
  'ecp-version-dir': 'the ECP version directory',
  'owa-legacy-asset-path': 'the 2007/2010 asset path',
  'exporttool-manifest': 'the export tool manifest',
  'owa-asset-path': 'the asset path',
};

const GENERATION_NAME: Record<Generation, string> = {
  '8': 'Exchange 2007',
  '14': 'Exchange 2010',
  '15': 'Exchange 2013 or later',
};

interface Conflict {
  text: string;
  url: string;
}

const rankOf = (s: Signal): number => RANK[s.signal] ?? 0;
const labelOf = (s: Signal): string => SOURCE_LABEL[s.signal] ?? s.signal;

/** Signals of every response, in response order. */
export function signalsOf(responses: readonly ProbeResponse[]): Signal[] {
  return responses.flatMap((r) => extractSignals(r));
}

export function fingerprint(responses: readonly ProbeResponse[], opts: FingerprintOptions = {}): Fingerprint {
  return fingerprintSignals(signalsOf(responses), opts);
}

export function fingerprintSignals(signals: readonly Signal[], opts: FingerprintOptions = {}): Fingerprint {
  const conflicts: Conflict[] = [];
  const proven = signals.some((s) => s.proves);
  const numbered = signals.filter((s) => s.build !== null && rankOf(s) > 0);
  const online = signals.filter((s) => s.online !== null);
  const onlineKinds = new Set(online.map((s) => s.online));

  const finish = (fields: Omit<Fingerprint, 'evidence' | 'conflicts'>): Fingerprint => ({
    ...fields,
    evidence: [
      ...evidenceOf(signals),
      ...conflicts.map((c) => ({ signal: 'conflict' as const, url: c.url, value: c.text })),
    ],
    conflicts: conflicts.map((c) => c.text),
  });
  const none = { build: null, precision: null, productHint: null, buildSource: null } as const;

  if (onlineKinds.size >= 2 || (onlineKinds.size === 1 && proven && numbered.length === 0)) {
    return finish({ status: 'exchange-online', ...none });
  }
  const firstOnline = online[0];
  if (firstOnline !== undefined) {
    conflicts.push({
      url: firstOnline.url,
      text: `one Exchange Online indicator (${firstOnline.value}) without corroboration; not treated as Exchange Online`,
    });
  }

  if (!proven) {
    const hints = signals.filter((s) => s.signal !== 'server-header' && s.online === null);
    const first = hints[0];
    if (first !== undefined) {
      const shown = [...new Set(hints.map((s) => `${s.signal} ${s.value}`))].slice(0, 3).join(', ');
      conflicts.push({
        url: first.url,
        text:
          `${shown} seen, but no response was Exchange-shaped (logon page, OWA redirect, manifest, ` +
          `or a challenge on an Exchange service path); a header alone is not proof: not Exchange`,
      });
    }
    return finish({ status: 'not-exchange', ...none });
  }

  const chosen = chooseBuild(numbered, conflicts);
  checkGenerations(signals, chosen?.signal.build ?? null, conflicts);
  if (chosen === undefined) {
    const hint = productHintOf(signals);
    return finish({
      status: 'exchange',
      build: null,
      precision: hint === null ? null : 'product',
      productHint: hint,
      buildSource: null,
    });
  }
  const build = chosen.signal.build ?? '';
  let precision: Precision = partCount(build) === 4 ? 'exact' : 'cu';
  if (precision === 'exact') {
    const unpublished =
      opts.isPublished !== undefined &&
      chosen.signal.signal !== 'ecp-version-dir' &&
      !opts.isPublished(build);
    if (chosen.crossCu || unpublished) precision = 'approximate';
  }
  return finish({
    status: 'exchange',
    build,
    precision,
    productHint: null,
    buildSource: chosen.signal.signal,
  });
}

interface Choice {
  signal: Signal;
  /** Another signal put the build in a different CU. */
  crossCu: boolean;
}

function lowestBuild(candidates: readonly Signal[]): Signal[] {
  const byBuild = new Map<string, Signal>();
  for (const s of candidates) if (s.build !== null && !byBuild.has(s.build)) byBuild.set(s.build, s);
  return [...byBuild.values()].sort((a, b) => compareBuildNumbers(a.build ?? '', b.build ?? ''));
}

function chooseBuild(numbered: readonly Signal[], conflicts: Conflict[]): Choice | undefined {
  const fours = numbered.filter((s) => s.build !== null && partCount(s.build) === 4);
  const pool = fours.length > 0 ? fours : numbered;
  const topRank = Math.max(...pool.map(rankOf));
  const top = lowestBuild(pool.filter((s) => rankOf(s) === topRank));
  const chosen = top[0];
  if (chosen === undefined) return undefined;
  const chosenBuild = chosen.build ?? '';
  if (top.length > 1) {
    conflicts.push({
      url: chosen.url,
      text:
        `${labelOf(chosen)} gave several builds (${top.map((s) => s.build).join(', ')}); kept the lowest, ` +
        `${chosenBuild}, since more than one server may answer for this name`,
    });
  }
  let crossCu = false;
  const reported = new Set<string>([`${chosen.signal}\u0000${chosenBuild}`]);
  for (const other of numbered) {
    const otherBuild = other.build ?? '';
    const key = `${other.signal}\u0000${otherBuild}`;
    if (otherBuild === chosenBuild || reported.has(key)) continue;
    reported.add(key);
    if (other.signal === chosen.signal) continue; // already reported as "several builds"
    const why =
      partCount(chosenBuild) > partCount(otherBuild)
        ? 'a 4-part number is more precise'
        : `${labelOf(chosen)} ranks above ${labelOf(other)}`;
    if (cuOf(otherBuild) === cuOf(chosenBuild)) {
      if (partCount(otherBuild) === 4) {
        conflicts.push({
          url: other.url,
          text: `${labelOf(other)} says ${otherBuild} but ${labelOf(chosen)} says ${chosenBuild} (same CU, different update); kept ${chosenBuild}: ${why}`,
        });
      }
      continue;
    }
    const lowered = partCount(chosenBuild) === 4;
    crossCu ||= lowered;
    conflicts.push({
      url: other.url,
      text:
        `${labelOf(other)} says ${otherBuild} but ${labelOf(chosen)} says ${chosenBuild} (a different CU); ` +
        `kept ${chosenBuild}: ${why}${lowered ? `; ${PRECISION_LOWERED}` : ''}`,
    });
  }
  return { signal: chosen, crossCu };
}

/** Generations every generation-bearing cue (markers, titles, X-FEServer) allows. */
function cueGenerations(signals: readonly Signal[]): { allowed: Set<Generation>; cues: Signal[] } {
  const cues = signals.filter((s) => s.generations !== null && rankOf(s) === 0);
  const allowed = new Set<Generation>(['8', '14', '15']);
  for (const cue of cues) {
    for (const g of [...allowed]) if (!(cue.generations ?? []).includes(g)) allowed.delete(g);
  }
  return { allowed, cues };
}

function checkGenerations(signals: readonly Signal[], build: string | null, conflicts: Conflict[]): void {
  const { allowed, cues } = cueGenerations(signals);
  const first = cues[0];
  if (first === undefined) return;
  if (allowed.size === 0) {
    const shown = [...new Set(cues.map((c) => `${c.signal} ${c.value}`))].slice(0, 4).join(', ');
    conflicts.push({ url: first.url, text: `markers disagree about the Exchange generation (${shown})` });
    return;
  }
  const generation = build === null ? null : generationOf(build);
  if (generation === null || allowed.has(generation)) return;
  const dissent = cues.find((c) => !(c.generations ?? []).includes(generation)) ?? first;
  conflicts.push({
    url: dissent.url,
    text: `${dissent.signal} ${dissent.value} suggests ${[...allowed].map((g) => GENERATION_NAME[g]).join(' or ')}, but the build ${build ?? ''} is ${GENERATION_NAME[generation]}; kept the build`,
  });
}

/** "8" or "14" when the cues name exactly that generation; 2013 and later share one look, so no hint. */
function productHintOf(signals: readonly Signal[]): string | null {
  const { allowed, cues } = cueGenerations(signals);
  if (cues.length === 0 || allowed.size !== 1) return null;
  const [only] = [...allowed];
  return only === '8' || only === '14' ? only : null;
}
