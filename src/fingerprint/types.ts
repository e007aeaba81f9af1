// Shapes shared by the extractors, the combination and the probe plan.
import type { Evidence, EvidenceSignal, Precision } from '../core/result-schema.js';
import type { Generation } from './build-number.js';

export type { Generation } from './build-number.js';

/**
 * Kinds of Exchange Online indicator. They count only on an Exchange-shaped response; then one of the
 * decisive kinds (extract/online.ts), two different kinds, or one plus on-premises proof without an
 * on-premises number make the call.
 */
export type OnlineIndicator =
  | 'sign-in'
  | 'activesync-15.20'
  | 'autodiscovery-error'
  | 'cloud-version'
  | 'outlook-backend'
  | 'cloud-server-name'
  | 'edge'
  | 'be-sku'
  | 'empty-basic-realm';

/** One observation from one response. Extractors return these; `fingerprint` combines them. */
export interface Signal {
  signal: EvidenceSignal;
  /** URL of the response it came from. */
  url: string;
  /** Cleaned, length-capped text for the evidence list. */
  value: string;
  /** Normalised 3- or 4-part build it carries, if any. */
  build: string | null;
  /**
   * Generations compatible with this signal (e.g. title "Outlook Web App" → 2010 or 2013+);
   * null when it says nothing about the generation.
   */
  generations: readonly Generation[] | null;
  /**
   * Something of Exchange that an ordinary web server does not show. A hint, never proof: whether
   * the endpoint is Exchange is decided by corroboration (corroborate.ts) over whole responses.
   */
  hint: boolean;
  /** Set on Exchange Online indicators. */
  online: OnlineIndicator | null;
  /** X-OWA-Version written zero-padded ("15.02.1748.039"): Exchange never writes it so. */
  padded?: boolean;
  /** X-OWA-Version on a response where Exchange never sends it (extract/headers.ts). */
  misplaced?: boolean;
  /** An asset path in an absolute link to this other host: never this server's (no build, no evidence). */
  foreign?: string;
}

export type FingerprintStatus = 'exchange' | 'exchange-online' | 'not-exchange';

export interface Fingerprint {
  status: FingerprintStatus;
  /** Most precise number seen, normalised; null unless status is exchange and a number was seen. */
  build: string | null;
  /** exact | cu | approximate | product; null unless exchange with a number or a product hint. */
  precision: Precision | null;
  /** For `product` precision: "8" or "14" — what classify accepts. */
  productHint: string | null;
  /** Which signal the build came from (null without a build). */
  buildSource: EvidenceSignal | null;
  /**
   * The version evidence disagreed (a zero-padded or misplaced X-OWA-Version, numbers in different
   * CUs): `build` is the older one, precision is lowered, and the classifier never says current.
   */
  contradicted: boolean;
  /** Something showed the endpoint is not Exchange answering (an imitation); probing can stop. */
  refuted: boolean;
  /**
   * Every signal kept, deduplicated by (signal, value), plus one `conflict` item per conflict and
   * `imitation-suspected` items when something presented as Exchange and failed corroboration.
   */
  evidence: Evidence[];
  /** Human text for disagreements and how they were resolved. */
  conflicts: string[];
}

export interface FingerprintOptions {
  /**
   * @deprecated Ignored. Whether a 4-part build is published is judged once, by the classifier,
   * which has the data (classify/candidates.ts); the fingerprint reports the number as read. Kept
   * so that library callers written against it still compile.
   */
  isPublished?: (build: string) => boolean;
}
