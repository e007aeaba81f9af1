// What the probe layer and the fingerprinting layer exchange. Fingerprinting is pure: it sees
// only ProbeResponse values, never sockets.
import type { ResultError } from './result-schema.js';

export interface ProbeResponse {
  /** Absolute URL requested (scheme://host[:port]/path). */
  url: string;
  /** Path and query as requested, e.g. "/owa/auth/logon.aspx". */
  path: string;
  status: number;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Body decoded as UTF-8 (lossy), at most the read bound. */
  body: string;
  /** True when the body was cut at the read bound. */
  truncated: boolean;
}

/** A redirect that was not followed because its target is outside the authorised scope. */
export interface RefusedRedirect {
  from: string;
  location: string;
  reason: string;
}

/** What probing one endpoint produced, before fingerprinting and classification. */
export interface ProbeOutcome {
  /** Every response read, in request order. */
  responses: ProbeResponse[];
  refusedRedirects: RefusedRedirect[];
  /** The failure that ended probing early; null when the plan ran to its end. */
  error: ResultError | null;
}
