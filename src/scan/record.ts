// Assembly of the one record every endpoint ends with (`owa-audit/result@1`).
import { fingerprint } from '../fingerprint/combine.js';
import { refusedRedirectEvidence } from '../fingerprint/evidence.js';
import type { Fingerprint } from '../fingerprint/types.js';
import { cleanValue, MAX_MESSAGE_CHARS } from '../core/text.js';
import type { VerdictBasis } from '../classify/classify.js';
import type { ProbeOutcome } from '../core/probe-types.js';
import type { Endpoint, TargetItem } from '../scope/types.js';
import {
  failedRecord,
  failureStatus,
  RESULT_SCHEMA,
  type EndpointStatus,
  type ExchangeVerdict,
  type Precision,
  type ResultError,
  type ResultRecord,
  type TlsInfo,
} from '../core/result-schema.js';

export interface BuildRecordInput {
  endpoint: Endpoint;
  /** With the fingerprint of its responses when the probe loop kept it (else it is computed here). */
  outcome: ProbeOutcome & { fingerprint?: Fingerprint };
  /** Requests sent to this endpoint (the session's count). */
  requests: number;
  tls: TlsInfo | null;
  observedAt: string;
  /**
   * The knowledge base's verdict for a build ("15.1.2507.6", "15.1.2507") or a product hint ("14"),
   * given what the fingerprint knows about the number (its source; contradicted evidence).
   */
  classify: (build: string, precision: Precision, basis: VerdictBasis) => ExchangeVerdict;
  /** @deprecated Ignored: the classifier alone judges whether a build is published (see FingerprintOptions). */
  isPublished?: ((build: string) => boolean) | undefined;
}

function cleanError(error: ResultError): ResultError {
  return { code: error.code, message: cleanValue(error.message, MAX_MESSAGE_CHARS) };
}

/**
 * Status rules: no response at all → unreachable or error by the failure's code. Otherwise the
 * fingerprint decides, except that a probe cut short by a failure before anything proved Exchange
 * is `error`, not `not-exchange` — we did not finish looking. An Exchange record keeps a later
 * failure in `error` (partial result). The verdict comes from `classify` when a build or a product
 * hint exists; Exchange proven without either gets `exchange: null`.
 */
export function buildRecord(input: BuildRecordInput): ResultRecord {
  const { endpoint, outcome } = input;
  const fp = outcome.fingerprint ?? fingerprint(outcome.responses);
  const evidence = [...fp.evidence, ...outcome.refusedRedirects.map(refusedRedirectEvidence)];
  let error = outcome.error === null ? null : cleanError(outcome.error);
  let status: EndpointStatus;
  let exchange: ExchangeVerdict | null = null;

  if (outcome.responses.length === 0) {
    error ??= { code: 'internal-error', message: 'probing ended without reading any response' };
    status = failureStatus(error);
  } else if (fp.status === 'not-exchange' && error !== null) {
    status = 'error';
  } else {
    status = fp.status;
  }

  const classifyInput = fp.build ?? fp.productHint;
  if (status === 'exchange' && classifyInput !== null && fp.precision !== null) {
    try {
      exchange = input.classify(classifyInput, fp.precision, {
        source: fp.buildSource,
        contradicted: fp.contradicted,
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      error ??= {
        code: 'internal-error',
        message: cleanValue(`classification failed: ${message}`, MAX_MESSAGE_CHARS),
      };
    }
  }

  return {
    schema: RESULT_SCHEMA,
    target: endpoint.target,
    host: endpoint.host,
    ip: endpoint.ip,
    port: endpoint.port,
    scheme: endpoint.scheme,
    status,
    observedAt: input.observedAt,
    requests: input.requests,
    exchange,
    evidence,
    tls: input.tls,
    owner: endpoint.owner,
    error,
  };
}

/** The record of a target that could not be probed (name did not resolve, or only out of scope). */
export function unprobeableRecord(
  item: Extract<TargetItem, { kind: 'unprobeable' }>,
  observedAt: string,
): ResultRecord {
  const error = cleanError({ code: item.code, message: item.message });
  return failedRecord(item, error, { requests: 0, tls: null, observedAt });
}

/** The record of an endpoint whose probing failed outright (no usable response). */
export function failureRecord(
  endpoint: Endpoint,
  error: ResultError,
  requests: number,
  tls: TlsInfo | null,
  observedAt: string,
): ResultRecord {
  return failedRecord(endpoint, cleanError(error), { requests, tls, observedAt });
}
