// run.json: the one model of a run's description (README "Run directory"). The types say what is
// written; `runSchema` checks what is read back — strictly for the commands that continue a run
// (resume, merge, reclassify), and through `looseRunMeta` tolerantly for the outputs (reports,
// history), which must read a run of any version: a field that is missing or malformed is then
// unknown, never fatal. Loose at the top level and in nested objects that other commands or newer
// versions extend, so their fields survive a resume.
import { z } from 'zod';
import { ENDPOINT_STATUSES, type EndpointStatus } from '../core/result-schema.js';
import type { Authorisation, PortSpec, ProbeSettings } from '../scanfile/types.js';

export const RUN_SCHEMA = 'owa-audit/run@1' as const;

export type RunState = 'running' | 'finished' | 'stopped';

/** Effective settings: the scan file's probe section with CLI overrides applied. */
export interface RunSettings extends ProbeSettings {
  ports: PortSpec[];
  maxRequestsPerEndpoint: number;
}

/** One part of a scan split with `scan --shard K/N`: `index` is K, from 1 to `count` (N). */
export interface ShardSpec {
  index: number;
  count: number;
}

/** One shard run that went into a merged run (`owa-audit merge`). */
export interface MergedShard {
  /** The shard run directory, absolute, as it was when merged. */
  dir: string;
  index: number;
  state: RunState;
  startedAt: string;
  finishedAt: string | null;
  requests: number;
  /** Records taken from its results.jsonl. */
  records: number;
  /** Its request rate (per second): the shards' rates add up to the merged run's. */
  rate: number;
  tool: { name: string; version: string };
}

/** Set on a run written by `owa-audit merge`. */
export interface MergeInfo {
  mergedAt: string;
  /** N of the shard runs (scan --shard K/N). */
  shardCount: number;
  /** The shards merged, by index. */
  shards: MergedShard[];
  /** Indices (1..N) that were not merged (`merge --partial`); empty when complete. */
  missing: number[];
}

export interface RunMeta {
  schema: typeof RUN_SCHEMA;
  name: string;
  /** The scan file as given: its path and its text (resume reads the scan from here). */
  scanFile: { path: string; source: string };
  authorisation: Authorisation;
  settings: RunSettings;
  /** The settings that came from the command line rather than the scan file. */
  overrides: Partial<ProbeSettings>;
  tool: { name: string; version: string };
  data: { version: string | null; asOf: string | null };
  startedAt: string;
  /** Set when the run finished; null while running or stopped. */
  finishedAt: string | null;
  state: RunState;
  /** Records in results.jsonl by status. */
  counts: Record<EndpointStatus, number>;
  /** Requests sent over every session of this run. */
  requests: number;
  /** When each resume started. */
  resumedAt: string[];
  /** Set by `reclassify`: when the verdicts were last derived again with newer data. */
  reclassifiedAt?: string;
  /** Set by `reclassify`: the data version the scan itself used (`data` then names the newer one). */
  scanData?: { version: string | null; asOf: string | null };
  /** The part of the scan this run covers (`scan --shard K/N`); null for a whole scan. Absent in older runs. */
  shard?: ShardSpec | null;
  /** Set on a merged run: which shard runs it was merged from. */
  merged?: MergeInfo;
}

const countsSchema = z.object(
  Object.fromEntries(ENDPOINT_STATUSES.map((s) => [s, z.number().int().nonnegative()])),
);
const shardSchema = z
  .object({ index: z.number().int().positive(), count: z.number().int().positive() })
  .refine((s) => s.index <= s.count, { error: 'shard index above the shard count' });
const mergeSchema = z.looseObject({
  mergedAt: z.string(),
  shardCount: z.number().int().positive(),
  shards: z.array(
    z.looseObject({
      dir: z.string(),
      index: z.number().int().positive(),
      state: z.enum(['running', 'finished', 'stopped']),
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
      requests: z.number().int().nonnegative(),
      records: z.number().int().nonnegative(),
      rate: z.number().positive(),
      tool: z.object({ name: z.string(), version: z.string() }),
    }),
  ),
  missing: z.array(z.number().int().positive()),
});
// Fields written by other commands or a newer version survive a resume.
const runSchema = z.looseObject({
  schema: z.literal(RUN_SCHEMA),
  name: z.string(),
  scanFile: z.object({ path: z.string(), source: z.string() }),
  authorisation: z.object({
    by: z.string(),
    reference: z.string(),
    contact: z.string(),
    validUntil: z.string(),
  }),
  settings: z.looseObject({
    rate: z.number().positive(),
    concurrency: z.number().int().positive(),
    hostGapMs: z.number().nonnegative(),
    timeoutMs: z.number().positive(),
    mode: z.enum(['standard', 'thorough']),
    resolvers: z.array(z.string()),
    ports: z.array(z.object({ port: z.number().int(), scheme: z.enum(['https', 'http']) })),
    maxRequestsPerEndpoint: z.number().int().positive(),
  }),
  overrides: z.record(z.string(), z.unknown()),
  tool: z.object({ name: z.string(), version: z.string() }),
  data: z.object({ version: z.string().nullable(), asOf: z.string().nullable() }),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  state: z.enum(['running', 'finished', 'stopped']),
  counts: countsSchema,
  requests: z.number().int().nonnegative(),
  resumedAt: z.array(z.string()),
  reclassifiedAt: z.string().optional(),
  scanData: z.object({ version: z.string().nullable(), asOf: z.string().nullable() }).optional(),
  shard: shardSchema.nullable().optional(),
  merged: mergeSchema.optional(),
});

/** The first problem of a run.json that does not fit the model, as "field: message". */
export type RunMetaParse = { ok: true; meta: RunMeta } | { ok: false; problem: string };

/** Strict: the whole model, for the commands that continue a run. */
export function parseRunMeta(raw: unknown): RunMetaParse {
  const parsed = runSchema.safeParse(raw);
  if (parsed.success) {
    // zod's optional fields admit `undefined` where exactOptionalPropertyTypes does not; same shape.
    return { ok: true, meta: parsed.data as unknown as RunMeta };
  }
  const issue = parsed.error.issues[0];
  const where = issue === undefined ? '' : `${issue.path.join('.')}: `;
  return { ok: false, problem: `${where}${issue?.message ?? 'invalid'}` };
}

/** A run.json as the outputs read it: each field of the model when it is there and fits, else absent. */
export type LooseRunMeta = Loose<RunMeta>;
type Loose<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: Loose<T[K]> | undefined }
    : T;

/** The model made tolerant, object by object: every field optional, one that does not fit dropped. */
function tolerant(schema: z.ZodType): z.ZodType {
  if (!(schema instanceof z.ZodObject)) return schema;
  const shape = schema.shape as Record<string, z.ZodType>;
  return z.looseObject(
    Object.fromEntries(
      Object.entries(shape).map(([key, field]) => [key, tolerant(field).optional().catch(undefined)]),
    ),
  );
}

const looseRunSchema = tolerant(runSchema);

/** Tolerant: what can be read of any run.json object (a missing or malformed field is left out). */
export function looseRunMeta(raw: Record<string, unknown>): LooseRunMeta {
  const parsed = looseRunSchema.safeParse(raw);
  return parsed.success ? (parsed.data as LooseRunMeta) : {};
}
