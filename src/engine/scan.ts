// The scan loop: pull targets lazily as capacity frees, probe each endpoint in its own session
// under a whole-endpoint deadline, and hand exactly one record per endpoint to the sinks.
//
// Memory stays flat: at most `concurrency` endpoints are in flight, records are passed on and
// forgotten, and an item is pulled from the source only when a slot is free. A slot is released
// only after the sinks accepted its record, so a slow disk slows the scan instead of queueing.
//
// Abort (Ctrl-C): stop pulling, abort in-flight endpoints and write *no* record for them — they
// did not finish, and resume probes them again. A sink failure (disk full) stops the scan the
// same way and rejects runEngine with that failure.
import { setMaxListeners } from 'node:events';
import {
  endpointKey,
  ENDPOINT_STATUSES,
  failedRecord,
  type EndpointStatus,
  type RecordIdentity,
  type ResultError,
  type ResultRecord,
  type TlsInfo,
} from '../core/result-schema.js';
import type { Endpoint, ScopeGuard, TargetItem } from '../scope/types.js';
import { createEndpointDeadline, type EndpointDeadline } from './deadline.js';
import { createEndpointPool } from './endpoint-pool.js';
import { cleanValue, MAX_MESSAGE_CHARS } from '../core/text.js';
import { toResultError } from './errors.js';
import { ProbeError } from '../core/errors.js';
import { createRateGate } from './rate-gate.js';
import { DEFAULT_MAX_BODY_BYTES, openSession, type HttpSession } from './session.js';
import { abortReason, AbortFanout, linkedController } from './signals.js';

export type UnprobeableItem = Extract<TargetItem, { kind: 'unprobeable' }>;

export interface EngineOptions {
  /** Lazy source; pulled only as capacity frees. */
  items: AsyncIterable<TargetItem>;
  probeEndpoint: (endpoint: Endpoint, session: HttpSession, signal: AbortSignal) => Promise<ResultRecord>;
  unprobeableRecord: (item: UnprobeableItem) => ResultRecord;
  /** The record of an endpoint whose probe threw. */
  failureRecord: (
    endpoint: Endpoint,
    error: ResultError,
    requests: number,
    tls: TlsInfo | null,
  ) => ResultRecord;
  guard: ScopeGuard;
  /** Requests per second over all hosts. */
  rate: number;
  /** Endpoints in flight at once. */
  concurrency: number;
  /** Minimum gap between two requests to one IP. */
  hostGapMs: number;
  /** Whole-request budget. */
  timeoutMs: number;
  maxRequestsPerEndpoint: number;
  maxBodyBytes?: number;
  userAgent: string;
  /** Resume: true for an endpointKey already in results.jsonl. */
  skip?: (key: string) => boolean;
  /** Sinks (results.jsonl writer, --json stdout, progress). Called one at a time, in finishing order. */
  onRecord: (r: ResultRecord) => void | Promise<void>;
  /** Called once per request sent (progress). */
  onRequest?: () => void;
  /**
   * Called once when the source has no more targets, while the last endpoints are still in flight
   * (the scan's CPU is freeing up): a scan starts its reports' browser then.
   */
  onTargetsExhausted?: () => void;
  /** Ctrl-C. */
  signal?: AbortSignal;
  /** How long a probe may ignore its aborted signal before the engine stops waiting. Default 1 s. */
  probeGraceMs?: number;
}

export interface EngineSummary {
  /** Records handed to onRecord in this run. */
  records: number;
  byStatus: Record<EndpointStatus, number>;
  /** Items skipped because skip() said they were done. */
  skipped: number;
  /** Requests sent in this run. */
  requests: number;
  elapsedMs: number;
  /** True when the caller's signal stopped the scan with endpoints left unprobed or unfinished. */
  aborted: boolean;
}

const DEFAULT_PROBE_GRACE_MS = 1_000;

export function itemKey(item: TargetItem): string {
  return item.kind === 'endpoint' ? endpointKey(item.endpoint) : endpointKey(item);
}

/** Last-resort record when a caller's record builder throws: one record per endpoint, always. */
function fallbackRecord(
  id: RecordIdentity,
  error: ResultError,
  requests: number,
  tls: TlsInfo | null,
): ResultRecord {
  return failedRecord(id, error, { requests, tls, observedAt: new Date().toISOString() });
}

function builderFailed(what: string, bug: unknown): ResultError {
  const why = bug instanceof Error ? bug.message : String(bug);
  return { code: 'internal-error', message: cleanValue(`${what} threw: ${why}`, MAX_MESSAGE_CHARS) };
}

/** Subscribes `onAbort` to an abort; returns the function that unsubscribes it. */
type AbortFollow = (onAbort: (reason: Error) => void) => () => void;

/** Follow a deadline through its watchers (no EventTarget listener). */
const followDeadline =
  (deadline: EndpointDeadline): AbortFollow =>
  (onAbort) => {
    deadline.watch(onAbort);
    return () => {
      deadline.unwatch(onAbort);
    };
  };

/** Follow a signal through a listener. */
const followSignal =
  (signal: AbortSignal): AbortFollow =>
  (onAbort) => {
    const listener = (): void => {
      onAbort(abortReason(signal));
    };
    if (signal.aborted) listener();
    else signal.addEventListener('abort', listener, { once: true });
    return () => {
      signal.removeEventListener('abort', listener);
    };
  };

/** Settle with `p`, but once the abort comes give it only `graceMs` more before rejecting. */
function settleWithin<T>(p: Promise<T>, follow: AbortFollow, graceMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const unfollow = follow((reason) => {
      timer = setTimeout(() => {
        reject(
          reason instanceof ProbeError
            ? new ProbeError(reason.code, `${reason.message}; the probe did not stop`)
            : reason,
        );
      }, graceMs);
    });
    const detach = (): void => {
      clearTimeout(timer);
      unfollow();
    };
    p.then(
      (value) => {
        detach();
        resolve(value);
      },
      (err: unknown) => {
        detach();
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed on as it came
        reject(err);
      },
    );
  });
}

