// Generation cues (markers, titles, X-FEServer): which Exchange generations they allow, whether
// they disagree with the build, and the product hint they give when no number was seen.
import { generationOf } from './build-number.js';
import { rankOf } from './sources.js';
import type { Generation, Signal } from './types.js';

export interface Conflict {
  text: string;
  url: string;
}

const GENERATION_NAME: Record<Generation, string> = {
  '8': 'Exchange 2007',
  '14': 'Exchange 2010',
  '15': 'Exchange 2013 or later',
};

/** Generations every generation-bearing cue (markers, titles, X-FEServer) allows. */
function cueGenerations(signals: readonly Signal[]): { allowed: Set<Generation>; cues: Signal[] } {
  const cues = signals.filter((s) => s.generations !== null && rankOf(s) === 0 && s.foreign === undefined);
  const allowed = new Set<Generation>(['8', '14', '15']);
  for (const cue of cues) {
    for (const g of [...allowed]) if (!(cue.generations ?? []).includes(g)) allowed.delete(g);
  }
  return { allowed, cues };
}

export function checkGenerations(
  signals: readonly Signal[],
  build: string | null,
  conflicts: Conflict[],
): void {
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
export function productHintOf(signals: readonly Signal[]): string | null {
  const { allowed, cues } = cueGenerations(signals);
  if (cues.length === 0 || allowed.size !== 1) return null;
  const [only] = [...allowed];
  return only === '8' || only === '14' ? only : null;
}
