// How large a scan is, known before its first packet: for the process's memory policy (the CLI
// bounds V8's heap growth only for large scans, cli/v8-tuning.ts), not for the scan itself.
import type { ValidationSummary } from '../scope/index.js';

/**
 * At most how many endpoints a scan probes: the targets' own estimate (scope/expand.ts), or, when
 * targets are listed in files (which that estimate does not read), the listed targets the
 * pre-flight checked times the ports. Null when a file lists an address range: its size is not
 * counted before the scan walks it.
 */
export function endpointsAtMost(
  estimate: number | null,
  listed: ValidationSummary,
  ports: number,
): number | null {
  if (estimate !== null) return estimate;
  return listed.ranges > 0 ? null : listed.checked * Math.max(1, ports);
}
