// Names in Latin, Greek, Cyrillic, Chinese, Japanese and Korean print in the PDF, with the browser
// this machine picks first (a system headless shell or Chromium, else the bundled one), with the
// bundled one (which brings almost no fonts of its own), and with a full system Chrome/Chromium
// when the machine prefers a headless shell but has one too: the text is in the PDF, and no glyph of a CJK name falls back to the
// page's primary font — which has no CJK glyphs, so a glyph drawn from it is an empty box ("tofu").
// Chromium tells which fonts drew a node (CSS.getPlatformFontsForNode).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bundledCandidate,
  isExecutable,
  isHeadlessShell,
  systemBrowserPaths,
  systemCandidate,
  type BrowserCandidate,
} from '../src/report/chromium.js';
import { launchFirstBrowser, type PdfRenderer } from '../src/report/pdf.js';
import { writeReports } from '../src/outputs/write-reports.js';
import type { ResultRecord } from '../src/core/result-schema.js';
import { pdfStructure, pdfText, squash } from './fixtures/report/helpers.js';
import { MIXED_RUN } from './fixtures/report/synthetic-run.js';

const NAMES = {
  latin: 'Zoë Müller-Łukasiewicz Ærø SA',
  greek: 'Αθηνά Παπαδοπούλου Α.Ε.',
  cyrillic: 'ООО «Пётр Чайковский»',
  chinese: '北京网络安全有限公司陳',
  japanese: '株式会社さくらテスト渡辺',
  korean: '한국인터넷진흥원',
} as const;
const CJK = [NAMES.chinese, NAMES.japanese, NAMES.korean];

const base = mkdtempSync(join(tmpdir(), 'owa-audit-report-fonts-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** The mixed fixture run with its owners renamed, in turn, to the six names. */
function runWithNames(name: string): string {
  const dir = join(base, name);
  cpSync(MIXED_RUN, dir, { recursive: true });
  const names = Object.values(NAMES);
  let i = 0;
  const lines = readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const r = JSON.parse(l) as ResultRecord;
      if (r.owner === null) return l;
      const owner = { ...r.owner, name: names[i++ % names.length] ?? '' };
      return JSON.stringify({ ...r, owner });
    });
  writeFileSync(join(dir, 'results.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

interface PlatformFont {
  familyName: string;
  postScriptName: string;
  glyphCount: number;
}

interface DomNode {
  nodeId: number;
  nodeName: string;
  nodeValue: string;
  children?: DomNode[];
}

const textOf = (n: DomNode): string =>
  n.nodeName === '#text' ? n.nodeValue : (n.children ?? []).map(textOf).join('');

function* tableCells(n: DomNode): Generator<DomNode> {
  if (n.nodeName === 'TD') yield n;
  for (const c of n.children ?? []) yield* tableCells(c);
}

/** The fonts Chromium used for the first table cell whose whole text is each of `texts`, and for a number cell. */
async function cellFonts(
  renderer: PdfRenderer,
  html: string,
  texts: readonly string[],
): Promise<{ primary: PlatformFont[]; cells: Map<string, PlatformFont[]> }> {
  const page = await renderer.browser.newPage();
  try {
    await page.setJavaScriptEnabled(false);
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    const cdp = await page.createCDPSession();
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1 })) as { root: DomNode };
    const fontsOf = async (n: DomNode): Promise<PlatformFont[]> =>
      (await cdp.send('CSS.getPlatformFontsForNode', { nodeId: n.nodeId })).fonts;
    const cells = new Map<string, PlatformFont[]>();
    let primary: PlatformFont[] = [];
    for (const td of tableCells(root)) {
      const text = textOf(td);
      if (texts.includes(text) && !cells.has(text)) cells.set(text, await fontsOf(td));
      if (primary.length === 0 && /^\d+$/.test(text)) primary = await fontsOf(td);
    }
    return { primary, cells };
  } finally {
    await page.close();
  }
}

async function renderWith(candidates: BrowserCandidate[] | undefined, name: string) {
  const launched = await launchFirstBrowser(candidates);
  if ('problem' in launched) throw new Error(launched.problem);
  const renderer = launched.renderer;
  try {
    const dir = runWithNames(name);
    await writeReports(dir, {
      formats: ['html', 'pdf'],
      perOwner: false,
      browser: renderer,
      now: new Date('2026-11-27T09:00:00Z'),
      historyPath: null,
    });
    const fonts = await cellFonts(renderer, join(dir, 'report.html'), Object.values(NAMES));
    const pdf = join(dir, 'report.pdf');
    return { text: pdfText(pdf), structure: pdfStructure(pdf), fonts, browser: renderer.description, dir };
  } finally {
    await renderer.close();
  }
}

const systemPaths = systemBrowserPaths().filter((p) => isExecutable(p));
const fullSystemPaths = systemPaths.filter((p) => !isHeadlessShell(p));
const shellFirst = systemPaths[0] !== undefined && isHeadlessShell(systemPaths[0]);

describe.each([
  { browser: 'the first browser of this machine', candidates: undefined, run: true },
  { browser: 'the bundled Chromium', candidates: [bundledCandidate()], run: true },
  {
    browser: 'a full system Chromium (this machine prefers a headless shell)',
    candidates: [systemCandidate(fullSystemPaths)],
    run: shellFirst && fullSystemPaths.length > 0,
  },
])('with $browser', ({ browser, candidates, run }) => {
  it.runIf(run)(
    'prints every name, and draws the CJK ones from a font that has them',
    async () => {
      const r = await renderWith(candidates, browser.replace(/\W+/g, '-'));
      console.log(`${browser}: ${r.browser}; PDF ${join(r.dir, 'report.pdf')}`);
      for (const name of Object.values(NAMES)) expect(squash(r.text), name).toContain(squash(name));
      // Tagged: headings, tables with header cells, links — what assistive technology reads.
      expect(r.structure, 'the PDF is tagged').not.toBeNull();
      for (const element of [/^ *H1\b/m, /^ *Table\b/m, /^ *TH\b/m, /^ *TD\b/m, /^ *Link\b/m])
        expect(r.structure, String(element)).toMatch(element);

      expect(r.fonts.primary.length, 'fonts of a number cell').toBeGreaterThan(0);
      const primary = new Set(r.fonts.primary.map((f) => f.postScriptName));
      for (const name of Object.values(NAMES)) expect(r.fonts.cells.has(name), name).toBe(true);
      for (const name of CJK) {
        const used = r.fonts.cells.get(name) ?? [];
        const fromPrimary = used.filter((f) => primary.has(f.postScriptName));
        expect(
          fromPrimary,
          `${name}: glyphs from the primary font (boxes); fonts used ${JSON.stringify(used)}`,
        ).toEqual([]);
        expect(used.reduce((n, f) => n + f.glyphCount, 0)).toBe(Array.from(name).length);
      }
    },
    120_000,
  );
});
