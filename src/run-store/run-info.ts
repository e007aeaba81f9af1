// What the outputs (reports, history, notifications) read of a run.json: the one model
// (run-meta.ts) read tolerantly — reports and the history must read runs of any version, so a
// field that is missing or malformed is shown as unknown instead of failing the report.
import { InputError } from '../core/errors.js';
import { looseRunMeta, type LooseRunMeta } from './run-meta.js';
import { readRunFile } from './run-dir.js';

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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type Settings = NonNullable<LooseRunMeta['settings']>;

const SETTING_LABELS: readonly [key: keyof Settings, label: string][] = [
  ['rate', 'Request rate (per second, all hosts)'],
  ['concurrency', 'Endpoints in parallel'],
  ['hostGapMs', 'Minimum gap per IP (ms)'],
  ['timeoutMs', 'Request timeout (ms)'],
  ['mode', 'Probe mode'],
  ['maxRequestsPerEndpoint', 'Requests per endpoint (max)'],
];

function settingsOf(settings: Settings | undefined): { label: string; value: string }[] {
  if (settings === undefined) return [];
  const out: { label: string; value: string }[] = [];
  for (const [key, label] of SETTING_LABELS) {
    const v = settings[key];
    if (typeof v === 'string' || typeof v === 'number') out.push({ label, value: String(v) });
  }
  if (settings.ports !== undefined && settings.ports.length > 0)
    out.push({ label: 'Ports', value: settings.ports.map((p) => `${p.port}/${p.scheme}`).join(', ') });
  return out;
}

/** Interprets a parsed run.json; pure, for tests. */
export function runInfoFrom(raw: Record<string, unknown>, fallbackName: string): RunInfo {
  const m = looseRunMeta(raw);
  return {
    name: m.name ?? fallbackName,
    scanFilePath: m.scanFile?.path ?? null,
    authorisation: {
      by: m.authorisation?.by ?? null,
      reference: m.authorisation?.reference ?? null,
      contact: m.authorisation?.contact ?? null,
      validUntil: m.authorisation?.validUntil ?? null,
    },
    tool: { name: m.tool?.name ?? 'owa-audit', version: m.tool?.version ?? null },
    data: { version: m.data?.version ?? null, asOf: m.data?.asOf ?? null },
    startedAt: m.startedAt ?? null,
    finishedAt: m.finishedAt ?? null,
    state: m.state ?? null,
    settings: settingsOf(m.settings),
    requests: m.requests ?? null,
    resumes: m.resumedAt?.length ?? 0,
  };
}

/**
 * Reads `<runDir>/run.json` tolerantly (reports and the history must read runs of any version);
 * a missing or unparseable file is bad input (exit status 2). `text` is the file as it is.
 */
export async function readRunJson(runDir: string): Promise<{ info: RunInfo; text: string }> {
  const read = await readRunFile(runDir);
  if (!read.ok) {
    const code = (read.cause as NodeJS.ErrnoException | undefined)?.code;
    throw new InputError(
      read.missing
        ? 'not a run directory: run.json is missing'
        : code === undefined
          ? `run.json is ${read.message}`
          : `cannot read run.json (${code})`,
      { file: read.file },
    );
  }
  if (!isObject(read.raw)) throw new InputError('run.json does not hold a JSON object', { file: read.file });
  const base =
    runDir
      .replace(/[/\\]+$/, '')
      .split(/[/\\]/)
      .pop() ?? 'run';
  return { info: runInfoFrom(read.raw, base), text: read.text };
}

export async function readRunInfo(runDir: string): Promise<RunInfo> {
  return (await readRunJson(runDir)).info;
}
