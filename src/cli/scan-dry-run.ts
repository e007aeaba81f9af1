// `owa-audit scan <file> --dry-run [--json]`: the plan instead of the scan (scan/plan-scan.ts).
// Text: the summary and the first endpoints; JSON Lines: every endpoint and name in scan order,
// then the plan as the last line.
import { planScan } from '../scan/plan-scan.js';
import { planText } from '../scan/plan-text.js';
import type { ScanOverrides } from '../scan/run-scan.js';
import type { ShardSpec } from '../run-store/run-meta.js';
import type { TargetItem } from '../scope/types.js';
import { revealControls } from '../core/text.js';

const SAMPLE = 20;

/** One JSON line: the endpoint's fields, or the unprobeable item as it is (same fields plus why). */
function itemJson(item: TargetItem): object {
  return item.kind === 'endpoint' ? { kind: item.kind, ...item.endpoint } : item;
}

function itemLine(item: TargetItem): string {
  if (item.kind === 'unprobeable')
    return revealControls(`${item.target}:${item.port}  no probe (${item.code}): ${item.message}`);
  const e = item.endpoint;
  const ip = e.ip.includes(':') ? `[${e.ip}]` : e.ip;
  const where =
    e.host === null ? `${e.scheme}://${ip}:${e.port}` : `${e.scheme}://${e.host}:${e.port}  (${e.ip})`;
  return revealControls(`${where}${e.owner === null ? '' : `  owner ${e.owner.name}`}`);
}

export async function dryRun(
  scanPath: string,
  opts: { overrides: ScanOverrides; shard: ShardSpec | null; json: boolean; today: string | undefined },
): Promise<void> {
  const sample: string[] = [];
  const plan = await planScan({
    scanPath,
    overrides: opts.overrides,
    shard: opts.shard,
    ...(opts.today === undefined ? {} : { today: opts.today }),
    onItem: (item) => {
      if (opts.json) process.stdout.write(`${JSON.stringify(itemJson(item))}\n`);
      else if (sample.length < SAMPLE) sample.push(itemLine(item));
    },
  });
  if (opts.json) process.stdout.write(`${JSON.stringify({ kind: 'plan', ...plan })}\n`);
  else process.stdout.write(planText(plan, sample));
}
