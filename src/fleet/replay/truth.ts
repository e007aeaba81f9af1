// The `truth.*` keys of a replay transcript: what a correct scan of the host must conclude,
// written into a HostExpectation (checked by check.ts).
import {
  CERTAINTIES,
  ENDPOINT_STATUSES,
  ERROR_CODES,
  EVIDENCE_SIGNALS,
  PATCH_LEVELS,
  PRECISIONS,
  PRODUCTS,
  type Certainty,
  type EvidenceSignal,
} from '../../core/result-schema.js';
import type { HostExpectation } from '../types.js';

/** Throws the parser's error for the current line. */
export type Fail = (message: string) => never;

const YES_NO: Record<string, boolean> = { yes: true, no: false };

function oneOf<T extends string>(list: readonly T[], value: string): T | null {
  return (list as readonly string[]).includes(value) ? (value as T) : null;
}

export function listOf(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function signalsOf(fail: Fail, value: string): EvidenceSignal[] {
  return listOf(value).map((s) => oneOf(EVIDENCE_SIGNALS, s) ?? fail(`unknown evidence signal "${s}"`));
}

/** Applies one `truth.*` key to the expectation being built. */
export function applyTruth(fail: Fail, e: Partial<HostExpectation>, key: string, value: string): void {
  const yesNo = (): boolean => YES_NO[value] ?? fail(`${key} must be yes or no, got "${value}"`);
  const must = <T extends string>(list: readonly T[]): T =>
    oneOf(list, value) ?? fail(`${key} must be one of ${list.join(', ')}; got "${value}"`);
  switch (key) {
    case 'truth.status':
      e.status = must(ENDPOINT_STATUSES);
      return;
    case 'truth.product':
      e.product = must(PRODUCTS);
      return;
    case 'truth.build':
      e.build = value;
      return;
    case 'truth.precision':
      e.precision = must(PRECISIONS);
      return;
    case 'truth.error':
      e.error = must(ERROR_CODES);
      return;
    case 'truth.signals':
      e.signals = signalsOf(fail, value);
      return;
    case 'truth.absent-signals':
      e.absentSignals = signalsOf(fail, value);
      return;
    case 'truth.contradicted':
      e.contradicted = yesNo();
      return;
    case 'truth.lower-bound':
      e.lowerBound = yesNo();
      return;
    case 'truth.supported':
      e.supported = yesNo();
      return;
    case 'truth.patch-level':
      e.patchLevel = must(PATCH_LEVELS);
      return;
    case 'truth.not-patch-level':
      e.notPatchLevels = listOf(value).map(
        (v) => oneOf(PATCH_LEVELS, v) ?? fail(`unknown patch level "${v}"`),
      );
      return;
    case 'truth.certainty':
      e.certainty = must(CERTAINTIES);
      return;
    case 'truth.cve': {
      const [id, certainty] = listOf(value);
      const sure = oneOf(CERTAINTIES, certainty ?? '');
      if (id === undefined || !/^CVE-\d{4}-\d{4,7}$/.test(id) || sure === null)
        fail(`truth.cve must be "CVE-YYYY-NNNN confirmed|possible", got "${value}"`);
      (e.cves ??= []).push({ id, certainty: sure satisfies Certainty });
      return;
    }
    case 'truth.why':
      e.why = value;
      return;
    default:
      fail(`unknown key "${key}"`);
  }
}
