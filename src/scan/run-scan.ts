// One scan, start to finish: scan file → scope guard → pre-flight → run directory → engine with
// the probe plan, fingerprinting and classification → results.jsonl → reports. `owa-audit scan`,
// `scan --resume` and `demo` are thin wrappers over runScan().
//
// Order matters for "fail closed": everything that can refuse bad input (scan file, expired
// authorisation, targets outside scope, unwritable run directory) runs before the first packet.
import { setMaxListeners } from 'node:events';
import { resolve } from 'node:path';
import { loadKnowledgeBase } from '../knowledge/index.js';
import {
  classify,
  dataFreshness,
  publishedBuildsOfCu,
  type KnowledgeBase,
  type VerdictBasis,
} from '../classify/index.js';
import { beginRun, endRun, resumeRun, type OpenRun } from '../run-store/open-run.js';
import { defaultRunDir, loadRun } from '../run-store/run-dir.js';
import { recordJson } from '../run-store/record-json.js';
import { type RunMeta, type RunSettings, type ShardSpec } from '../run-store/run-meta.js';
import { runEngine, type EngineSummary } from '../engine/scan.js';
import { createProgress } from './progress.js';
import { userAgentFor } from '../engine/user-agent.js';
import { probeEndpoint } from '../probe/run.js';
import { buildRecord, failureRecord, unprobeableRecord } from './record.js';
import type { ExchangeVerdict, Precision, ResultRecord } from '../core/result-schema.js';
import { loadScanFile } from '../scope/load.js';
import type { ScanFile } from '../scanfile/types.js';
import { expandTargets } from '../scope/index.js';
import type { Resolver, TargetItem } from '../scope/types.js';
import { DEFAULT_SCAN_FORMATS, type ReportFormat } from '../outputs/formats.js';
import { prepareOutputs, type BrowserCandidate, type PreparedOutputs } from '../outputs/prepare.js';
import type { ReportFiles } from '../outputs/report-files.js';
import { formatShard } from '../shard/index.js';
import { applyOverrides, maxRequestsFor, preflight, type ScanOverrides } from './preflight.js';
import { endpointsAtMost } from './scan-size.js';

export { STANDARD_MAX_REQUESTS, type ScanOverrides } from './preflight.js';
import { InputError } from '../core/errors.js';

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface RunScanOptions {
  /** A new scan of this scan file… */
  scanPath?: string;
  /** …or the run directory of a stopped scan to finish. */
  resumeDir?: string;
  /** Run directory of a new scan (default scans/runs/<name>-<UTC timestamp>). */
  outDir?: string;
  overrides?: ScanOverrides;
  /** Print each record on `stdout` as a JSON line. */
  json?: boolean;
  /** Reports written at the end; false for none. Default DEFAULT_SCAN_FORMATS (+ per owner when owners exist). */
  reports?: { formats: readonly ReportFormat[]; perOwner: boolean } | false;
  stdout?: OutputStream;
  stderr?: OutputStream;
  signal?: AbortSignal;
  /** YYYY-MM-DD for the authorisation check, the verdicts and the data-age warning; default today. */
  today?: string;
  /** Report time (tests); default the clock when the reports are written. */
  now?: Date;
  /** Tests and demo point names at a loopback DNS server through the scan file; this overrides it. */
  resolver?: Resolver;
  kb?: KnowledgeBase;
  /** Called once the run directory exists (before any packet), e.g. to print where it is. */
  onRunDir?: (dir: string) => void;
  /** Scan history database to record the finished run in (before the reports, which read it); null: none. */
  historyPath?: string | null;
  /**
   * A new scan: probe only this shard's targets (`scan --shard K/N`). A resume takes the shard from
   * run.json. A shard run writes no reports and no history: `owa-audit merge` does, for all shards.
   */
  shard?: ShardSpec | null;
  /** The browsers that may print the PDF, in order; default this machine's (report/chromium.ts). */
  browsers?: readonly BrowserCandidate[];
  /**
   * Called once, after the pre-flight and before the knowledge base loads, with at most how many
   * endpoints the scan probes (null: not known before it starts): the CLI sets V8's heap policy by it.
   */
  onScanSize?: (endpointsAtMost: number | null) => void;
}

