// The print queue hands every document over exactly once — when Chromium prints it, or when it
// never will — so a writer that waits for the hand-over (write-reports.ts: results.csv and
// intelmq.jsonl) cannot wait forever. With a browser: report-overlap.integration.test.ts.
import { expect, it } from 'vitest';
import { startPdfs, type PdfJob } from '../src/report/pdf-jobs.js';
import { runningText } from '../src/report/running-text.js';
import type { LaunchOutcome } from '../src/report/pdf.js';

function job(name: string, log: string[]): PdfJob {
  return {
    html: `/nonexistent/${name}.html`,
    pdf: `/nonexistent/${name}.pdf`,
    opts: runningText(false),
    done: () => log.push(`${name} done`),
    handedOver: () => log.push(`${name} handed over`),
  };
}

it('hands the documents over when there is no browser, before and after it is known', async () => {
  const log: string[] = [];
  const warnings: string[] = [];
  let launch = (_: LaunchOutcome): void => undefined;
  const queue = startPdfs(new Promise<LaunchOutcome>((resolve) => (launch = resolve)), warnings);
  queue.add(job('main', log));
  expect(log).toEqual([]); // still launching
  launch({ problem: 'no browser here' });
  await new Promise((resolve) => setImmediate(resolve));
  expect(log).toEqual(['main handed over']);
  queue.add(job('owner', log));
  expect(log).toEqual(['main handed over', 'owner handed over']);
  const outcome = await queue.end();
  expect(outcome.problem).toMatch(/no PDF renderer/);
  expect(warnings).toEqual(['no browser here']);
});

it('hands the documents over when the writer aborts while the browser is launching', async () => {
  const log: string[] = [];
  const queue = startPdfs(new Promise<LaunchOutcome>(() => undefined), []);
  queue.add(job('main', log));
  void queue.abort();
  await new Promise((resolve) => setImmediate(resolve));
  expect(log).toEqual(['main handed over']);
});
