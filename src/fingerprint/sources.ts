// Where a build number comes from, how sources rank, and how they are named in conflict notes.
import type { EvidenceSignal } from '../core/result-schema.js';
import type { Signal } from './types.js';

export const RANK: Partial<Record<EvidenceSignal, number>> = {
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

export const SOURCE_LABEL: Partial<Record<EvidenceSignal, string>> = {
  'x-owa-version': 'X-OWA-Version',
  'ecp-version-dir': 'the ECP version directory',
  'owa-legacy-asset-path': 'the 2007/2010 asset path',
  'exporttool-manifest': 'the export tool manifest',
  'owa-asset-path': 'the asset path',
};

export const rankOf = (s: Signal): number => RANK[s.signal] ?? 0;
export const labelOf = (s: Signal): string => SOURCE_LABEL[s.signal] ?? s.signal;
