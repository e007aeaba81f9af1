// loadScanFile: YAML → validated ScanFile with every default applied, or one InputError naming
// file, line and field. Nothing downstream reads the YAML. The loader also streams every targets
// file once and checks each listed address and range against the scope (DNS-free checks; names
// outside the include names are left to validateScanTargets, which may resolve them).
import { access, constants, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { isIsoDay, localToday } from '../core/time.js';
import { PROBE_DEFAULTS, type ScanFile, type TargetSpec } from '../scanfile/types.js';
import { parseYamlSource, type YamlSource } from '../scanfile/yaml-source.js';
import { NAME_PATTERN, scanFileSchema, type RawScanFile } from '../scanfile/schema.js';
import { issuesToInputError } from '../scanfile/issues.js';
import { displayPath, osMessage } from '../scanfile/paths.js';
import { listTargets, type ListedTarget } from '../scanfile/listed.js';
import type { ParsedTarget } from '../scanfile/targets.js';
import { MAX_V6_EXPANSION_PREFIX, ScopeRules } from './rules.js';
import { checkListedTarget, outsideScope } from './listed-check.js';
import { checkScopeSize } from './scope-size.js';

export interface LoadOptions {
  /** The date the scan would start, YYYY-MM-DD; default: today on this machine's calendar. */
  today?: string;
  /**
   * Stream every targets file and check each line (default true). With false, files are only
   * checked to be readable — for callers that run validateScanTargets right after, which reads
   * them anyway.
   */
  readTargetFiles?: boolean;
  /**
   * The file's text, when it comes from elsewhere than `path` — `scan --resume` reloads the scan
   * exactly as run.json recorded it; `path` still names it and anchors relative targets files.
   */
  source?: string;
}

/** Scan files are small; large target sets belong in a targets file. */
export const MAX_SCAN_FILE_BYTES = 4 * 1024 * 1024;

function defaultName(abs: string): string {
  const base = basename(abs, extname(abs))
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  return NAME_PATTERN.test(base) ? base : 'scan';
}

async function readScanFile(abs: string, file: string): Promise<string> {
  try {
    const st = await stat(abs);
    if (st.isDirectory()) throw new InputError('is a directory, not a scan file', { file });
    if (st.size > MAX_SCAN_FILE_BYTES) {
      throw new InputError(
        `is larger than ${MAX_SCAN_FILE_BYTES / 1048576} MiB; list large target sets in a targets file (targets: - file: …)`,
        { file },
      );
    }
    const text = await readFile(abs, 'utf8');
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read the scan file: ${osMessage(e)}`, { file });
  }
}

function buildScanFile(raw: RawScanFile, abs: string, text: string, src: YamlSource, file: string): ScanFile {
  const targets: TargetSpec[] = (raw.targets ?? []).map((t, i): TargetSpec =>
    typeof t === 'string'
      ? {
          kind: 'inline',
          value: t,
          source: { file, line: src.lineOf(['targets', i]), field: `targets[${i}]` },
        }
      : {
          kind: 'file',
          path: resolve(dirname(abs), t.file),
          source: { file, line: src.lineOf(['targets', i, 'file']), field: `targets[${i}].file` },
        },
  );
  const p = raw.probe ?? {};
  return {
    path: abs,
    source: text,
    name: raw.name ?? defaultName(abs),
    authorisation: {
      by: raw.authorisation.by,
      reference: raw.authorisation.reference,
      contact: raw.authorisation.contact,
      validUntil: raw.authorisation.valid_until,
    },
    scope: {
      include: raw.scope.include,
      exclude: raw.scope.exclude ?? [],
      expectedAddresses: raw.scope.expected_addresses ?? null,
    },
    targets,
    ports: raw.ports ?? [{ port: 443, scheme: 'https' }],
    owners: (raw.owners ?? []).map((o) => ({ name: o.name, contact: o.contact ?? null, match: o.match })),
    probe: {
      rate: p.rate ?? PROBE_DEFAULTS.rate,
      concurrency: p.concurrency ?? PROBE_DEFAULTS.concurrency,
      hostGapMs: p.host_gap_ms ?? PROBE_DEFAULTS.hostGapMs,
      timeoutMs: p.timeout_ms ?? PROBE_DEFAULTS.timeoutMs,
      mode: p.mode ?? PROBE_DEFAULTS.mode,
      resolvers: p.resolvers ?? [...PROBE_DEFAULTS.resolvers],
    },
  };
}

function tooWideV6(t: ParsedTarget): string | null {
  if (t.kind !== 'cidr' || t.family !== 6 || t.prefix >= MAX_V6_EXPANSION_PREFIX) return null;
  return `${t.text} holds 2^${128 - t.prefix} addresses, too many to try one by one; list the addresses to probe, or use a /${MAX_V6_EXPANSION_PREFIX} or narrower`;
}

/** Default expansion walks every include range: refuse IPv6 ranges that cannot be walked. */
function checkDefaultExpansion(scan: ScanFile, src: YamlSource, file: string): void {
  if (scan.targets.length > 0) return;
  scan.scope.include.forEach((e, i) => {
    if (e.kind !== 'cidr' || e.family !== 6 || e.prefix >= MAX_V6_EXPANSION_PREFIX) return;
    throw new InputError(
      `${e.text} holds 2^${128 - e.prefix} addresses, too many to try one by one as the default target set; list targets explicitly (targets:) or use a /${MAX_V6_EXPANSION_PREFIX} or narrower`,
      { file, line: src.lineOf(['scope', 'include', i]), field: `scope.include[${i}]` },
    );
  });
}

function checkListed(rules: ScopeRules, listed: ListedTarget): void {
  const wide = tooWideV6(listed.target);
  if (wide !== null) throw new InputError(wide, listed.source);
  const v = checkListedTarget(rules, listed.target);
  if (v.kind === 'refused') throw outsideScope(listed, v.reason);
}

async function checkTargets(scan: ScanFile, readFiles: boolean): Promise<void> {
  const rules = new ScopeRules(scan.scope);
  if (readFiles) {
    for await (const listed of listTargets(scan)) checkListed(rules, listed);
    return;
  }
  const inlineOnly: ScanFile = { ...scan, targets: scan.targets.filter((t) => t.kind === 'inline') };
  for await (const listed of listTargets(inlineOnly)) checkListed(rules, listed);
  for (const t of scan.targets) {
    if (t.kind !== 'file') continue;
    try {
      await access(t.path, constants.R_OK);
    } catch (e) {
      throw new InputError(`cannot read targets file ${displayPath(t.path)}: ${osMessage(e)}`, t.source);
    }
  }
}

export async function loadScanFile(path: string, opts: LoadOptions = {}): Promise<ScanFile> {
  const today = opts.today ?? localToday();
  if (!isIsoDay(today)) throw new TypeError(`loadScanFile: today must be YYYY-MM-DD, got "${today}"`);
  const abs = resolve(path);
  const file = displayPath(abs);
  const text = opts.source ?? (await readScanFile(abs, file));
  const src = parseYamlSource(text, file);
  if (src.value === null || src.value === undefined) {
    throw new InputError('is empty; a scan file needs at least name, authorisation and scope', {
      file,
      line: 1,
    });
  }
  if (typeof src.value !== 'object' || Array.isArray(src.value)) {
    throw new InputError(
      'must be a YAML mapping (name, authorisation, scope, targets, ports, owners, probe)',
      { file, line: src.lineOf([]) },
    );
  }
  const parsed = scanFileSchema(today).safeParse(src.value);
  if (!parsed.success) throw issuesToInputError(parsed.error.issues, src, file);
  const scan = buildScanFile(parsed.data, abs, text, src, file);
  checkDefaultExpansion(scan, src, file);
  checkScopeSize(scan.scope, src, file);
  await checkTargets(scan, opts.readTargetFiles ?? true);
  return scan;
}