export interface RunScanResult {
  runDir: string;
  meta: RunMeta;
  summary: EngineSummary;
  reports: ReportFiles | null;
}

async function loadForResume(
  dir: string,
  today: string | undefined,
): Promise<{ scan: ScanFile; meta: RunMeta }> {
  const meta = await loadRun(dir);
  const scan = await loadScanFile(meta.scanFile.path, {
    source: meta.scanFile.source,
    ...(today === undefined ? {} : { today }),
  });
  return { scan: applyOverrides(scan, meta.overrides), meta };
}

export async function runScan(opts: RunScanOptions): Promise<RunScanResult> {
  const stderr = opts.stderr ?? process.stderr;
  const stdout = opts.stdout ?? process.stdout;
  const todayOpt = opts.today === undefined ? {} : { today: opts.today };

  // 1. The scan file (from disk, or as run.json recorded it) — InputError on anything malformed.
  let scan: ScanFile;
  let resumeMeta: RunMeta | null = null;
  if (opts.resumeDir !== undefined) {
    if (opts.shard !== undefined && opts.shard !== null) {
      throw new InputError('a resumed run keeps the shard recorded in its run.json', {
        file: 'command line',
        field: '--shard',
      });
    }
    ({ scan, meta: resumeMeta } = await loadForResume(opts.resumeDir, opts.today));
  } else if (opts.scanPath !== undefined) {
    scan = applyOverrides(
      await loadScanFile(opts.scanPath, { ...todayOpt, readTargetFiles: false }),
      opts.overrides ?? {},
    );
  } else {
    throw new TypeError('runScan: scanPath or resumeDir is required');
  }

  const shard: ShardSpec | null = resumeMeta === null ? (opts.shard ?? null) : (resumeMeta.shard ?? null);

  // 2. Scope guard and pre-flight: every listed target in scope, before anything is sent.
  const { guard, filter, listed } = await preflight(scan, { shard, resolver: opts.resolver });
  // The targets, lazily (a shard's only: other shards' names are not even resolved). Their size is
  // known now, before the knowledge base's first full collection sets the heap's next limit.
  const source = expandTargets(scan, guard, filter === null ? {} : { filter });
  const total = source.estimateTotal();
  opts.onScanSize?.(endpointsAtMost(total, listed, scan.ports.length));

  // 3. Knowledge base, and a warning when it is stale (a stale verdict is a wrong verdict). Said
  //    here, before the scan, and not again by the reports at its end.
  const kb = opts.kb ?? loadKnowledgeBase();
  const freshness = dataFreshness(kb, opts.today);
  if (freshness.message !== null) stderr.write(`warning: ${freshness.message}\n`);
  if (resumeMeta !== null && resumeMeta.data.version !== kb.dataVersion) {
    stderr.write(
      `warning: this run started with data ${resumeMeta.data.version ?? 'of unknown version'}; the endpoints probed now are ` +
        `judged with ${kb.dataVersion}. Run \`owa-audit reclassify ${opts.resumeDir ?? ''}\` afterwards to judge all of them alike.\n`,
    );
  }

  // 4. The run directory: created (or locked for resume) and fsynced before the first packet.
  const maxRequests = maxRequestsFor(scan.probe.mode, kb);
  const settings: RunSettings = { ...scan.probe, ports: scan.ports, maxRequestsPerEndpoint: maxRequests };
  let run: OpenRun;
  if (opts.resumeDir !== undefined && resumeMeta !== null) {
    run = await resumeRun(opts.resumeDir);
  } else {
    const dir = resolve(opts.outDir ?? defaultRunDir(scan.name, new Date(), undefined, shard));
    run = await beginRun(dir, {
      name: scan.name,
      scanFile: { path: scan.path, source: scan.source },
      authorisation: scan.authorisation,
      settings,
      overrides: opts.overrides ?? {},
      data: { version: kb.dataVersion, asOf: kb.asOf },
      shard,
    });
  }
  opts.onRunDir?.(run.dir);

  // 5. Targets (expanded above).
  for (const w of source.warnings) stderr.write(`note: ${w}\n`);
  const items: AsyncIterable<TargetItem> = source.items();

  const progress = createProgress({
    total,
    stream: stderr,
    seed: run.tally(),
  });
  const classifyBuild = (build: string, precision: Precision, basis: VerdictBasis): ExchangeVerdict =>
    classify(kb, build, precision, { ...todayOpt, ...basis });
  const now = (): string => new Date().toISOString();
  const candidatesForCu = (cu: string): readonly string[] => publishedBuildsOfCu(kb, cu);

  // History and reports come after the last request; their modules and the browser get ready while
  // the last endpoints are in flight (measured: started with the probe phase, they took the CPU the
  // probes needed). A shard writes neither (merge does).
  const historyPath = opts.historyPath ?? null;
  const reports = opts.reports ?? { formats: DEFAULT_SCAN_FORMATS, perOwner: scan.owners.length > 0 };
  const wantsReports = reports !== false && reports.formats.length > 0;
  const wantsOutputs = shard === null && (wantsReports || historyPath !== null);
  let prepared: PreparedOutputs | null = null;
  const outputs = {
    /** Starts getting them ready (once); null when none are wanted. */
    start: (): PreparedOutputs | null =>
      (prepared ??= wantsOutputs
        ? prepareOutputs({
            pdf: wantsReports && reports.formats.includes('pdf'),
            documents: wantsReports && reports.formats.some((f) => f === 'html' || f === 'pdf'),
            browsers: opts.browsers,
          })
        : null),
    close: async (): Promise<void> => {
      await prepared?.close();
    },
  };
  try {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    const onAbort = (): void => controller.abort(opts.signal?.reason);
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    let sent = 0; // requests of this session, known even when the engine fails half-way
    let summary: EngineSummary;
    try {
      summary = await runEngine({
        items,
        guard,
        rate: scan.probe.rate,
        concurrency: scan.probe.concurrency,
        hostGapMs: scan.probe.hostGapMs,
        timeoutMs: scan.probe.timeoutMs,
        maxRequestsPerEndpoint: maxRequests,
        userAgent: userAgentFor(scan.authorisation.contact),
        ...(run.skip === undefined ? {} : { skip: run.skip }),
        signal: controller.signal,
        probeEndpoint: async (endpoint, session) => {
          const outcome = await probeEndpoint(session, {
            mode: scan.probe.mode,
            candidatesForCu,
            maxRequests,
          });
          return buildRecord({
            endpoint,
            outcome,
            requests: session.requests,
            tls: session.tls,
            observedAt: now(),
            classify: classifyBuild,
          });
        },
        unprobeableRecord: (item) => unprobeableRecord(item, now()),
        failureRecord: (endpoint, error, requests, tls) =>
          failureRecord(endpoint, error, requests, tls, now()),
        onRecord: async (record: ResultRecord) => {
          await run.write(record);
          progress.onRecord(record);
          if (opts.json === true) stdout.write(`${recordJson(record)}\n`);
        },
        onRequest: () => {
          sent += 1;
          progress.onRequest();
        },
        onTargetsExhausted: () => void outputs.start(),
      });
    } catch (e) {
      progress.stop();
      await endRun(run, { aborted: true, requestsThisSession: sent }).catch(() => undefined);
      throw e;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
    progress.stop();
    const meta = await endRun(run, { aborted: summary.aborted, requestsThisSession: summary.requests });

    if (summary.aborted) return { runDir: run.dir, meta, summary, reports: null };
    if (shard !== null) {
      // One shard is a part of the scan: in the history it would look like a scan that lost most of
      // its hosts, and its reports would cover a random 1/N of the scope. Merge writes both.
      stderr.write(
        `note: shard ${formatShard(shard)} done; \`owa-audit merge\` of all ${shard.count} shard runs writes the reports and records the scan in the history\n`,
      );
      return { runDir: run.dir, meta, summary, reports: null };
    }

    const ready = outputs.start();
    if (ready === null) return { runDir: run.dir, meta, summary, reports: null };

    // The data-age warning was said before the scan; the reports' own is not repeated.
    const finishRun = await ready.finishRun();
    const finished = await finishRun(run.dir, meta, {
      historyPath,
      record: 'finished',
      reports,
      knowledge: kb,
      now: opts.now,
      ...(ready.browser === null ? {} : { browser: ready.browser }),
    });
    for (const w of finished.warnings) stderr.write(`warning: ${w}\n`);
    return { runDir: run.dir, meta, summary, reports: finished.reports };
  } finally {
    await outputs.close();
  }
}
