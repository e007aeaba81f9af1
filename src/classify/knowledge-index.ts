// The knowledge base's lookup tables, built once from the validated data: builds by CU, CU line
// and product, which lines got the last wave of updates, and the CVE rules by line.
import type { ProductName } from '../core/result-schema.js';
import { cuOf } from '../core/build-number.js';
import type { BuildEntry, CveEntry, CveRule, ProductInfo } from './data-schema.js';
import { dateWithin } from '../core/time.js';

export interface KnowledgeIndex {
  /** Every listed build, disputed ones included. */
  byBuild: ReadonlyMap<string, BuildEntry>;
  /** "15.1.2507" → every listed build of that CU, disputed ones included, ascending. */
  byCu: ReadonlyMap<string, readonly BuildEntry[]>;
  /** As byCu without disputed builds: the builds that count as published. */
  publishedByCu: ReadonlyMap<string, readonly BuildEntry[]>;
  /** lineKey(product, line) → published builds of that CU line, ascending. */
  byLine: ReadonlyMap<string, readonly BuildEntry[]>;
  /** Published builds of each product, ascending. */
  byProduct: ReadonlyMap<ProductName, readonly BuildEntry[]>;
  /** Published CUs (3-part) of each product, ascending. */
  cusOfProduct: ReadonlyMap<ProductName, readonly string[]>;
  productInfo: ReadonlyMap<ProductName, ProductInfo>;
  /** Lines that received the product's newest security release (as of the data). */
  servicedLines: ReadonlySet<string>;
  /** Products that no longer received security updates at the as-of date of the data. */
  supersededProducts: ReadonlySet<ProductName>;
  /** CVE id → lineKey → rule. */
  rules: ReadonlyMap<string, ReadonlyMap<string, CveRule>>;
  /** CVE id → lineKeys that never received a fix. */
  withoutFix: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * CVE id → lineKey → the first build from which a setting closes it on that line (null: every
   * build), for the lines where the remedy is a setting that is off by default.
   */
  configLines: ReadonlyMap<string, ReadonlyMap<string, string | null>>;
}

export function lineKey(product: ProductName, line: string): string {
  return `${product}|${line}`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Kinds that deliver security fixes; a new CU alone does not retire the previous CU line. */
const SECURITY_KINDS: ReadonlySet<string> = new Set(['SU', 'HU', 'RU', 'SP']);

export function buildIndex(
  asOf: string,
  builds: readonly BuildEntry[],
  cves: readonly CveEntry[],
  products: readonly ProductInfo[],
): KnowledgeIndex {
  const byBuild = new Map<string, BuildEntry>();
  const byCu = new Map<string, BuildEntry[]>();
  const publishedByCu = new Map<string, BuildEntry[]>();
  const byLine = new Map<string, BuildEntry[]>();
  const byProduct = new Map<ProductName, BuildEntry[]>();
  const lastSecurity = new Map<ProductName, string>();
  for (const b of builds) {
    const cu = cuOf(b.build) ?? b.build;
    byBuild.set(b.build, b);
    push(byCu, cu, b);
    if (b.confidence === 'disputed') continue;
    push(publishedByCu, cu, b);
    push(byLine, lineKey(b.product, b.line), b);
    push(byProduct, b.product, b);
    if (SECURITY_KINDS.has(b.kind) && b.released > (lastSecurity.get(b.product) ?? ''))
      lastSecurity.set(b.product, b.released);
  }
  const cusOfProduct = new Map<ProductName, string[]>();
  for (const [product, list] of byProduct) {
    cusOfProduct.set(product, [...new Set(list.map((b) => cuOf(b.build) ?? b.build))]);
  }
  // A line is serviced when its newest build is at least as recent as the product's newest
  // security release: it got the last wave of updates (e.g. 2019 CU14 and CU15 both got Aug26SU).
  const servicedLines = new Set<string>();
  for (const [key, list] of byLine) {
    const product = list[0]?.product;
    if (product === undefined) continue;
    const newest = list.reduce((d, b) => (b.released > d ? b.released : d), '');
    if (newest >= (lastSecurity.get(product) ?? '')) servicedLines.add(key);
  }
  const productInfo = new Map(products.map((p) => [p.product, p] as const));
  const supersededProducts = new Set<ProductName>();
  for (const p of products) {
    if (p.extendedEnd === null || p.extendedEnd >= asOf) continue;
    if (p.esu.some((e) => dateWithin(asOf, e.start, e.end))) continue;
    supersededProducts.add(p.product);
  }
  const rules = new Map<string, Map<string, CveRule>>();
  const withoutFix = new Map<string, Set<string>>();
  const configLines = new Map<string, Map<string, string | null>>();
  for (const c of cves) {
    rules.set(c.id, new Map(c.rules.map((r) => [lineKey(r.product, r.line), r] as const)));
    withoutFix.set(c.id, new Set(c.linesWithoutFix.map((l) => lineKey(l.product, l.line))));
    configLines.set(
      c.id,
      new Map(
        (c.configRemedy?.lines ?? []).map((l) => [lineKey(l.product, l.line), l.minBuild ?? null] as const),
      ),
    );
  }
  return {
    byBuild,
    byCu,
    publishedByCu,
    byLine,
    byProduct,
    cusOfProduct,
    productInfo,
    servicedLines,
    supersededProducts,
    rules,
    withoutFix,
    configLines,
  };
}
