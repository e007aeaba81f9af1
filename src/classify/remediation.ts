// What the owner should do about a verdict: one plain sentence, ordered steps with links to
// Microsoft's update pages, and — when the verdict is only "possible" — what to check on the server.
import type { CveFinding, ExchangeVerdict, ProductName } from '../core/result-schema.js';
import { compareBuilds, cuOf } from '../core/build-number.js';
import type { BuildEntry, CveEntry } from './data-schema.js';
import { evaluateCve, fromEntry } from './evaluate.js';
import { lineKey, type KnowledgeBase } from './knowledge-base.js';

export interface UpdateLink {
  name: string;
  build: string;
  kb: string | null;
  url: string | null;
  released: string | null;
}

export interface Remediation {
  /** One plain sentence for the owner. */
  headline: string;
  /** Ordered, most urgent first. */
  steps: { text: string; update: UpdateLink | null }[];
  /** For 'possible' verdicts: what to check on the server, how, and against which build. */
  checkLocally: string | null;
}

type Step = Remediation['steps'][number];

const SE: ProductName = 'Exchange Server SE';
const CU_KINDS: ReadonlySet<string> = new Set(['CU', 'RTM', 'SP']);
const EXSETUP =
  'Run `Get-Command ExSetup.exe | ForEach-Object { $_.FileVersionInfo.FileVersion }` in the Exchange Management Shell ' +
  'on the server: it prints the installed build including security updates (Get-ExchangeServer shows only the CU).';

export function updateLink(product: ProductName, e: BuildEntry): UpdateLink {
  return { name: `${product} ${e.name}`, build: e.build, kb: e.kb, url: e.url, released: e.released };
}

function short(product: ProductName): string {
  return product.replace('Exchange Server ', 'Exchange ');
}

interface Context {
  product: ProductName;
  /** The host's CU line when the build places it on one. */
  line: string | null;
  lineBuilds: readonly BuildEntry[];
  serviced: boolean;
  superseded: boolean;
  latest: BuildEntry | null;
  extendedEnd: string | null;
  kev: CveFinding[];
  config: { finding: CveFinding; cve: CveEntry }[];
}

function contextOf(kb: KnowledgeBase, v: ExchangeVerdict): Context {
  const cu = v.build === null ? null : cuOf(v.build);
  const cuBuilds = cu === null ? [] : (kb.index.publishedByCu.get(cu) ?? []);
  const line = cuBuilds[0]?.line ?? null;
  const lineBuilds = line === null ? [] : (kb.index.byLine.get(lineKey(v.product, line)) ?? []);
  const config: Context['config'] = [];
  for (const f of v.cves) {
    const cve = kb.cves.find((c) => c.id === f.id);
    const lines = cve?.configRemedy?.lines ?? [];
    if (cve !== undefined && lines.some((l) => l.product === v.product && (line === null || l.line === line)))
      config.push({ finding: f, cve });
  }
  return {
    product: v.product,
    line,
    lineBuilds,
    serviced: line !== null && kb.index.servicedLines.has(lineKey(v.product, line)),
    superseded: kb.index.supersededProducts.has(v.product),
    latest: kb.index.byProduct.get(v.product)?.at(-1) ?? null,
    extendedEnd: kb.index.productInfo.get(v.product)?.extendedEnd ?? null,
    kev: v.cves.filter((c) => c.kev),
    config,
  };
}

export function remediation(kb: KnowledgeBase, verdict: ExchangeVerdict): Remediation {
  const ctx = contextOf(kb, verdict);
  const steps: Step[] = [];
  if (verdict.patchLevel === 'unknown' && !ctx.superseded) {
    steps.push({
      text: `Update owa-audit's knowledge base (owa-audit data update; data as of ${kb.asOf}) and classify this host again.`,
      update: null,
    });
  }
  const needsUpdate = verdict.patchLevel === 'vulnerable' || verdict.patchLevel === 'outdated';
  const configOnly =
    ctx.kev.length > 0 && ctx.kev.every((f) => ctx.config.some((c) => c.finding.id === f.id));
  if (needsUpdate) steps.push(...updateSteps(kb, verdict, ctx));
  const installs = steps.some((s) => s.update !== null);
  for (const [text, ids] of settingGroups(ctx)) {
    steps.push({ text: `${text} (${ids.join(', ')})`, update: null });
  }
  if (!verdict.supported || ctx.superseded) steps.push(migrationStep(kb, ctx));
  return {
    headline: headline(kb, verdict, ctx, configOnly, installs),
    steps,
    checkLocally: checkLocally(kb, verdict, ctx),
  };
}

