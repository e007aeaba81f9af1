// Precision → the set of published builds the host may be running (docs/verdicts.md "Precision"),
// with the release name to show and plain-language notes on every judgement call made here.
import { InputError } from '../core/errors.js';
import type { EvidenceSignal, Precision, ProductName } from '../core/result-schema.js';
import { compareBuilds, compareParts, productOfBuild, type ParsedBuild } from '../core/build-number.js';
import type { BuildEntry } from './data-schema.js';
import { fromEntry, type Candidate } from './evaluate.js';
import { lineKey, type KnowledgeBase } from './knowledge-base.js';
import { disputeNote, exactNotes, olderNote, partialNote } from './candidate-notes.js';
import { claimedByDisputed, cuEntry, older, placeUnknownCu } from './placement.js';

export interface Selection {
  product: ProductName;
  precision: Precision;
  /** The verdict's build: 4 or 3 parts, null at product precision. */
  build: string | null;
  candidates: Candidate[];
  release: string | null;
  releaseDate: string | null;
  notes: string[];
  /** The build was taken as a lower bound of the installed update (a component version). */
  lowerBound: boolean;
}

/**
 * Sources whose 4-part number is a component's version, not the installed update's: the export
 * tool manifest can lag the installed update (it is not rebuilt by every security update), so an
 * unpublished value is a lower bound. X-OWA-Version and the 2007/2010 asset paths name the
 * installed build; an unpublished value there is a private or interim build, judged by the
 * published builds at or below it.
 */
export const COMPONENT_SOURCES: ReadonlySet<EvidenceSignal> = new Set<EvidenceSignal>([
  'exporttool-manifest',
]);

export function selectCandidates(
  kb: KnowledgeBase,
  input: ParsedBuild,
  requested: Precision,
  source: EvidenceSignal | null = null,
): Selection {
  const product = productOfBuild(input.text);
  if (product === null) throw new InputError(`not a known Exchange version: ${input.text}`);
  const n = input.parts.length;
  if (n <= 2 || requested === 'product') return { ...selectProduct(kb, input, product), lowerBound: false };
  const cu = input.parts.slice(0, 3).join('.');
  if (n === 3 || requested === 'cu') {
    const s = selectCu(kb, product, cu, cu);
    if (n === 4) s.notes.unshift(`Only the CU of ${input.text} was used, as asked.`);
    return { ...s, lowerBound: false };
  }
  return selectFourPart(
    kb,
    product,
    input.text,
    cu,
    requested,
    source !== null && COMPONENT_SOURCES.has(source),
  );
}

function selectProduct(
  kb: KnowledgeBase,
  input: ParsedBuild,
  product: ProductName,
): Omit<Selection, 'lowerBound'> {
  const prefix = input.parts.slice(0, 2);
  const builds = kb.builds.filter(
    (b) =>
      b.confidence !== 'disputed' &&
      compareParts(b.build.split('.').map(Number).slice(0, prefix.length), prefix) === 0,
  );
  const notes: string[] = [];
  const candidates = builds.map(fromEntry);
  if (candidates.length === 0) candidates.push(older(input.text, product));
  const versions = input.text.split('.').length === 1 ? `${input.text}.x` : input.text;
  notes.push(
    builds.length > 0
      ? `Only the product is known (no build number was seen): the verdict covers every published ${versions} build.`
      : `Only the product is known (${versions}), and the knowledge base lists no build of it.`,
  );
  if (input.parts.length <= 2 && input.parts[0] === 15 && input.parts[1] === 2) {
    notes.push(
      '15.2 is shared by Exchange Server 2019 and Exchange Server SE; without the build number they cannot be told apart (the support status shown is that of 2019).',
    );
  }
  return { product, precision: 'product', build: null, candidates, release: null, releaseDate: null, notes };
}

function selectCu(
  kb: KnowledgeBase,
  product: ProductName,
  cu: string,
  shown: string,
): Omit<Selection, 'lowerBound'> {
  const notes: string[] = [];
  const published = kb.index.publishedByCu.get(cu) ?? [];
  if (published.length > 0) {
    const e = cuEntry(published);
    return {
      product,
      precision: 'cu',
      build: shown,
      candidates: published.map(fromEntry),
      release: e?.name ?? null,
      releaseDate: e?.released ?? null,
      notes: [
        `Only the CU is known (${cu}), not which security update is installed: the verdict covers its ${published.length} published builds.`,
      ],
    };
  }
  const placed = placeUnknownCu(kb, product, cu, notes);
  return { product, precision: 'cu', build: shown, ...placed, notes };
}