function validate(opts: EngineOptions): void {
  const positiveInt = (name: string, v: number): void => {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  };
  positiveInt('concurrency', opts.concurrency);
  positiveInt('maxRequestsPerEndpoint', opts.maxRequestsPerEndpoint);
  if (!(opts.timeoutMs > 0)) throw new RangeError(`timeoutMs must be > 0, got ${opts.timeoutMs}`);
}

export async function runEngine(opts: EngineOptions): Promise<EngineSummary> {
  validate(opts);
  const started = performance.now();
  const scan = linkedController(opts.signal);
  setMaxListeners(2 * opts.concurrency + 16, scan.signal);
  // Every endpoint's deadline and every pull from the source follow the scan through one listener.
  const fanout = new AbortFanout(scan.signal);
  // No scan signal for the gate: every turn carries its endpoint's deadline signal, which follows
  // the scan's, so a turn needs no controller of its own to link the two.
  const gate = createRateGate({ rate: opts.rate, hostGapMs: opts.hostGapMs });
  const graceMs = opts.probeGraceMs ?? DEFAULT_PROBE_GRACE_MS;
  // Active time per endpoint: every request may use its whole budget (gate waits excluded).
  const endpointBudgetMs = opts.timeoutMs * opts.maxRequestsPerEndpoint;
  const byStatus = Object.fromEntries(ENDPOINT_STATUSES.map((s) => [s, 0])) as Record<EndpointStatus, number>;
  let records = 0;
  let skipped = 0;
  let requests = 0;
  let unfinished = 0;
  let fatal: { error: unknown } | null = null;
  let sinkChain: Promise<void> = Promise.resolve();

  const stop = (error: unknown): void => {
    fatal ??= { error };
    scan.abort(error instanceof Error ? error : new Error(String(error)));
  };

  const emit = (record: ResultRecord): Promise<void> => {
    sinkChain = sinkChain.then(async () => {
      if (fatal !== null) return;
      try {
        await opts.onRecord(record);
        records++;
        if (Object.hasOwn(byStatus, record.status)) byStatus[record.status]++;
      } catch (err) {
        stop(err);
      }
    });
    return sinkChain;
  };

  async function probeOne(endpoint: Endpoint): Promise<void> {
    const deadline = createEndpointDeadline(endpointBudgetMs, fanout);
    const session = openSession({
      endpoint,
      guard: opts.guard,
      gate,
      userAgent: opts.userAgent,
      timeoutMs: opts.timeoutMs,
      maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      maxRequests: opts.maxRequestsPerEndpoint,
      signal: deadline.signal,
      deadline,
      ...(opts.onRequest === undefined ? {} : { onRequest: opts.onRequest }),
    });
    let record: ResultRecord | null = null;
    try {
      record = await settleWithin(
        opts.probeEndpoint(endpoint, session, deadline.signal),
        followDeadline(deadline),
        graceMs,
      );
    } catch (err) {
      if (!scan.signal.aborted) {
        const error = toResultError(err);
        try {
          record = opts.failureRecord(endpoint, error, session.requests, session.tls);
        } catch (bug) {
          record = fallbackRecord(
            endpoint,
            builderFailed('failureRecord', bug),
            session.requests,
            session.tls,
          );
        }
      }
    }
    // Decided when the probe settled: a record finished before Ctrl-C is still written.
    const finished = !scan.signal.aborted;
    requests += session.requests;
    deadline.dispose();
    await session.close();
    if (finished && record !== null) await emit(record);
    else unfinished++;
  }

  const pool = createEndpointPool(opts.concurrency);
  const iterator = opts.items[Symbol.asyncIterator]();
  // A function, not the property: it changes across the awaits below.
  const stopped = (): boolean => scan.signal.aborted;
  let exhausted = false;
  try {
    while (!stopped()) {
      await pool.ready();
      if (stopped()) break;
      const next = await fanout.race(iterator.next());
      if (next.done === true) {
        exhausted = true;
        opts.onTargetsExhausted?.();
        break;
      }
      const item = next.value;
      if (opts.skip?.(itemKey(item)) === true) {
        skipped++;
        continue;
      }
      if (item.kind === 'unprobeable') {
        let record: ResultRecord;
        try {
          record = opts.unprobeableRecord(item);
        } catch (bug) {
          record = fallbackRecord(item, builderFailed('unprobeableRecord', bug), 0, null);
        }
        await emit(record);
        continue;
      }
      const endpoint = item.endpoint;
      pool.run(() =>
        probeOne(endpoint).catch((err: unknown) => {
          stop(err);
        }),
      );
    }
  } catch (err) {
    if (!scan.signal.aborted) stop(err);
  } finally {
    await pool.drain();
    await sinkChain;
    // Let the source clean up (close its files), but not forever: a pull may still be stuck.
    if (!exhausted && iterator.return !== undefined)
      await settleWithin(iterator.return(), followSignal(AbortSignal.abort()), 1_000).catch(() => undefined);
    fanout.dispose();
    scan.dispose();
  }
  // Records stop flowing once `fatal` is set; report the first failure, not the abort it caused.
  const failure = fatal as { error: unknown } | null;
  if (failure !== null) throw failure.error;
  return {
    records,
    byStatus,
    skipped,
    requests,
    elapsedMs: performance.now() - started,
    aborted: opts.signal?.aborted === true && (unfinished > 0 || !exhausted),
  };
}
