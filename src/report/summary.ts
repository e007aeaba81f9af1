// The summary's presentation: headline, tables and inline-SVG charts from a SummaryCounter.
import { ENDPOINT_STATUSES, PRODUCTS, type PatchLevel } from '../core/result-schema.js';
import { type OwnerCounts, type SummaryCounter } from './summary-counter.js';
import { barChart, NARROW, WIDE, type ChartView } from './charts.js';
import { cveLink } from './links.js';
import { displayText, formatCount, plural } from '../core/text.js';
import { PATCH_LEVEL_LABEL, PATCH_LEVEL_MEANING, STATUS_LABEL } from './vocabulary.js';

/** Most urgent first: the order of every patch-level table and chart. */
const LEVEL_ORDER: readonly PatchLevel[] = ['vulnerable', 'outdated', 'current', 'unknown'];

export interface SummaryView {
  endpoints: string;
  /** Servers: endpoints grouped by machine (one address; several where proven). */
  servers: string;
  /** Exchange servers, and their endpoints. */
  exchange: string;
  exchangeEndpoints: string;
  headline: string;
  tiles: { cls: string; n: string; label: string }[];
  statusRows: { label: string; count: string; share: string }[];
  levelRows: {
    level: string;
    label: string;
    meaning: string;
    confirmed: string;
    possible: string;
    total: string;
  }[];
  productRows: { product: string; total: string; supported: string; eol: string; vulnerable: string }[];
  hasProducts: boolean;
  ownerRows: {
    name: string;
    contact: string;
    endpoints: string;
    exchange: string;
    vulnerable: string;
    eol: string;
    outdated: string;
    current: string;
    unknown: string;
  }[];
  hasOwners: boolean;
  ownersOmitted: string | null;
  unowned: string;
  hasUnowned: boolean;
  kevRows: {
    id: string;
    link: string | null;
    name: string;
    score: string;
    severity: string;
    confirmed: string;
    possible: string;
  }[];
  hasKev: boolean;
  eol: string;
  noVerdict: number;
  levelChart: ChartView;
  productChart: ChartView;
  ownerChart: ChartView | null;
}

const OWNER_TABLE_LIMIT = 200;
const OWNER_CHART_LIMIT = 12;

function share(n: number, total: number): string {
  if (total === 0) return '—';
  const p = (100 * n) / total;
  return p > 0 && p < 1 ? '<1%' : `${Math.round(p)}%`;
}

/** "23 Exchange servers (29 endpoints) found among 43 endpoints on 36 servers." */
function headlineOf(c: SummaryCounter): string {
  const ex = c.exchangeServers;
  const among = `${plural(c.total, 'endpoint')} on ${plural(c.servers, 'server')}`;
  if (ex === 0) return `No on-premises Exchange server was found among ${among}.`;
  const vuln = c.byLevel.vulnerable.confirmed + c.byLevel.vulnerable.possible;
  const parts = [
    `${plural(ex, 'Exchange server')} (${plural(c.exchangeEndpoints, 'endpoint')}) found among ${among}.`,
  ];
  if (vuln > 0)
    parts.push(
      `${formatCount(vuln)} ${vuln === 1 ? 'misses' : 'miss'} fixes for vulnerabilities known to be exploited in the wild.`,
    );
  if (c.eol > 0)
    parts.push(`${formatCount(c.eol)} ${c.eol === 1 ? 'runs a version' : 'run versions'} out of support.`);
  if (vuln === 0 && c.eol === 0 && c.byLevel.outdated.confirmed + c.byLevel.outdated.possible === 0)
    parts.push('None is behind on security updates.');
  return parts.join(' ');
}

function ownerScore(o: OwnerCounts): number[] {
  return [-o.levels.vulnerable, -o.eol, -o.levels.outdated, -o.exchange];
}

