// Scan files the bench writes for its fleets: an ordinary scan file, as a user would write one,
// so the bench measures `runScan` exactly as `owa-audit scan` runs it.
import { stringify } from 'yaml';
import { intToIpv4, ipv4ToInt } from '../../src/fleet/specs.js';
import { aYearAfter } from '../../src/core/time.js';

export interface BenchScanInput {
  name: string;
  include: string[];
  /** Inline targets, or a targets file (one per line); absent: every address of `include`. */
  targets?: string[] | { file: string };
  /** As in a scan file: 19443, or "http:18080". */
  ports: (number | string)[];
  rate: number;
  concurrency: number;
  hostGapMs: number;
  timeoutMs: number;
  /** YYYY-MM-DD; default: a year from now. */
  validUntil?: string;
}

export function benchScanFile(input: BenchScanInput): string {
  const doc: Record<string, unknown> = {
    name: input.name,
    authorisation: {
      by: 'owa-audit bench (simulated fleet on loopback; no real host is scanned)',
      reference: 'BENCH-1',
      contact: 'bench@owa-audit.invalid',
      valid_until: input.validUntil ?? aYearAfter(),
    },
    scope: { include: input.include },
    ...(input.targets === undefined
      ? {}
      : { targets: Array.isArray(input.targets) ? input.targets : [{ file: input.targets.file }] }),
    ports: input.ports,
    probe: {
      rate: input.rate,
      concurrency: input.concurrency,
      host_gap_ms: input.hostGapMs,
      timeout_ms: input.timeoutMs,
      mode: 'standard',
    },
  };
  return `# Written by \`npm run bench\`.\n${stringify(doc)}`;
}

/** The fewest CIDR blocks that cover exactly `count` IPv4 addresses from `first` on. */
export function cidrCover(first: string, count: number): string[] {
  const out: string[] = [];
  let start = ipv4ToInt(first);
  let left = count;
  while (left > 0) {
    // The largest aligned block at `start` that does not overshoot.
    let size = 1;
    while (size * 2 <= left && start % (size * 2) === 0) size *= 2;
    out.push(`${intToIpv4(start)}/${32 - Math.log2(size)}`);
    start += size;
    left -= size;
  }
  return out;
}
