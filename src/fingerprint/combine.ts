// Signals of all responses → one Fingerprint: is it Exchange, which build, how sure, and why.
//
// Rules (docs/verdicts.md explains them to owners; docs/ARCHITECTURE.md "Claims follow corroboration"):
// * Exchange Online: indicators on Exchange-shaped responses (corroborate.ts) — one decisive kind
//   (Microsoft's sign-in redirect for Exchange Online, MS-Server-ActiveSync 15.20, …), two kinds,
//   or one plus on-premises corroboration without an on-premises number. No verdict for the cloud.
// * On-premises Exchange needs corroboration (corroborate.ts). Something that presents as Exchange
//   and fails it is not Exchange, with `imitation-suspected` evidence saying what and why.
// * Build: a 4-part number beats a 3-part one. Among 4-part sources: X-OWA-Version (the installed
//   build) > ECP version directory (thorough mode) > 2007/2010 asset path > export tool manifest
//   (a component version that can lag). Several values from the same source: the lowest is kept
//   (several servers may answer for one name; never claim the better-patched one).
// * Contradicted version evidence — X-OWA-Version written zero-padded or sent where Exchange never
//   sends it, or numbers in different CUs (or products) — is a `conflict`: every number stays as
//   evidence, the verdict is judged by the older one, precision is lowered (exact → approximate)
//   and the classifier never calls it current or supported.
// * Precision otherwise: 4 parts → exact (the number was read exactly; whether it is a published
//   build is the classifier's to judge, with the data: classify/candidates.ts); 3 parts → cu; no
//   number but markers naming 2007 or 2010 → product.
import type { Evidence, Precision } from '../core/result-schema.js';
import type { ProbeResponse } from '../core/probe-types.js';
import { compareNormalisedBuilds, cuOf, partCount } from './build-number.js';
import { corroborate, familyText, type Corroboration } from './corroborate.js';
import { evidenceOf } from './evidence.js';
import { checkGenerations, productHintOf, type Conflict } from './generations.js';
import { AUTHORITATIVE_SOURCES, labelOf, rankOf } from './sources.js';
import { DECISIVE_ONLINE, extractSignals } from './extract/index.js';
import { cleanValue } from '../core/text.js';
import type { Fingerprint, FingerprintOptions, Signal } from './types.js';

export { AUTHORITATIVE_SOURCES };

/**
 * Said in the `conflict` evidence when a 4-part build was judged on contradicted evidence. Wording
 * for people: the fact itself is the verdict's `contradicted` field.
 */
const PRECISION_LOWERED = 'precision lowered to approximate';
/** Opens every `imitation-suspected` evidence value. */
export const IMITATION_SUSPECTED = 'imitation suspected';

/** At most this many detail items follow the imitation summary. */
const MAX_IMITATION_DETAILS = 4;

/** Signals of every response, in response order. */
export function signalsOf(responses: readonly ProbeResponse[]): Signal[] {
  const signals: Signal[] = [];
  for (const r of responses) for (const s of extractSignals(r)) signals.push(s);
  return signals;
}

// `_opts` is accepted for callers written against the option it once had (see FingerprintOptions).
export function fingerprint(
  responses: readonly ProbeResponse[],
  _opts: FingerprintOptions = {},
): Fingerprint {
  const signals = signalsOf(responses);
  const c = corroborate(responses);
  const conflicts: Conflict[] = [];
  let extra: Evidence[] = [];
  const numbered = signals.filter((s) => s.build !== null && rankOf(s) > 0);

  const finish = (fields: Omit<Fingerprint, 'evidence' | 'conflicts' | 'refuted'>): Fingerprint => {
    const evidence = evidenceOf(signals);
    const texts: string[] = [];
    for (const x of conflicts) {
      evidence.push({ signal: 'conflict', url: x.url, value: x.text });
      texts.push(x.text);
    }
    for (const e of extra) evidence.push(e);
    return {
      status: fields.status,
      build: fields.build,
      precision: fields.precision,
      productHint: fields.productHint,
      buildSource: fields.buildSource,
      contradicted: fields.contradicted,
      refuted: c.refutations.length > 0,
      evidence,
      conflicts: texts,
    };
  };
  const none = { build: null, precision: null, productHint: null, buildSource: null, contradicted: false };

  const kinds = new Set(c.online.map((s) => s.online));
  const decisive = [...kinds].some((k) => k !== null && DECISIVE_ONLINE.has(k));
  if (decisive || kinds.size >= 2 || (kinds.size === 1 && c.corroborated && numbered.length === 0))
    return finish({ status: 'exchange-online', ...none });

  if (!c.corroborated) {
    extra = imitationEvidence(signals, c);
    return finish({ status: 'not-exchange', ...none });
  }
  const firstOnline = c.online[0];
  if (firstOnline !== undefined) {
    conflicts.push({
      url: firstOnline.url,
      text: `one Exchange Online indicator (${firstOnline.value}) without corroboration; not treated as Exchange Online`,
    });
  }
  for (const d of c.discounted) conflicts.push({ url: d.url, text: `not counted: ${d.text}` });

  const versionTells = versionTellsOf(numbered, conflicts);
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
      contradicted: false,
    });
  }
  if (versionTells || chosen.crossCu) {
    const judged = lowestBuild(numbered)[0] ?? chosen.signal;
    const build = judged.build ?? '';
    const four = partCount(build) === 4;
    conflicts.push({
      url: judged.url,
      text:
        `the version evidence disagrees: judged by the older build, ${build} (${labelOf(judged)}); ` +
        `${four ? `${PRECISION_LOWERED}, ` : ''}never current or supported on contradicted evidence`,
    });
    return finish({
      status: 'exchange',
      build,
      precision: four ? 'approximate' : 'cu',
      productHint: null,
      buildSource: judged.signal,
      contradicted: true,
    });
  }
  const build = chosen.signal.build ?? '';
  const precision: Precision = partCount(build) === 4 ? 'exact' : 'cu';
  return finish({
    status: 'exchange',
    build,
    precision,
    productHint: null,
    buildSource: chosen.signal.signal,
    contradicted: false,
  });
}

