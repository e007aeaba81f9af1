// How much of Chromium's print of a report is layout: traces the print of an HTML file (a run's
// report.html) and prints, per print, its duration and the full style-and-layout passes inside it:
// with the page loaded as the screen sees it, with print media emulated before the load (what
// src/report/pdf.ts does), and that again with Chromium's header and footer templates added (what
// it did before the running text became the document's margin boxes; src/report/running-text.ts).
// Plain JavaScript over the built product (`npm run build`).
//
//   node tools/pdf-layouts.mjs RUN_DIR/report.html [--repeat N]
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { launchFirstBrowser } from '../dist/report/pdf.js';
import { headerFooterTemplates, runningText } from '../dist/report/running-text.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { repeat: { type: 'string', default: '3' } },
});
if (positionals.length !== 1) {
  process.stderr.write('usage: node tools/pdf-layouts.mjs FILE.html [--repeat N]\n');
  process.exit(2);
}
const url = pathToFileURL(positionals[0]).href;
const repeat = Number(values.repeat);
const traceFile = join(tmpdir(), `owa-audit-pdf-layouts-${process.pid}.json`);

const launched = await launchFirstBrowser();
if ('problem' in launched) {
  process.stderr.write(`${launched.problem}\n`);
  process.exit(1);
}
const { renderer } = launched;
const say = (line) => process.stdout.write(`${line}\n`);
say(`browser: ${renderer.description}`);

/** One print of the document: its duration, and the layouts inside Chromium's print message. */
async function printOnce(printMedia, templates) {
  const page = await renderer.browser.newPage();
  try {
    await page.setJavaScriptEnabled(false);
    if (printMedia) await page.emulateMediaType('print');
    await page.goto(url, { waitUntil: 'load' });
    await page.tracing.start({ path: traceFile, categories: ['blink', 'toplevel', 'devtools.timeline'] });
    const started = performance.now();
    await page.pdf({
      format: 'A4',
      printBackground: true,
      outline: true,
      tagged: true,
      waitForFonts: false,
      margin: { top: '16mm', bottom: '15mm', left: '14mm', right: '14mm' },
      ...(templates ? { displayHeaderFooter: true, ...headerFooterTemplates(runningText(false)) } : {}),
    });
    const ms = Math.round(performance.now() - started);
    await page.tracing.stop();
    const events = JSON.parse(readFileSync(traceFile, 'utf8')).traceEvents.filter(
      (e) => e.ph === 'X' && e.dur,
    );
    // The print is the longest task of the renderer: the message that asks it to print.
    const print = events.filter((e) => e.name === 'Receive mojo message').sort((a, b) => b.dur - a.dur)[0];
    const layouts =
      print === undefined
        ? []
        : events
            .filter(
              (e) =>
                e.name === 'Document::UpdateStyleAndLayout' &&
                e.pid === print.pid &&
                e.ts >= print.ts &&
                e.ts <= print.ts + print.dur,
            )
            .map((e) => Math.round(e.dur / 1000))
            .filter((d) => d >= 5);
    return { ms, layouts };
  } finally {
    await page.close();
  }
}

try {
  for (let i = 0; i < repeat; i++) {
    for (const [label, printMedia, templates] of [
      ['screen at load              ', false, false],
      ['print media at load         ', true, false],
      ['print media, with templates ', true, true],
    ]) {
      const { ms, layouts } = await printOnce(printMedia, templates);
      const sum = layouts.reduce((a, b) => a + b, 0);
      say(`${label}  print ${ms} ms; layouts ≥ 5 ms inside it: [${layouts.join(', ')}] = ${sum} ms`);
    }
  }
} finally {
  rmSync(traceFile, { force: true });
  await renderer.close();
}
