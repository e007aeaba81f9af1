// Shapes shared by the extractors, the combination and the probe plan.
import type { Evidence, EvidenceSignal, Precision } from '../results/schema.js';
import type { Generation } from './build-number.js';

export type { Generation } from './build-number.js';

/** Kinds of Exchange Online indicator; two different kinds (or one plus on-premises proof) make the call. */
export type OnlineIndicator = 'outlook-backend' | 'cloud-server-name' | 'be-sku';

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
   * True when this signal alone proves on-premises Exchange answered: a structure only Exchange
   * serves (logon-page markers, asset paths, the manifest, the logon redirect, a version header on
   * an authentication challenge from an Exchange service path). A bare header is never proof.
   */
  proves: boolean;
  /** Set on Exchange Online indicators. */
  online: OnlineIndicator | null;
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
  /** Every signal kept, deduplicated by (signal, value), plus one `conflict` item per conflict. */
  evidence: Evidence[];
  /** Human text for disagreements and how they were resolved. */
  conflicts: string[];
}

export interface FingerprintOptions {
  /**
   * Whether a 4-part build is published (knowledge base). When given, a chosen 4-part build that is
   * not published gets precision `approximate` here; without it the build stays `exact` and the
   * classifier — the layer with the data, and the final authority — downgrades it.
   */
  isPublished?: (build: string) => boolean;
}