/** `imitation-suspected` items: what presented as Exchange, and why it is not taken as Exchange. */
function imitationEvidence(signals: readonly Signal[], c: Corroboration): Evidence[] {
  const hints = signals.filter((s) => s.hint);
  const first = hints[0];
  if (first === undefined) return [];
  const shown = [...new Set(hints.map((s) => `${s.signal} ${cleanValue(s.value, 60)}`))]
    .slice(0, 3)
    .join('; ');
  const discounted = c.discounted[0];
  const why =
    c.refutations[0]?.text ??
    `not corroborated: ${c.families.length === 0 ? 'nothing only Exchange serves' : `only ${familyText(c.families)}`}` +
      (discounted === undefined ? '' : ` (${discounted.text})`);
  const details = [
    ...c.refutations.slice(1),
    ...c.discounted.slice(c.refutations.length === 0 ? 1 : 0),
  ].slice(0, MAX_IMITATION_DETAILS);
  return [
    {
      signal: 'imitation-suspected',
      url: c.refutations[0]?.url ?? first.url,
      value: cleanValue(`${IMITATION_SUSPECTED}: ${why}; seen: ${shown}`),
    },
    ...details.map((d) => ({
      signal: 'imitation-suspected' as const,
      url: d.url,
      value: cleanValue(`${IMITATION_SUSPECTED}: ${d.text}`),
    })),
  ];
}

/** Conflicts for X-OWA-Version values Exchange never writes (padded) or sends (misplaced). */
function versionTellsOf(numbered: readonly Signal[], conflicts: Conflict[]): boolean {
  let found = false;
  for (const s of numbered) {
    if (s.signal !== 'x-owa-version') continue;
    if (s.padded === true) {
      found = true;
      conflicts.push({
        url: s.url,
        text: `X-OWA-Version is written zero-padded (${s.value}); Exchange writes ${s.build ?? ''}: the header was written by hand or rewritten`,
      });
    }
    if (s.misplaced === true) {
      found = true;
      conflicts.push({
        url: s.url,
        text: `X-OWA-Version ${s.value} arrived on a response where Exchange never sends it (added by a proxy or written by hand)`,
      });
    }
  }
  return found;
}

interface Choice {
  signal: Signal;
  /** Another signal put the build in a different CU (or product). */
  crossCu: boolean;
}

function lowestBuild(candidates: readonly Signal[]): Signal[] {
  const byBuild = new Map<string, Signal>();
  for (const s of candidates) if (s.build !== null && !byBuild.has(s.build)) byBuild.set(s.build, s);
  return [...byBuild.values()].sort((a, b) => compareNormalisedBuilds(a.build ?? '', b.build ?? ''));
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
    if (cuOf(otherBuild) === cuOf(chosenBuild)) {
      if (partCount(otherBuild) === 4) {
        const why =
          partCount(chosenBuild) > partCount(otherBuild)
            ? 'a 4-part number is more precise'
            : `${labelOf(chosen)} ranks above ${labelOf(other)}`;
        conflicts.push({
          url: other.url,
          text: `${labelOf(other)} says ${otherBuild} but ${labelOf(chosen)} says ${chosenBuild} (same CU, different update); kept ${chosenBuild}: ${why}`,
        });
      }
      continue;
    }
    crossCu = true;
    conflicts.push({
      url: other.url,
      text: `${labelOf(other)} says ${otherBuild} but ${labelOf(chosen)} says ${chosenBuild}: a different CU`,
    });
  }
  return { signal: chosen, crossCu };
}
