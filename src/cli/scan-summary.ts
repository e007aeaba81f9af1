// The few lines a person reads when a scan ends: what was found and where the report is.
import type { RunScanResult } from '../scan/run-scan.js';

export function printScanSummary(result: RunScanResult, out: { write(text: string): unknown }): void {
  const c = result.meta.counts;
  const s = result.summary;
  const secs = (s.elapsedMs / 1000).toFixed(1);
  out.write(
    `${s.aborted ? 'stopped' : 'done'}: ${s.records} endpoints in ${secs} s (${s.requests} requests` +
      `${s.skipped > 0 ? `, ${s.skipped} already done` : ''}) — ` +
      `exchange ${c.exchange}, exchange-online ${c['exchange-online']}, not-exchange ${c['not-exchange']}, ` +
      `unreachable ${c.unreachable}, error ${c.error}\n`,
  );
  const r = result.reports;
  if (r === null) return;
  for (const [label, path] of [
    ['report', r.html],
    ['pdf', r.pdf],
    ['csv', r.csv],
  ] as const) {
    if (path !== null) out.write(`${label}: ${path}\n`);
  }
  if (r.owners.length > 0) out.write(`per-owner reports: ${r.owners.length} under owners/\n`);
  if (r.pdfBrowser !== null) out.write(`PDFs printed by ${r.pdfBrowser}\n`);
}