function selectFourPart(
  kb: KnowledgeBase,
  product: ProductName,
  build: string,
  cu: string,
  requested: Precision,
  component: boolean,
): Selection {
  const notes: string[] = [];
  const entry = kb.index.byBuild.get(build);
  const base = { product, build, lowerBound: false };
  if (entry !== undefined && entry.confidence !== 'disputed' && requested === 'exact') {
    notes.push(...exactNotes(entry));
    return {
      ...base,
      precision: 'exact',
      candidates: [fromEntry(entry)],
      release: entry.name,
      releaseDate: entry.released,
      notes,
    };
  }
  const final = kb.index.productInfo.get(product)?.finalBuild;
  if (final?.build === build && requested === 'exact') {
    // A product older than the build list whose last update is known (2007 SP3 RU23).
    notes.push(olderNote(kb, product, build));
    return {
      ...base,
      precision: 'exact',
      candidates: [older(build, product)],
      release: final.name,
      releaseDate: null,
      notes,
    };
  }
  const approx = { ...base, precision: 'approximate' as const };
  const published = kb.index.publishedByCu.get(cu) ?? [];
  // A component version the data does not list: the installed update is at or above it.
  const lowerBound = component && entry === undefined && published.length > 0;
  if (entry?.confidence === 'disputed') {
    notes.push(`${build} is treated as approximate: its sources disagree about it.`);
  } else if (lowerBound) {
    notes.push(
      `${build} is a component version (the export tool manifest), not a published build; components can lag the installed update, so it is a lower bound.`,
    );
  } else if (requested === 'exact' && published.length > 0) {
    notes.push(`${build} is not a published build, so it is treated as approximate.`);
  } else if (requested === 'exact') {
    notes.push(`${build} is not in the knowledge base, so it is treated as approximate.`);
  }
  if (published.length === 0) {
    if (entry?.dispute !== undefined && claimedByDisputed(kb, product, cu) === null)
      notes.push(`Sources disagree about ${build}: ${entry.dispute}.`);
    const placed = placeUnknownCu(kb, product, cu, notes, build);
    return { ...approx, ...placed, notes };
  }
  const newest = published.at(-1);
  const line = published[0]?.line ?? null;
  if (
    entry === undefined &&
    newest !== undefined &&
    line !== null &&
    compareBuilds(build, newest.build) > 0 &&
    kb.index.servicedLines.has(lineKey(product, line))
  ) {
    notes.push(
      `${build} is newer than every published build of ${product} ${line} (newest: ${newest.name}, ${newest.build}; data as of ${kb.asOf}); ` +
        'its patch level cannot be judged until the data is updated.',
    );
    return {
      ...approx,
      lowerBound,
      candidates: [{ build, product, line, entry: null, origin: 'newer-revision' }],
      release: null,
      releaseDate: null,
      notes,
    };
  }
  const below = published.filter((b) => compareBuilds(b.build, build) <= 0);
  const nearest = below.at(-1);
  if (lowerBound) return lowerBoundSelection({ ...approx, lowerBound }, published, nearest, notes);
  const candidates = (below.length > 0 ? below : published.slice(0, 1)).map(fromEntry);
  let release: string | null;
  let releaseDate: string | null;
  if (entry?.confidence === 'disputed') {
    release = `${entry.name} (disputed)`;
    releaseDate = entry.released;
  } else if (nearest !== undefined) {
    release = nearest.name;
    releaseDate = nearest.released;
    notes.push(
      `It was compared with the published builds of its CU at or below it; the nearest is ${nearest.name} (${nearest.build}), which names the update.`,
    );
    if (nearest.onlyFixes !== undefined) notes.push(partialNote(nearest));
  } else {
    const e = cuEntry(published);
    release = e?.name ?? null;
    releaseDate = e?.released ?? null;
    notes.push(
      `${build} is below the first published build of its CU (${published[0]?.build ?? cu}); it was judged as that build.`,
    );
  }
  const claimed = claimedByDisputed(kb, product, cu, build);
  if (claimed !== null) {
    notes.push(disputeNote(claimed.disputed, claimed.canonical));
    if (!candidates.some((c) => c.build === claimed.canonical.build))
      candidates.push(fromEntry(claimed.canonical));
  } else if (entry?.dispute !== undefined) {
    notes.push(`Sources disagree about ${build}: ${entry.dispute}. It is not taken as proof of any update.`);
  }
  return { ...approx, candidates, release, releaseDate, notes };
}

/**
 * A lower bound: the update the component belongs to (the nearest published build at or below it,
 * else the CU's first) and every later published build of the CU are candidates.
 */
function lowerBoundSelection(
  base: Pick<Selection, 'product' | 'build' | 'precision' | 'lowerBound'>,
  published: readonly BuildEntry[],
  nearest: BuildEntry | undefined,
  notes: string[],
): Selection {
  const from = nearest ?? published[0];
  const candidates = published
    .filter((b) => from === undefined || compareBuilds(b.build, from.build) >= 0)
    .map(fromEntry);
  const first = published[0];
  const fromFirst = from === undefined || first === undefined || from.build === first.build;
  const cuName = cuEntry(published)?.name ?? null;
  notes.push(
    `The installed update is ${from?.name ?? 'its CU'}${from === undefined ? '' : ` (${from.build})`} or a later update of the same CU; the verdict covers all ${candidates.length}.`,
  );
  return {
    ...base,
    candidates,
    release: fromFirst ? cuName : `${from.name} or later`,
    releaseDate: from?.released ?? null,
    notes,
  };
}
