// The shape of the knowledge-base files in data/ (and of a user data directory that overlays them:
// same file names, same shape, every file optional there). Validated on load because a user
// directory is input; the shipped files pass the same checks.
import { z } from 'zod';
import { CVE_SEVERITIES, PRODUCTS } from '../core/result-schema.js';

const product = z.enum(PRODUCTS);
const build4 = z.string().regex(/^\d{1,6}\.\d{1,6}\.\d{1,6}\.\d{1,6}$/, 'a 4-part build number');
/** A day, or only a month where no day is known. */
const date = z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'YYYY-MM-DD or YYYY-MM');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
/** A CVE id, or a Microsoft security advisory id (ADV190018, ADV24199947). */
const cveId = z.string().regex(/^(CVE-\d{4}-\d{4,7}|ADV\d{6,8})$/, 'a CVE or advisory id');

export const BUILD_KINDS = ['RTM', 'CU', 'SU', 'HU', 'SP', 'RU', 'Preview', 'interim'] as const;
export const CONFIDENCES = ['high', 'medium', 'low', 'disputed'] as const;

export const buildEntrySchema = z.object({
  build: build4,
  product,
  /** The CU line: "CU23", "RTM", "SP1" (2013 SP1 = CU4), "SP3" (2010), "Preview". */
  line: z.string().min(1).max(40),
  /** The update's name, e.g. "CU23 Nov24SUv2". */
  name: z.string().min(1).max(120),
  kind: z.enum(BUILD_KINDS),
  released: date,
  kb: z
    .string()
    .regex(/^KB\d{6,8}$/)
    .nullable(),
  url: z.url().nullable(),
  /** disputed: the sources disagree about this number; never proof of anything (data-sources/README.md "Disputed builds"). */
  confidence: z.enum(CONFIDENCES),
  sources: z.array(z.string()),
  dispute: z.string().optional(),
  dateNote: z.string().optional(),
  alsoNamed: z.array(z.string()).optional(),
  /**
   * This update is not cumulative over earlier updates of its CU: it holds only these fixes (the
   * March 2021 updates for CUs that were already out of support).
   */
  onlyFixes: z.array(cveId).optional(),
});
export type BuildEntry = z.infer<typeof buildEntrySchema>;

const lineRef = z.object({ product, line: z.string().min(1) });
export type LineRef = z.infer<typeof lineRef>;

export const cveRuleSchema = z.object({
  product,
  line: z.string().min(1),
  /** First build on this line that contains the fix. */
  minBuild: build4,
  update: z.string(),
  basis: z.string().optional(),
  /** A later build that one source requires for the complete fix; builds in between are "possible". */
  strictMinBuild: build4.optional(),
  /**
   * The build fixes it by turning a setting on by default (e.g. "extended-protection"): fixed, unless
   * someone turned the setting off, which no build number shows.
   */
  setting: z.string().optional(),
});
export type CveRule = z.infer<typeof cveRuleSchema>;

export const cveEntrySchema = z.object({
  id: cveId,
  name: z.string(),
  kev: z.boolean(),
  kevAdded: day.nullable(),
  affects: z.array(product),
  fixingUpdate: z.string(),
  fixDate: day,
  rules: z.array(cveRuleSchema),
  /** CU lines of an affected product that never received a fix: vulnerable at every build. */
  linesWithoutFix: z.array(lineRef),
  /**
   * Lines where the remedy is a setting that is off by default: from minBuild on (every build when
   * absent) the CVE is open until the setting is on, which no build number shows ("possible"); below
   * minBuild the setting cannot close it yet (the CVE applies, fixed by minBuild and then the setting).
   */
  configRemedy: z
    .object({
      /** The setting's id in data-sources/settings.json, e.g. "extended-protection". */
      setting: z.string().optional(),
      lines: z.array(lineRef.extend({ minBuild: build4.optional() })),
      text: z.string(),
    })
    .optional(),
  notes: z.string(),
  /** Microsoft's MSRC title. */
  title: z.string().optional(),
  /** Microsoft's CVSS v3 base score; null where Microsoft published none. */
  score: z.number().min(0).max(10).nullable().optional(),
  /** The CVSS v3.1 rating of the score. */
  severity: z.enum(CVE_SEVERITIES).nullable().optional(),
  cvssVector: z.string().nullable().optional(),
  /** Why the score is empty, where it is. */
  scoreNote: z.string().optional(),
  /** Where the entry's facts come from. */
  sources: z.array(z.string()).optional(),
});
export type CveEntry = z.infer<typeof cveEntrySchema>;

export const esuPeriodSchema = z.object({
  period: z.number().int().positive(),
  start: date,
  end: date,
  eligibleLines: z.array(z.string()),
  endNote: z.string().optional(),
  confidence: z.string().optional(),
});
export type EsuPeriod = z.infer<typeof esuPeriodSchema>;

export const productInfoSchema = z.object({
  product,
  versions: z.string(),
  released: day,
  mainstreamEnd: day.nullable(),
  /** Null under the Modern Lifecycle Policy (Exchange SE): no fixed end. */
  extendedEnd: day.nullable(),
  esu: z.array(esuPeriodSchema),
  confidence: z.string(),
  notes: z.array(z.string()),
  /** For products older than the build list: the last update Microsoft released. */
  finalBuild: z.object({ build: build4, name: z.string() }).optional(),
});
export type ProductInfo = z.infer<typeof productInfoSchema>;

export const metaSchema = z.object({
  format: z.literal('owa-audit/data@1'),
  asOf: day,
  description: z.string().optional(),
  sources: z.array(z.object({ id: z.string(), what: z.string(), ref: z.string() })).optional(),
  knownGaps: z.array(z.string()).optional(),
});
export type DataMeta = z.infer<typeof metaSchema>;

export const buildsFileSchema = z.object({ builds: z.array(buildEntrySchema) });
export const cvesFileSchema = z.object({ cves: z.array(cveEntrySchema) });
export const lifecycleFileSchema = z.object({ products: z.array(productInfoSchema) });

/** A user overlay may change single fields of a CVE (e.g. set kev) without repeating the rest. */
export const cvesOverlaySchema = z.object({ cves: z.array(cveEntrySchema.partial().required({ id: true })) });
export const lifecycleOverlaySchema = z.object({
  products: z.array(productInfoSchema.partial().required({ product: true })),
});
export const metaOverlaySchema = metaSchema.partial();
