// Where a build the data does not list falls: a CU older or newer than the data, or between known
// CUs; disputed builds that name a published update; the CU's own entry. Used by candidates.ts.
import type { ProductName } from '../core/result-schema.js';
import { compareBuilds } from '../core/build-number.js';
import { disputeNote, olderNote } from './candidate-notes.js';
import type { BuildEntry } from './data-schema.js';
import { fromEntry, type Candidate } from './evaluate.js';
import type { KnowledgeBase } from './knowledge-base.js';

const SERVICE_PACKS = ['RTM', 'SP1', 'SP2', 'SP3'] as const;
const CU_KINDS: ReadonlySet<string> = new Set(['CU', 'RTM', 'SP', 'RU', 'Preview']);

export function cuEntry(list: readonly BuildEntry[]): BuildEntry | undefined {
  return list.find((b) => CU_KINDS.has(b.kind)) ?? list[0];
}

/** Builds of a CU the data knows, or a synthetic candidate placed by where the CU falls. */
export interface Placement {
  candidates: Candidate[];
  release: string | null;
  releaseDate: string | null;
}

/** A CU (3-part) with no published build in the data: older, newer, or between known CUs. */
export function placeUnknownCu(
  kb: KnowledgeBase,
  product: ProductName,
  cu: string,
  notes: string[],
  full?: string,
): Placement {
  const shown = full ?? cu;
  const claimed = claimedByDisputed(kb, product, cu);
  if (claimed !== null) {
    notes.push(disputeNote(claimed.disputed, claimed.canonical));
    return {
      candidates: [fromEntry(claimed.canonical)],
      release: `${claimed.disputed.name} (disputed)`,
      releaseDate: claimed.disputed.released,
    };
  }
  const cus = kb.index.cusOfProduct.get(product) ?? [];
  const first = cus[0];
  const last = cus.at(-1);
  if (first === undefined || last === undefined || compareBuilds(cu, first) < 0) {
    const c = older(shown, product);
    notes.push(olderNote(kb, product, shown));
    const final = kb.index.productInfo.get(product)?.finalBuild;
    const release = final !== undefined && final.build === shown ? final.name : c.line;
    return { candidates: [c], release, releaseDate: null };
  }
  if (compareBuilds(cu, last) > 0) {
    notes.push(
      `${shown} is a newer CU than any ${product} build in the knowledge base (data as of ${kb.asOf}); its patch level cannot be judged until the data is updated.`,
    );
    return {
      candidates: [{ build: shown, product, line: null, entry: null, origin: 'newer-line' }],
      release: null,
      releaseDate: null,
    };
  }
  const lower = [...cus].reverse().find((c) => compareBuilds(c, cu) < 0) ?? first;
  const builds = kb.index.publishedByCu.get(lower) ?? [];
  const e = cuEntry(builds);
  notes.push(
    `${cu} is not a CU the knowledge base knows; it was judged like the CU below it (${e?.name ?? lower}, ${lower}), which may be too pessimistic.`,
  );
  return { candidates: builds.map(fromEntry), release: null, releaseDate: null };
}

/**
 * A disputed build D names the same update as a published build C (e.g. HealthChecker's CU8 Mar21SU
 * 15.1.1415.8 against Microsoft's 15.1.1415.10). A host reporting a number from D up to C may be
 * running that update: C joins the candidates, so the verdict stays "possible" instead of asserting
 * either reading. With `build` omitted, any disputed build of the CU qualifies (3-part input).
 */
export function claimedByDisputed(
  kb: KnowledgeBase,
  product: ProductName,
  cu: string,
  build?: string,
): { disputed: BuildEntry; canonical: BuildEntry } | null {
  for (const d of kb.index.byCu.get(cu) ?? []) {
    if (d.confidence !== 'disputed' || d.product !== product) continue;
    const canonical = kb.index.byProduct.get(product)?.find((b) => b.name === d.name);
    if (canonical === undefined) continue;
    if (build === undefined) {
      if ((kb.index.publishedByCu.get(cu) ?? []).length === 0) return { disputed: d, canonical };
      continue;
    }
    if (compareBuilds(d.build, build) <= 0 && compareBuilds(build, canonical.build) < 0)
      return { disputed: d, canonical };
  }
  return null;
}

export function older(build: string, product: ProductName): Candidate {
  const [major, minor] = build.split('.').map(Number);
  const servicePack =
    (major === 8 || major === 14) && minor !== undefined ? (SERVICE_PACKS[minor] ?? null) : null;
  return { build, product, line: servicePack, entry: null, origin: 'older' };
}
