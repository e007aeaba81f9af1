// The probe loop: the only I/O of fingerprinting. It asks the pure plan for the next GET, performs
// it through the endpoint's session, and records what happened — responses, refused redirects,
// and the failure that ended probing, if any.
import { nextStep, type PlanEntry, type ProbeMode } from '../fingerprint/plan.js';
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
): Promise<ProbeOutcome> {
  const history: PlanEntry[] = [];
  const responses: ProbeResponse[] = [];
  const refusedRedirects: RefusedRedirect[] = [];
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const step = nextStep({
      mode: opts.mode,
      maxRequests: opts.maxRequests,
      history,
      candidatesForCu: opts.candidatesForCu,
    });
    if (step === null) return { responses, refusedRedirects, error: null };
    if (step.kind === 'fail') return { responses, refusedRedirects, error: step.error };
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
        return { responses, refusedRedirects, error: failure };
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
      return { responses, refusedRedirects, error: failure };
    }
  }
  return {
    responses,
    refusedRedirects,
    error: { code: 'internal-error', message: `probe plan did not finish within ${MAX_ITERATIONS} steps` },
  };
}