export function summaryView(c: SummaryCounter, opts: { withOwners: boolean }): SummaryView {
  const levelRows = LEVEL_ORDER.map((l) => ({
    level: l,
    label: PATCH_LEVEL_LABEL[l],
    meaning: PATCH_LEVEL_MEANING[l],
    confirmed: formatCount(c.byLevel[l].confirmed),
    possible: formatCount(c.byLevel[l].possible),
    total: formatCount(c.byLevel[l].confirmed + c.byLevel[l].possible),
  }));
  const products = PRODUCTS.filter((p) => c.byProduct.has(p));
  const owners = [...c.byOwner.values()].sort((a, b) => {
    const ka = ownerScore(a);
    const kb = ownerScore(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return (ka[i] ?? 0) - (kb[i] ?? 0);
    return a.name.localeCompare(b.name);
  });
  // Most servers first; then the more severe (Microsoft's CVSS score).
  const kev = [...c.kevHosts.entries()].sort(
    (a, b) =>
      b[1].confirmed + b[1].possible - (a[1].confirmed + a[1].possible) ||
      (b[1].score ?? -1) - (a[1].score ?? -1) ||
      a[0].localeCompare(b[0]),
  );

  const levelChart = barChart(
    'Exchange servers by patch level',
    LEVEL_ORDER.map((l) => ({
      label: PATCH_LEVEL_LABEL[l],
      segments: [
        { value: c.byLevel[l].confirmed, cls: `seg-${l}`, label: `${PATCH_LEVEL_LABEL[l]}, confirmed` },
        {
          value: c.byLevel[l].possible,
          cls: `seg-${l}`,
          hatched: true,
          label: `${PATCH_LEVEL_LABEL[l]}, possible`,
        },
      ],
    })),
    [
      { cls: 'seg-vulnerable', label: 'vulnerable' },
      { cls: 'seg-outdated', label: 'outdated' },
      { cls: 'seg-current', label: 'current' },
      { cls: 'seg-unknown', label: 'unknown' },
      { cls: 'seg-neutral', label: 'possible', hatched: true },
    ],
    NARROW,
  );
  const productChart = barChart(
    'Exchange servers by product and support',
    products.map((p) => {
      const row = c.byProduct.get(p) ?? { supported: 0, eol: 0 };
      return {
        label: p.replace('Exchange Server ', 'Exchange '),
        segments: [
          { value: row.supported, cls: 'seg-supported', label: 'supported' },
          { value: row.eol, cls: 'seg-eol', hatched: true, label: 'out of support' },
        ],
      };
    }),
    [
      { cls: 'seg-supported', label: 'supported' },
      { cls: 'seg-eol', label: 'out of support', hatched: true },
    ],
    NARROW,
  );
  const chartOwners = owners.filter((o) => o.exchange > 0).slice(0, OWNER_CHART_LIMIT);
  const ownerChart =
    opts.withOwners && chartOwners.length > 0
      ? barChart(
          chartOwners.length < owners.length
            ? `Exchange servers by owner (top ${chartOwners.length})`
            : 'Exchange servers by owner',
          chartOwners.map((o) => ({
            label: displayText(o.name, 60),
            segments: LEVEL_ORDER.map((l) => ({
              value: o.levels[l],
              cls: `seg-${l}`,
              label: PATCH_LEVEL_LABEL[l],
            })),
          })),
          LEVEL_ORDER.map((l) => ({ cls: `seg-${l}`, label: PATCH_LEVEL_LABEL[l].toLowerCase() })),
          WIDE,
        )
      : null;

  const shownOwners = owners.slice(0, OWNER_TABLE_LIMIT);
  return {
    endpoints: formatCount(c.total),
    servers: formatCount(c.servers),
    exchange: formatCount(c.exchangeServers),
    exchangeEndpoints: formatCount(c.exchangeEndpoints),
    headline: headlineOf(c),
    tiles: [
      {
        cls: 't-endpoints',
        n: formatCount(c.total),
        label: `endpoints checked (${plural(c.servers, 'server')})`,
      },
      {
        cls: 't-exchange',
        n: formatCount(c.exchangeServers),
        label: `Exchange servers (${plural(c.exchangeEndpoints, 'endpoint')})`,
      },
      {
        cls: 't-vulnerable',
        n: formatCount(c.byLevel.vulnerable.confirmed + c.byLevel.vulnerable.possible),
        label: 'vulnerable (known-exploited)',
      },
      { cls: 't-eol', n: formatCount(c.eol), label: 'out of support' },
      {
        cls: 't-outdated',
        n: formatCount(c.byLevel.outdated.confirmed + c.byLevel.outdated.possible),
        label: 'outdated',
      },
    ],
    statusRows: ENDPOINT_STATUSES.map((s) => ({
      label: STATUS_LABEL[s],
      count: formatCount(c.byStatus[s]),
      share: share(c.byStatus[s], c.total),
    })),
    levelRows,
    productRows: products.map((p) => {
      const row = c.byProduct.get(p) ?? { total: 0, supported: 0, eol: 0, vulnerable: 0 };
      return {
        product: p,
        total: formatCount(row.total),
        supported: formatCount(row.supported),
        eol: formatCount(row.eol),
        vulnerable: formatCount(row.vulnerable),
      };
    }),
    hasProducts: products.length > 0,
    ownerRows: opts.withOwners
      ? shownOwners.map((o) => ({
          name: displayText(o.name, 120),
          contact: o.contact === null ? '—' : displayText(o.contact, 120),
          endpoints: formatCount(o.endpoints),
          exchange: formatCount(o.exchange),
          vulnerable: formatCount(o.levels.vulnerable),
          eol: formatCount(o.eol),
          outdated: formatCount(o.levels.outdated),
          current: formatCount(o.levels.current),
          unknown: formatCount(o.levels.unknown),
        }))
      : [],
    hasOwners: opts.withOwners && owners.length > 0,
    ownersOmitted:
      opts.withOwners && owners.length > shownOwners.length
        ? `${formatCount(owners.length - shownOwners.length)} more owners are in results.csv.`
        : null,
    unowned: formatCount(c.unowned),
    hasUnowned: opts.withOwners && c.unowned > 0,
    kevRows: kev.slice(0, 15).map(([id, k]) => ({
      id,
      link: cveLink(id),
      name: k.name,
      score: k.score === null ? '–' : k.score.toFixed(1),
      severity: k.severity ?? 'no score',
      confirmed: formatCount(k.confirmed),
      possible: formatCount(k.possible),
    })),
    hasKev: kev.length > 0,
    eol: formatCount(c.eol),
    noVerdict: c.noVerdict,
    levelChart,
    productChart,
    ownerChart,
  };
}
