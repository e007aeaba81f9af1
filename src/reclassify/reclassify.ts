// Re-deriving a record's verdict with the current knowledge base, without scanning: the
// classifier's input is rebuilt from what the record says was seen. A 4-part build goes in as
// exact (classify itself treats an unpublished number as approximate — and a number published
// since the scan becomes exact), unless the version evidence was contradicted; a 3-part build is
// a CU; no build, only the product, is a product hint. The build's source and the contradiction
// are facts the verdict carries in fields (`buildSource`, `contradicted`). Records written before
// those fields existed (they have no `buildSource`) give them through their evidence's fields: the
// source is the version signal whose value is the build, and an approximate 4-part verdict with
// `conflict` evidence is taken as contradicted — never a claim beyond what such a record proves.
import { parseVersionHint } from '../core/build-number.js';
import { classify, type VerdictBasis } from '../classify/classify.js';
import type { KnowledgeBase } from '../classify/knowledge-base.js';
import {
  endpointKey,
  type CveFinding,
  type EvidenceSignal,
  type ExchangeVerdict,
  type Precision,
  type ProductName,
  type ResultRecord,
} from '../core/result-schema.js';

/** The version text a product-only verdict stands for (what the fingerprint's hint would be). */
const PRODUCT_HINT: Readonly<Record<ProductName, string>> = {
  'Exchange Server 2007': '8',
  'Exchange Server 2010': '14',
  'Exchange Server 2013': '15.0',
  'Exchange Server 2016': '15.1',
  'Exchange Server 2019': '15.2',
  'Exchange Server SE': '15.2.2562',
};

export interface ClassifierInput extends VerdictBasis {
  build: string;
  precision: Precision;
}

/** Signals whose value is the build itself (older records name the source only there). */
const VERSION_SIGNALS: readonly EvidenceSignal[] = [
  'x-owa-version',
  'ecp-version-dir',
  'owa-legacy-asset-path',
  'exporttool-manifest',
  'owa-asset-path',
];

function basisOf(record: Pick<ResultRecord, 'exchange' | 'evidence'>, build: string): VerdictBasis {
  const v = record.exchange;
  if (v?.buildSource !== undefined) return { source: v.buildSource, contradicted: v.contradicted === true };
  // A record written before `buildSource` existed: the facts are in its evidence.
  const contradicted =
    v?.precision === 'approximate' &&
    build.split('.').length === 4 &&
    record.evidence.some((e) => e.signal === 'conflict');
  const source =
    VERSION_SIGNALS.find((s) => record.evidence.some((e) => e.signal === s && e.value === build)) ?? null;
  return { source, contradicted };
}

export function classifierInput(record: Pick<ResultRecord, 'exchange' | 'evidence'>): ClassifierInput | null {
  const v = record.exchange;
  if (v === null) return null;
  if (v.build === null || v.precision === 'product')
    return { build: PRODUCT_HINT[v.product], precision: 'product' };
  const parsed = parseVersionHint(v.build);
  if (parsed === null) return null;
  const basis = basisOf(record, parsed.text);
  if (parsed.parts.length === 4)
    return { build: parsed.text, precision: basis.contradicted === true ? 'approximate' : 'exact', ...basis };
  if (parsed.parts.length === 3) return { build: parsed.text, precision: 'cu', ...basis };
  return { build: PRODUCT_HINT[v.product], precision: 'product' };
}

export interface VerdictChange {
  key: string;
  target: string;
  build: string | null;
  before: Pick<ExchangeVerdict, 'patchLevel' | 'certainty' | 'release' | 'precision'>;
  after: Pick<ExchangeVerdict, 'patchLevel' | 'certainty' | 'release' | 'precision'>;
  patchLevelChanged: boolean;
  releaseChanged: boolean;
  cvesAdded: string[];
  cvesRemoved: string[];
  /** CVEs that apply and are known exploited now but were not (flag set, or newly applying with it). */
  kevNow: string[];
  kevNoLonger: string[];
}

function kevIds(cves: readonly CveFinding[]): Set<string> {
  return new Set(cves.filter((c) => c.kev).map((c) => c.id));
}

export function compareVerdicts(
  record: Pick<ResultRecord, 'target' | 'scheme' | 'ip' | 'port' | 'host'>,
  before: ExchangeVerdict,
  after: ExchangeVerdict,
): VerdictChange | null {
  const idsBefore = new Set(before.cves.map((c) => c.id));
  const idsAfter = new Set(after.cves.map((c) => c.id));
  const kevBefore = kevIds(before.cves);
  const kevAfter = kevIds(after.cves);
  const change: VerdictChange = {
    key: endpointKey(record),
    target: record.target,
    build: after.build,
    before: {
      patchLevel: before.patchLevel,
      certainty: before.certainty,
      release: before.release,
      precision: before.precision,
    },
    after: {
      patchLevel: after.patchLevel,
      certainty: after.certainty,
      release: after.release,
      precision: after.precision,
    },
    patchLevelChanged: before.patchLevel !== after.patchLevel || before.certainty !== after.certainty,
    releaseChanged: before.release !== after.release || before.precision !== after.precision,
    cvesAdded: [...idsAfter].filter((id) => !idsBefore.has(id)).sort(),
    cvesRemoved: [...idsBefore].filter((id) => !idsAfter.has(id)).sort(),
    kevNow: [...kevAfter].filter((id) => !kevBefore.has(id)).sort(),
    kevNoLonger: [...kevBefore].filter((id) => !kevAfter.has(id)).sort(),
  };
  const changed =
    change.patchLevelChanged ||
    change.releaseChanged ||
    change.cvesAdded.length > 0 ||
    change.cvesRemoved.length > 0 ||
    change.kevNow.length > 0 ||
    change.kevNoLonger.length > 0;
  return changed ? change : null;
}

export type Reclassified =
  | { kind: 'unchanged-input'; record: ResultRecord }
  | { kind: 'rejudged'; record: ResultRecord; change: VerdictChange | null }
  | { kind: 'failed'; record: ResultRecord; message: string };

/** The record with its verdict re-derived; records without a verdict are returned as they are. */
export function reclassifyRecord(kb: KnowledgeBase, record: ResultRecord, today: string): Reclassified {
  const before = record.exchange;
  const input = classifierInput(record);
  if (before === null || input === null) return { kind: 'unchanged-input', record };
  let after: ExchangeVerdict;
  try {
    after = classify(kb, input.build, input.precision, {
      today,
      source: input.source ?? null,
      contradicted: input.contradicted === true,
    });
  } catch (e) {
    return { kind: 'failed', record, message: e instanceof Error ? e.message : String(e) };
  }
  return {
    kind: 'rejudged',
    record: { ...record, exchange: after },
    change: compareVerdicts(record, before, after),
  };
}
