// The shape run.json must have to be read back (resume, report, merge, reclassify). Loose at the
// top level and in nested objects that other commands or newer versions extend.
import { z } from 'zod';
import { ENDPOINT_STATUSES } from '../core/result-schema.js';

export const RUN_SCHEMA = 'owa-audit/run@1' as const;

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
export const runSchema = z.looseObject({
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
