// Report rendering: HTML and PDF of synthetic runs of 100, 1,000 and 10,000 endpoints, each size in a
// fresh process (its peak RSS is that size's), with Chromium's own memory summed over its processes.
import { locateBrowser } from '../../../src/report/chromium.js';
import { mb, round, type BenchContext } from '../context.js';
import { runJob, type RenderResult } from '../job-protocol.js';
import { MIXED_RUN, syntheticRunsAvailable } from '../synthetic-run.js';

const JOB_MS = 8 * 60_000;

export interface RenderFigures {
  endpoints: number;
  htmlSeconds: number;
  htmlMb: number;
  /** Chromium start (once per `report` call). */
  chromiumLaunchSeconds: number | null;
  /** writeReports with format pdf, browser already running (its own HTML pass included). */
  pdfSeconds: number | null;
  pdfPages: number | null;
  pdfMb: number | null;
  nodePeakRssMb: number;
  chromiumPeakPssMb: number | null;
}

export async function render(ctx: BenchContext): Promise<RenderFigures[]> {
  if (!syntheticRunsAvailable()) {
    ctx.note(
      `render: skipped — the report fixture ${MIXED_RUN} is missing (it ships with a clone of the repository)`,
    );
    return [];
  }
  const located = await locateBrowser();
  const browser = 'tried' in located ? null : located;
  if ('tried' in located) ctx.note(`render: no PDF figures — ${located.tried.join('; ')}`);
  else ctx.note(`render: PDFs printed by ${located.label} (${located.executable})`);
  const out: RenderFigures[] = [];
  for (const n of ctx.options.sizes.renderHosts) {
    ctx.log(`render: ${n.toLocaleString('en-GB')} endpoints (synthetic run)`);
    const dir = await ctx.dir(`render-${n}`);
    const r = await runJob<RenderResult>({ op: 'render', count: n, dir, browser }, JOB_MS);
    const f: RenderFigures = {
      endpoints: r.count,
      htmlSeconds: round(r.htmlMs / 1000),
      htmlMb: mb(r.htmlBytes),
      chromiumLaunchSeconds: r.pdf === null ? null : round(r.pdf.launchMs / 1000),
      pdfSeconds: r.pdf === null ? null : round(r.pdf.pdfMs / 1000),
      pdfPages: r.pdf?.pages ?? null,
      pdfMb: r.pdf === null ? null : mb(r.pdf.bytes),
      nodePeakRssMb: mb(r.memory.peakRssBytes),
      chromiumPeakPssMb: r.memory.peakTreeBytes === null ? null : mb(r.memory.peakTreeBytes),
    };
    ctx.log(
      `  HTML ${f.htmlSeconds} s, PDF ${String(f.pdfSeconds)} s (${String(f.pdfPages)} pages); node peak ${f.nodePeakRssMb} MB, Chromium peak ${String(f.chromiumPeakPssMb)} MB`,
    );
    out.push(f);
  }
  return out;
}