function headline(
  kb: KnowledgeBase,
  v: ExchangeVerdict,
  ctx: Context,
  configOnly: boolean,
  installs: boolean,
): string {
  const p = short(v.product);
  const ids =
    ctx.kev
      .slice(0, 3)
      .map((f) => f.id)
      .join(', ') + (ctx.kev.length > 3 ? ', …' : '');
  switch (v.patchLevel) {
    case 'vulnerable':
      if (v.certainty === 'confirmed') {
        return `This ${p} server lacks fixes for vulnerabilities that attackers are known to exploit (${ids}): update it now.`;
      }
      if (configOnly) {
        return (
          `This ${p} server may be exposed to a known-exploited vulnerability (${ids}) that only a setting closes on its version: ` +
          `check that setting${installs ? ' and install the missing updates' : ''}.`
        );
      }
      return `This ${p} server may lack fixes for vulnerabilities that attackers are known to exploit (${ids}): check its exact build and update it.`;
    case 'outdated':
      if (ctx.superseded) {
        return `${v.product} no longer receives security updates${ctx.extendedEnd === null ? '' : ` (support ended ${ctx.extendedEnd})`}: replace it with Exchange Server SE.`;
      }
      return v.certainty === 'confirmed'
        ? `This ${p} server is missing security updates: install the latest update for its version.`
        : `This ${p} server may be missing security updates: check its exact build and install the latest update.`;
    case 'current':
      return v.supported
        ? `This ${p} server has the latest security update known to owa-audit (data as of ${kb.asOf}).`
        : `This ${p} server has the latest update for its version, but ${v.product} is out of support${ctx.extendedEnd === null ? '' : ` since ${ctx.extendedEnd}`}: plan the move to Exchange Server SE.`;
    case 'unknown':
      return `This ${p} build is newer than owa-audit's knowledge base (data as of ${kb.asOf}): it cannot be judged until the data is updated.`;
  }
}

/** The update(s) to install: the newest build of the host's line, or a current CU and its newest update. */
function updateSteps(kb: KnowledgeBase, v: ExchangeVerdict, ctx: Context): Step[] {
  if (ctx.latest === null) return []; // e.g. 2007: nothing in the data to install
  const hasEsu = (kb.index.productInfo.get(ctx.product)?.esu.length ?? 0) > 0;
  const esuOnly = (e: BuildEntry): string =>
    hasEsu && ctx.extendedEnd !== null && e.released > ctx.extendedEnd
      ? ' (released after the end of support: Extended Security Update customers only)'
      : '';
  const p = short(ctx.product);
  if (ctx.line !== null && ctx.serviced) {
    const target = ctx.lineBuilds.at(-1);
    if (
      target === undefined ||
      (v.build !== null && v.build.split('.').length === 4 && compareBuilds(v.build, target.build) >= 0)
    )
      return [];
    const final = ctx.superseded
      ? `Until the server is replaced, install the final update for ${p}`
      : `Install the latest update for ${p} ${ctx.line}`;
    return [
      {
        text: `${final}: ${target.name} (${target.build})${esuOnly(target)}.`,
        update: updateLink(ctx.product, target),
      },
    ];
  }
  // The host's CU no longer gets updates (or is unknown): move to the CU of the newest build first.
  const latestLine = kb.index.byLine.get(lineKey(ctx.product, ctx.latest.line)) ?? [];
  const cu = latestLine.find((b) => CU_KINDS.has(b.kind)) ?? latestLine[0];
  const steps: Step[] = [];
  const why =
    ctx.line === null
      ? ''
      : ` ${ctx.line} no longer receives security updates${ctx.kev.some((f) => f.fixedIn === null) ? ', and some exploited vulnerabilities were never fixed on it' : ''}.`;
  const lead = ctx.superseded
    ? `Until the server is replaced, bring it to the final ${p} version:`
    : `Install ${p}`;
  if (cu !== undefined && cu.build !== ctx.latest.build) {
    steps.push({ text: `${lead} ${cu.name} (${cu.build}).${why}`, update: updateLink(ctx.product, cu) });
    steps.push({
      text: `Then install ${ctx.latest.name} (${ctx.latest.build})${esuOnly(ctx.latest)}.`,
      update: updateLink(ctx.product, ctx.latest),
    });
  } else {
    steps.push({
      text: `${lead} ${ctx.latest.name} (${ctx.latest.build})${esuOnly(ctx.latest)}.${why}`,
      update: updateLink(ctx.product, ctx.latest),
    });
  }
  return steps;
}

