// The knowledge base through the schemas: the files of a data directory and of the user overlay
// validated with zod (a user directory is input: a bad file is an InputError naming file and
// field), the overlay merged over the shipped data, then indexed (knowledge-base.ts). The package's
// own data, checked by the test suite, can skip the schemas (`checked`); see knowledge-base.ts.
import type { z } from 'zod';
import { InputError } from '../core/errors.js';
import {
  buildsFileSchema,
  cveEntrySchema,
  cvesFileSchema,
  cvesOverlaySchema,
  lifecycleFileSchema,
  lifecycleOverlaySchema,
  metaOverlaySchema,
  metaSchema,
  productInfoSchema,
} from './data-schema.js';
import {
  indexKnowledgeBase,
  parseShippedJson,
  type DataFileName,
  type DataFileText,
  type KnowledgeBase,
  type KnowledgeSources,
} from './knowledge-base.js';

function parseJson<S extends z.ZodType>(f: DataFileText, schema: S, user: boolean): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(f.text);
  } catch (e) {
    const message = `not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
    if (user) throw new InputError(message, { file: f.file });
    throw new Error(`${f.file}: ${message}`, { cause: e });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue === undefined ? undefined : issue.path.map(String).join('.');
    const message = issue?.message ?? 'invalid';
    if (user) throw new InputError(message, { file: f.file, field });
    throw new Error(`${f.file}: ${field ?? ''}: ${message}`);
  }
  return parsed.data;
}

/**
 * Validates, merges (the overlay over the shipped data) and indexes the knowledge base. `checked`:
 * the shipped files are the package's own, which the test suite checks against these schemas, so
 * they are taken as they are; the overlay is validated either way.
 */
export function buildKnowledgeBase(src: KnowledgeSources, opts: { checked?: boolean } = {}): KnowledgeBase {
  const raws: string[] = [];
  const userFiles: string[] = [];
  const base = <S extends z.ZodType>(name: DataFileName, schema: S): z.infer<S> => {
    const f = src.data[name];
    raws.push(f.text);
    return opts.checked === true ? (parseShippedJson(f) as z.infer<S>) : parseJson(f, schema, false);
  };
  const overlay = <S extends z.ZodType>(name: DataFileName, schema: S): z.infer<S> | null => {
    const f = src.user[name];
    if (f === undefined) return null;
    raws.push(f.text);
    userFiles.push(name);
    return parseJson(f, schema, true);
  };
  let meta = base('meta.json', metaSchema);
  const buildMap = new Map(base('builds.json', buildsFileSchema).builds.map((b) => [b.build, b] as const));
  const cveMap = new Map(base('cves.json', cvesFileSchema).cves.map((c) => [c.id, c] as const));
  const productMap = new Map(
    base('lifecycle.json', lifecycleFileSchema).products.map((p) => [p.product, p] as const),
  );

  const userMeta = overlay('meta.json', metaOverlaySchema);
  if (userMeta !== null) {
    const asOf = userMeta.asOf !== undefined && userMeta.asOf > meta.asOf ? userMeta.asOf : meta.asOf;
    meta = metaSchema.parse({ ...meta, ...stripUndefined(userMeta), asOf });
  }
  const userBuilds = overlay('builds.json', buildsFileSchema);
  if (userBuilds !== null) for (const b of userBuilds.builds) buildMap.set(b.build, b);
  const userCves = overlay('cves.json', cvesOverlaySchema);
  userCves?.cves.forEach((c, i) => {
    const merged = { ...cveMap.get(c.id), ...stripUndefined(c) };
    const full = cveEntrySchema.safeParse(merged);
    if (!full.success) {
      throw new InputError(`a new CVE needs every field: ${full.error.issues[0]?.message ?? 'invalid'}`, {
        file: src.user['cves.json']?.file ?? 'cves.json',
        field: `cves.${i}.${full.error.issues[0]?.path.map(String).join('.') ?? ''}`,
      });
    }
    cveMap.set(c.id, full.data);
  });
  const userLifecycle = overlay('lifecycle.json', lifecycleOverlaySchema);
  userLifecycle?.products.forEach((p, i) => {
    const full = productInfoSchema.safeParse({ ...productMap.get(p.product), ...stripUndefined(p) });
    if (!full.success) {
      throw new InputError(`a new product needs every field: ${full.error.issues[0]?.message ?? 'invalid'}`, {
        file: src.user['lifecycle.json']?.file ?? 'lifecycle.json',
        field: `products.${i}`,
      });
    }
    productMap.set(p.product, full.data);
  });

  return indexKnowledgeBase(
    {
      meta,
      builds: buildMap.values(),
      cves: cveMap.values(),
      products: productMap.values(),
      raws,
      userFiles,
    },
    src,
  );
}

/** Zod's partial objects carry explicit undefineds; an overlay must not erase base fields with them. */
function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
