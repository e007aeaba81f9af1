// The probe loop: the only I/O of fingerprinting. It asks the pure plan for the next GET, performs
// it through the endpoint's session, and records what happened — responses, refused redirects,
// and the failure that ended probing, if any.
import { fingerprint } from '../fingerprint/combine.js';
import { nextStep, type PlanEntry, type ProbeMode } from '../fingerprint/plan.js';
import type { Fingerprint } from '../fingerprint/types.js';
import { ProbeError, ScopeRefusal } from '../core/errors.js';
import { cleanUrl, cleanValue, MAX_MESSAGE_CHARS } from '../core/text.js';
import type { ResultError } from '../core/result-schema.js';
import type { ProbeOutcome, ProbeResponse, RefusedRedirect } from '../core/probe-types.js';

/** What the loop needs from the engine's HttpSession (src/engine/session.ts). */
export interface HttpSessionLike {
  get(pathOrUrl: string): Promise<ProbeResponse>;
}

export interface ProbeEndpointOptions {
  mode: ProbeMode;
  /** Thorough mode: the published 4-part builds of a CU ("15.1.2507"), from the knowledge base. */
  candidatesForCu?: ((build3: string) => readonly string[]) | undefined;
  /** Request budget of the standard plan (5); thorough mode adds one per candidate build. */
  maxRequests: number;
}

/**
 * What probing produced, with the fingerprint of its responses: computed once per response for the
 * plan, and the last one handed to the record (src/scan/record.ts) instead of computed again.
 */
export interface ProbedEndpoint extends ProbeOutcome {
  fingerprint: Fingerprint;
}

/** Plan steps are bounded by the budget; this is a fence against a plan bug, never reached. */
const MAX_ITERATIONS = 1000;

/** A failure with a code from the closed list (a ProbeError); null for anything else. */
function asProbeFailure(e: unknown): ResultError | null {
  if (!(e instanceof ProbeError)) return null;
  return { code: e.code, message: cleanValue(e.message, MAX_MESSAGE_CHARS) };
}

/**
 * Probe one endpoint. Ends at the plan's end, at the first failure (responses so far are kept), or
 * at a redirect loop. A redirect hop the scope refuses is recorded and probing goes on; a refusal
 * of any other step is an `out-of-scope` failure. Errors that
 * are neither a ScopeRefusal nor carry a known code (an abort, a bug) are rethrown for the engine.
 */
export async function probeEndpoint(
  session: HttpSessionLike,
  opts: ProbeEndpointOptions,
): Promise<ProbedEndpoint> {
  const history: PlanEntry[] = [];
  const responses: ProbeResponse[] = [];
  const refusedRedirects: RefusedRedirect[] = [];
  // The fingerprint of `responses`, recomputed only when a response was added.
  let fp: Fingerprint | null = null;
  let fpOf = -1;
  const current = (): Fingerprint => {
    if (fp === null || fpOf !== responses.length) {
      fp = fingerprint(responses);
      fpOf = responses.length;
    }
    return fp;
  };
  const end = (error: ResultError | null): ProbedEndpoint => ({
    responses,
    refusedRedirects,
    error,
    fingerprint: current(),
  });
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const step = nextStep({
      mode: opts.mode,
      maxRequests: opts.maxRequests,
      history,
      candidatesForCu: opts.candidatesForCu,
      fingerprint: history.length === 0 ? undefined : current(),
    });
    if (step === null) return end(null);
    if (step.kind === 'fail') return end(step.error);
    try {
      const response = await session.get(step.target);
      history.push({ step, kind: 'response', response });
      responses.push(response);
    } catch (e) {
      const refusal = e instanceof ScopeRefusal ? e : null;
      // Only a redirect hop can lead out of scope; a refusal of the endpoint itself (or of its
      // https twin) ends probing like any other failure.
      if (refusal !== null && step.purpose !== 'redirect') {
        const failure: ResultError = {
          code: 'out-of-scope',
          message: cleanValue(`refused ${refusal.url}: ${refusal.reason}`, MAX_MESSAGE_CHARS),
        };
        history.push({ step, kind: 'failed', error: failure });
        return end(failure);
      }
      if (refusal !== null) {
        history.push({ step, kind: 'refused', reason: refusal.reason });
        refusedRedirects.push({
          from: cleanUrl(step.from ?? responses[0]?.url ?? ''),
          location: cleanUrl(refusal.url),
          reason: cleanValue(refusal.reason, MAX_MESSAGE_CHARS),
        });
        continue;
      }
      const failure = asProbeFailure(e);
      if (failure === null) throw e;
      history.push({ step, kind: 'failed', error: failure });
      return end(failure);
    }
  }
  return end({ code: 'internal-error', message: `probe plan did not finish within ${MAX_ITERATIONS} steps` });
}
