// `owa-audit data status`: which data judges verdicts now — the shipped snapshot, what the user
// data directory adds to it, how old the result is, and what the data is known not to cover.
import { isDeepStrictEqual } from 'node:util';
import type { BuildEntry, DataMeta } from '../classify/data-schema.js';
import { dataFreshness, STALE_AFTER_DAYS, type DataFreshness } from '../classify/freshness.js';
import { defaultUserDataDir, loadKnowledgeBase } from '../knowledge/index.js';
import { type KnowledgeBase } from '../classify/knowledge-base.js';
import { PRODUCTS, type ProductName } from '../core/result-schema.js';
import { readOverlay, type UpdateRecord } from './overlay.js';

export interface ProductCount {
  product: ProductName;
  builds: number;
  /** Builds the user data adds. */
  added: number;
  newest: { build: string; name: string; released: string } | null;
}

export interface DataStatus {
  dataVersion: string;
  asOf: string;
  freshness: DataFreshness;
  shipped: { dir: string; asOf: string; dataVersion: string };
  user: {
    dir: string;
    /** Which setting chose the directory. */
    chosenBy: 'OWA_AUDIT_DATA_DIR' | 'XDG_DATA_HOME' | 'default';
    files: string[];
    update: UpdateRecord | null;
  };
  sources: NonNullable<DataMeta['sources']>;
  builds: number;
  products: ProductCount[];
  cves: number;
  kev: number;
  adds: {
    builds: BuildEntry[];
    /** Builds the user data changes (same number, other content). */
    changedBuilds: string[];
    kev: { cve: string; kevAdded: string | null }[];
    /** CVEs with other fields changed (rules for new CU lines, a corrected date…). */
    cves: { cve: string; fields: string[] }[];
  };
  knownGaps: string[];
  warnings: string[];
}

function chosenBy(env: NodeJS.ProcessEnv): DataStatus['user']['chosenBy'] {
  if ((env.OWA_AUDIT_DATA_DIR ?? '').trim() !== '') return 'OWA_AUDIT_DATA_DIR';
  if ((env.XDG_DATA_HOME ?? '').startsWith('/')) return 'XDG_DATA_HOME';
  return 'default';
}

function published(kb: KnowledgeBase, product: ProductName): BuildEntry[] {
  return [...(kb.index.byProduct.get(product) ?? [])];
}

export async function dataStatus(
  opts: { dataDir?: string; userDataDir?: string; env?: NodeJS.ProcessEnv; today?: string } = {},
): Promise<DataStatus> {
  const env = opts.env ?? process.env;
  const userDir = opts.userDataDir ?? defaultUserDataDir(env);
  const dataDir = opts.dataDir === undefined ? {} : { dataDir: opts.dataDir };
  const shipped = loadKnowledgeBase({ ...dataDir, userDataDir: null });
  const kb = loadKnowledgeBase({ ...dataDir, userDataDir: userDir });
  const overlay = await readOverlay(userDir);

  const shippedBuilds = shipped.index.byBuild;
  const added = kb.builds.filter((b) => !shippedBuilds.has(b.build));
  const changedBuilds = kb.builds
    .filter((b) => shippedBuilds.has(b.build) && !isDeepStrictEqual(shippedBuilds.get(b.build), b))
    .map((b) => b.build);
  const shippedCves = new Map(shipped.cves.map((c) => [c.id, c] as const));
  const kev: DataStatus['adds']['kev'] = [];
  const cves: DataStatus['adds']['cves'] = [];
  for (const c of kb.cves) {
    const s = shippedCves.get(c.id);
    if (s === undefined) {
      cves.push({ cve: c.id, fields: ['(new CVE)'] });
      continue;
    }
    if (c.kev && !s.kev) kev.push({ cve: c.id, kevAdded: c.kevAdded });
    const fields = (Object.keys(c) as (keyof typeof c)[]).filter(
      (k) => k !== 'kev' && !isDeepStrictEqual(c[k], s[k]) && !(k === 'kevAdded' && c.kev && !s.kev),
    );
    if (fields.length > 0) cves.push({ cve: c.id, fields });
  }

  const products: ProductCount[] = PRODUCTS.map((product) => {
    const list = published(kb, product);
    const newest = list.at(-1);
    return {
      product,
      builds: list.length,
      added: list.filter((b) => !shippedBuilds.has(b.build)).length,
      newest:
        newest === undefined ? null : { build: newest.build, name: newest.name, released: newest.released },
    };
  }).filter((p) => p.builds > 0);

  const warnings: string[] = [];
  const record = overlay.record;
  if (record !== null && record.shippedDataVersion !== shipped.dataVersion) {
    warnings.push(
      `The shipped data changed since the last data update (owa-audit was upgraded: ${record.shippedDataVersion} → ${shipped.dataVersion}); ` +
        'run `owa-audit data update` so that the user data is rebuilt on top of it.',
    );
  }
  if (record !== null && record.dataVersion !== kb.dataVersion) {
    warnings.push(
      `The user data files were changed after the last data update (recorded ${record.dataVersion}, found ${kb.dataVersion}).`,
    );
  }
  const freshness = dataFreshness(kb, opts.today);
  if (freshness.message !== null) warnings.push(freshness.message);

  return {
    dataVersion: kb.dataVersion,
    asOf: kb.asOf,
    freshness,
    shipped: { dir: shipped.dirs.dataDir, asOf: shipped.asOf, dataVersion: shipped.dataVersion },
    user: { dir: userDir, chosenBy: chosenBy(env), files: kb.dirs.userFiles, update: record },
    sources: kb.meta.sources ?? [],
    builds: kb.builds.filter((b) => b.confidence !== 'disputed').length,
    products,
    cves: kb.cves.length,
    kev: kb.cves.filter((c) => c.kev).length,
    adds: { builds: added, changedBuilds, kev, cves },
    knownGaps: kb.meta.knownGaps ?? [],
    warnings,
  };
}

