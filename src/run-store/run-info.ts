// The one place that reads run.json for the reports. run.json is written by the engine and may
// gain, rename or lose fields over time: everything is read tolerantly here (a rename is a one-line
// change in the `pick` lists below) and the rest of the report code sees only RunInfo.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RUN_FILE } from './run-dir.js';
import { InputError } from '../core/errors.js';

export interface RunInfo {
  name: string;
  scanFilePath: string | null;
  authorisation: {
    by: string | null;
    reference: string | null;
    contact: string | null;
    validUntil: string | null;
  };
  tool: { name: string; version: string | null };
  data: { version: string | null; asOf: string | null };
  startedAt: string | null;
  finishedAt: string | null;
  /** running | finished | stopped (as the engine writes it); null when absent. */
  state: string | null;
  /** Effective probe settings, flattened to label → text for display. */
  settings: { label: string; value: string }[];
  requests: number | null;
  /** How many times the run was resumed after a stop. */
  resumes: number;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first of `keys` that holds a value of the wanted kind. */
function pick(obj: unknown, keys: readonly string[]): unknown {
  if (!isObject(obj)) return undefined;
  for (const k of keys) if (obj[k] !== undefined && obj[k] !== null) return obj[k];
  return undefined;
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

const SETTING_LABELS: readonly [keys: readonly string[], label: string][] = [
  [['rate'], 'Request rate (per second, all hosts)'],
  [['concurrency'], 'Endpoints in parallel'],
  [['hostGapMs', 'host_gap_ms'], 'Minimum gap per IP (ms)'],
  [['timeoutMs', 'timeout_ms'], 'Request timeout (ms)'],
  [['mode'], 'Probe mode'],
  [['maxRequestsPerEndpoint'], 'Requests per endpoint (max)'],
];

function settingsOf(raw: unknown): { label: string; value: string }[] {
  const probe = pick(raw, ['probe']) ?? raw;
  const out: { label: string; value: string }[] = [];
  for (const [keys, label] of SETTING_LABELS) {
    const v = str(pick(probe, keys));
    if (v !== null) out.push({ label, value: v });
  }
  const ports = pick(raw, ['ports']);
  if (Array.isArray(ports)) {
    const text = ports
      .map((p) => (isObject(p) ? `${str(p.port) ?? '?'}/${str(p.scheme) ?? '?'}` : str(p)))
      .filter((p): p is string => p !== null)
      .join(', ');
    if (text !== '') out.push({ label: 'Ports', value: text });
  }
  return out;
}

/** Interprets a parsed run.json; pure, for tests. */
export function runInfoFrom(raw: unknown, fallbackName: string): RunInfo {
  const auth = pick(raw, ['authorisation', 'authorization']);
  const tool = pick(raw, ['tool']);
  const data = pick(raw, ['data', 'dataVersion']);
  const scanFile = pick(raw, ['scanFile', 'scan_file']);
  return {
    name: str(pick(raw, ['name'])) ?? fallbackName,
    scanFilePath: str(pick(scanFile, ['path'])) ?? (typeof scanFile === 'string' ? scanFile : null),
    authorisation: {
      by: str(pick(auth, ['by'])),
      reference: str(pick(auth, ['reference', 'ref'])),
      contact: str(pick(auth, ['contact'])),
      validUntil: str(pick(auth, ['validUntil', 'valid_until'])),
    },
    tool: { name: str(pick(tool, ['name'])) ?? 'owa-audit', version: str(pick(tool, ['version'])) },
    data: {
      version: str(pick(data, ['version', 'dataVersion'])) ?? (typeof data === 'string' ? data : null),
      asOf: str(pick(data, ['asOf', 'as_of'])),
    },
    startedAt: str(pick(raw, ['startedAt', 'started_at'])),
    finishedAt: str(pick(raw, ['finishedAt', 'finished_at'])),
    state: str(pick(raw, ['state'])),
    settings: settingsOf(pick(raw, ['settings'])),
    requests: num(pick(raw, ['requests', 'requestsSent'])) ?? num(pick(pick(raw, ['counts']), ['requests'])),
    resumes: (() => {
      const r = pick(raw, ['resumedAt', 'resumed_at']);
      return Array.isArray(r) ? r.length : 0;
    })(),
  };
}

/**
 * Reads `<runDir>/run.json` tolerantly (reports and the history must read runs of any version);
 * a missing or unparseable file is bad input (exit status 2). `text` is the file as it is.
 */
export async function readRunJson(runDir: string): Promise<{ info: RunInfo; text: string }> {
  const file = join(runDir, RUN_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? 'not a run directory: run.json is missing'
        : `cannot read run.json (${code ?? 'error'})`,
      { file },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`run.json is not valid JSON: ${(e as Error).message}`, { file });
  }
  if (!isObject(raw)) throw new InputError('run.json does not hold a JSON object', { file });
  const base =
    runDir
      .replace(/[/\\]+$/, '')
      .split(/[/\\]/)
      .pop() ?? 'run';
  return { info: runInfoFrom(raw, base), text };
}

export async function readRunInfo(runDir: string): Promise<RunInfo> {
  return (await readRunJson(runDir)).info;
}
