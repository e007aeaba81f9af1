// Plain-language notes on the judgement calls candidates.ts makes: disputed numbers, the March
// 2021 updates for older CUs, sources of low confidence, builds older than the data.
import type { ProductName } from '../core/result-schema.js';
import type { BuildEntry } from './data-schema.js';
import type { KnowledgeBase } from './knowledge-base.js';

export function disputeNote(d: BuildEntry, canonical: BuildEntry): string {
  return (
    `Sources disagree: ${d.sources.join(', ')} list ${d.build} as ${d.name}, while Microsoft's build list gives ${canonical.build}. ` +
    `This number is not proof that ${d.name} is installed, so the verdict allows for both readings.`
  );
}

export function partialNote(e: BuildEntry): string {
  return (
    `${e.name} is a March 2021 update for an older CU: it holds only the ProxyLogon fixes, so its higher revision ` +
    `does not show that earlier security updates of ${e.line} are installed.`
  );
}

export function exactNotes(e: BuildEntry): string[] {
  const notes: string[] = [];
  if (e.onlyFixes !== undefined) notes.push(partialNote(e));
  if (e.confidence === 'low')
    notes.push(`Only eightwone.com lists ${e.build} (${e.name}); Microsoft's build lists do not.`);
  if (e.dispute !== undefined) notes.push(`Sources differ on the name or date of ${e.build}: ${e.dispute}.`);
  return notes;
}

export function olderNote(kb: KnowledgeBase, product: ProductName, build: string): string {
  const first = kb.index.byProduct.get(product)?.[0];
  if (product === 'Exchange Server 2007') {
    return 'Exchange Server 2007 is older than the knowledge base, which lists no 2007 builds.';
  }
  return first === undefined
    ? `${build} is older than the knowledge base, which lists no ${product} build.`
    : `${build} is older than the first ${product} build in the knowledge base (${first.name}, ${first.build}); it is judged as missing every fix listed for ${product}.`;
}