const short = (product: string): string => product.replace(/^Exchange Server /, '');

export function formatDataStatus(s: DataStatus): string {
  const out: string[] = [];
  out.push(
    `Knowledge base ${s.dataVersion}, as of ${s.asOf} (${s.freshness.ageDays} day(s) old${s.freshness.stale ? ', STALE' : ''}).`,
  );
  out.push(`  Shipped data: ${s.shipped.dir} (as of ${s.shipped.asOf}, ${s.shipped.dataVersion})`);
  const by = s.user.chosenBy === 'default' ? 'default location' : `from ${s.user.chosenBy}`;
  if (s.user.files.length === 0) {
    out.push(`  User data:    none in ${s.user.dir} (${by}); \`owa-audit data update\` writes it there.`);
  } else {
    const u = s.user.update;
    const when =
      u === null
        ? 'not written by data update'
        : `updated ${u.updatedAt.replace(/\.\d+Z$/, 'Z')} by ${u.tool.name} ${u.tool.version}`;
    out.push(`  User data:    ${s.user.dir} (${by}; ${s.user.files.join(', ')}; ${when})`);
    if (u !== null) {
      out.push(`                builds as of ${u.snapshots.builds}, KEV as of ${u.snapshots.kev}`);
      for (const src of u.sources) {
        out.push(
          `                ${src.id.padEnd(8)} ${src.label} (${src.retrievedAt.slice(0, 10)}${src.catalogVersion == null ? '' : `, catalog ${src.catalogVersion}`})`,
        );
      }
    }
  }
  out.push('', 'Sources:');
  for (const src of s.sources) out.push(`  ${src.id.padEnd(10)} ${src.what}\n  ${''.padEnd(10)} ${src.ref}`);

  out.push(
    '',
    `Builds: ${s.builds} published${s.adds.builds.length > 0 ? ` (${s.adds.builds.length} from the user data)` : ''}.`,
  );
  for (const p of s.products) {
    const newest =
      p.newest === null ? '' : `newest ${p.newest.name} ${p.newest.build} (${p.newest.released})`;
    out.push(
      `  ${p.product.padEnd(22)} ${String(p.builds).padStart(4)}${p.added > 0 ? ` (+${p.added})` : '     '}  ${newest}`,
    );
  }
  out.push(
    `CVEs: ${s.cves}, of which ${s.kev} known exploited (CISA KEV)${s.adds.kev.length > 0 ? `, ${s.adds.kev.length} of those from the user data` : ''}.`,
  );

  const adds: string[] = [];
  for (const b of s.adds.builds) {
    adds.push(
      `  build ${short(b.product)} ${b.name} ${b.build} (${b.released}${b.confidence === 'disputed' ? ', disputed' : ''})`,
    );
  }
  if (s.adds.changedBuilds.length > 0)
    adds.push(
      `  changes ${s.adds.changedBuilds.length} shipped build(s): ${s.adds.changedBuilds.join(', ')}`,
    );
  for (const k of s.adds.kev) adds.push(`  KEV ${k.cve} (added ${k.kevAdded ?? '?'})`);
  for (const c of s.adds.cves) adds.push(`  ${c.cve}: ${c.fields.join(', ')}`);
  out.push(
    '',
    adds.length === 0 ? 'The user data adds nothing to the shipped data.' : 'The user data adds:',
    ...adds,
  );

  if (s.knownGaps.length > 0) out.push('', 'Known gaps:', ...s.knownGaps.map((g) => `  - ${g}`));
  if (s.warnings.length > 0) out.push('', ...s.warnings.map((w) => `Warning: ${w}`));
  else
    out.push(
      '',
      `The data is ${s.freshness.ageDays} day(s) old: fresh enough (warning after ${STALE_AFTER_DAYS} days).`,
    );
  return `${out.join('\n')}\n`;
}