function migrationStep(kb: KnowledgeBase, ctx: Context): Step {
  const seBuilds = kb.index.byProduct.get(SE) ?? [];
  const seLatest = seBuilds.at(-1);
  const seLine = seLatest === undefined ? [] : (kb.index.byLine.get(lineKey(SE, seLatest.line)) ?? []);
  const seCu = seLine.find((b) => CU_KINDS.has(b.kind));
  const end = ctx.extendedEnd === null ? '' : ` (support ended ${ctx.extendedEnd})`;
  const latestText =
    seLatest === undefined ? '' : `, then its latest update ${seLatest.name} (${seLatest.build})`;
  const how =
    ctx.product === 'Exchange Server 2016' || ctx.product === 'Exchange Server 2019'
      ? 'Plan the move to Exchange Server SE'
      : 'Replace it: move the mailboxes to Exchange Server SE';
  return {
    text: `${how}${end}: install SE ${seCu?.name ?? ''}${seCu === undefined ? '' : ` (${seCu.build})`}${latestText}.`.replace(
      'SE :',
      'SE:',
    ),
    update: seCu === undefined ? null : updateLink(SE, seCu),
  };
}

/** For 'possible' verdicts: read ExSetup.exe's version and compare it with the builds that matter. */
function checkLocally(kb: KnowledgeBase, v: ExchangeVerdict, ctx: Context): string | null {
  const possibleKev = ctx.kev.some((f) => f.certainty === 'possible');
  if (v.patchLevel === 'unknown' || (v.certainty !== 'possible' && !possibleKev)) return null;
  const parts = [EXSETUP];
  const configNote = [...settingGroups(ctx)]
    .map(
      ([text, ids]) =>
        ` Also check this setting, without which ${ids.join(', ')} ${ids.length === 1 ? 'remains' : 'remain'} open: ${text}`,
    )
    .join('');
  if (ctx.line !== null && ctx.lineBuilds.length > 0) {
    const newest = ctx.lineBuilds.at(-1);
    const safe = firstWithoutExploited(kb, ctx.lineBuilds);
    if (safe === null) {
      parts.push(
        `No update for ${ctx.line} fixes every known-exploited vulnerability: whatever it shows, a newer CU is needed.`,
      );
    } else if (safe !== ctx.lineBuilds[0]) {
      parts.push(
        `If it is lower than ${safe.build} (${safe.name}), fixes for known-exploited vulnerabilities are missing.`,
      );
    }
    if (newest !== undefined) {
      parts.push(
        `If it is lower than ${newest.build} (${newest.name}), the newest update for ${ctx.line}, security updates are missing.`,
      );
    }
  } else if (ctx.latest !== null) {
    parts.push(
      `Compare it with ${ctx.latest.build} (${ctx.latest.name}), the newest ${v.product} build known to owa-audit.`,
    );
  }
  return parts.join(' ') + configNote;
}

/** The settings the host's CVEs need, one entry per instruction text: text → CVE ids. */
function settingGroups(ctx: Context): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const { finding, cve } of ctx.config) {
    const text = cve.configRemedy?.text ?? 'Apply the configuration Microsoft documents.';
    groups.set(text, [...(groups.get(text) ?? []), finding.id]);
  }
  return groups;
}

/** The first build of a line to which no known-exploited CVE applies for certain. */
export function firstWithoutExploited(
  kb: KnowledgeBase,
  lineBuilds: readonly BuildEntry[],
): BuildEntry | null {
  // Only the known-exploited CVEs decide, so only they are evaluated: what judgeCandidate would
  // count as certainly applying, for a tenth of the work (a report asks this per distinct verdict,
  // after the last request).
  const exploited = kb.cves.filter((cve) => cve.kev);
  for (const b of lineBuilds) {
    const c = fromEntry(b);
    if (!exploited.some((cve) => evaluateCve(kb, cve, c).state === 'applies')) return b;
  }
  return null;
}
