// IntelMQ events (JSON Lines), one per on-premises Exchange endpoint that needs action, so a
// CERT's pipeline (IntelMQ, or anything that speaks its harmonization) can ingest the findings.
// Field names are IntelMQ's harmonization (intelmq/etc/harmonization.conf): flat dotted keys,
// `extra.*` for what the harmonization has no field for, and "__type": "Event" so every line is a
// serialised IntelMQ Event that the JSON parser bot reads as it is (with `splitlines: true`).
// test/intelmq-export.integration.test.ts checks every key and value type against a copy of the harmonization.
//
// Which endpoints: patch level vulnerable (a known-exploited CVE applies) → exchange-kev-vulnerable;
// outdated → exchange-outdated, unless the server runs the final build of a product out of support
// (nothing newer exists to update to) → exchange-end-of-support, as any other out-of-support
// server. Current and supported servers, and versions the data cannot place (unknown, supported)
// are not findings. The fields follow what Shadowserver's Vulnerable Exchange Server feed gives
// IntelMQ: a severity, the probed URL (destination.url) and the CVEs as a lower-case tag.
import type { ExchangeVerdict, ResultRecord } from '../core/result-schema.js';
import { endpointKey } from '../core/result-schema.js';
import { domainToASCII } from 'node:url';
import { mailboxOf } from '../core/contact.js';
import { primaryEvidence } from '../core/evidence.js';
import { PROJECT_URL } from '../util/version.js';

/** The file in the run directory. */
export const INTELMQ_FILE = 'intelmq.jsonl';

export const INTELMQ_IDENTIFIERS = [
  'exchange-kev-vulnerable',
  'exchange-outdated',
  'exchange-end-of-support',
] as const;
export type IntelMqIdentifier = (typeof INTELMQ_IDENTIFIERS)[number];

export interface IntelMqRunInfo {
  /** Scan name → feed.name. */
  name: string;
  /** Who authorised/ran the scan → feed.provider. */
  provider: string | null;
  reference: string | null;
  toolVersion: string | null;
  dataVersion: string | null;
}

export interface IntelMqOptions {
  /**
   * Also write the top-level `severity` field, which IntelMQ has only since 3.5: an older IntelMQ
   * refuses the unknown key, and its JSON parser then drops every line after it. Default false
   * (`extra.severity` only, which every IntelMQ 2.x/3.x accepts).
   */
  topLevelSeverity?: boolean;
}

/** Shadowserver's severity levels (the ones this export uses); IntelMQ 3.5 took them over. */
export type IntelMqSeverity = 'critical' | 'high' | 'medium';

export type IntelMqEvent = Record<string, string | number | boolean | string[] | null>;

/** Where a CERT reads what the events mean (feed.documentation). */
export const INTELMQ_DOCUMENTATION = `${PROJECT_URL}/blob/main/docs/cert-workflow.md#intelmq-export-intelmqjsonl`;

/**
 * The server runs the newest build there is of a product that no longer gets updates: it is behind
 * on nothing it could install (Exchange 2010 14.3.513.0, Exchange 2013 15.0.1497.48).
 */
export function isFinalBuild(v: ExchangeVerdict): boolean {
  return !v.supported && v.build !== null && v.build === v.latest;
}

export function identifierOf(v: ExchangeVerdict): IntelMqIdentifier | null {
  if (v.patchLevel === 'vulnerable') return 'exchange-kev-vulnerable';
  if (v.patchLevel === 'outdated' && !isFinalBuild(v)) return 'exchange-outdated';
  if (!v.supported) return 'exchange-end-of-support';
  return null;
}

/**
 * Shadowserver's levels: critical when a known-exploited flaw applies, high for a product out of
 * support (whether or not it is also behind), medium for a supported server that is behind.
 */
export function severityOf(v: ExchangeVerdict, id: IntelMqIdentifier): IntelMqSeverity {
  if (id === 'exchange-kev-vulnerable') return 'critical';
  return v.supported ? 'medium' : 'high';
}

/** IntelMQ's DateTime form: UTC with an explicit offset, whole seconds ("2026-11-27T01:16:03+00:00"). */
export function intelmqTime(iso: string): string | null {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

// A mailbox as IntelMQ's source.abuse_contact takes it (lower case); anything else (a URL, a
// phone number) stays in extra.owner_contact only.
function abuseContact(contact: string | null): string | null {
  return mailboxOf(contact)?.toLowerCase() ?? null;
}

function description(v: ExchangeVerdict, id: IntelMqIdentifier): string {
  const what = `${v.product} ${v.build ?? ''}${v.release === null ? '' : ` (${v.release})`}`
    .replace(/\s+/g, ' ')
    .trim();
  const kev = v.cves.filter((c) => c.kev).length;
  const since = v.endOfSupport === null ? '' : ` since ${v.endOfSupport}`;
  switch (id) {
    case 'exchange-kev-vulnerable': {
      // "misses fixes" only where the build proves it; a KEV CVE closed by a setting the build
      // supports (or one of several possible updates) is a possibility, and the sentence says so.
      const proven = v.cves.filter((c) => c.kev && c.certainty === 'confirmed').length;
      const noun = (n: number): string =>
        `${n} known-exploited ${n === 1 ? 'vulnerability' : 'vulnerabilities'}`;
      if (proven === kev) return `${what} misses fixes for ${noun(kev)} (CISA KEV).`;
      const open = v.cves.filter((c) => c.kev && c.certainty === 'possible');
      const bySetting = open.every((c) => c.setting !== undefined);
      const why = bySetting
        ? 'unless a setting the build supports is on'
        : 'depending on the update installed';
      const possible = `may be exposed to ${noun(open.length)} (CISA KEV) ${why}`;
      return proven === 0
        ? `${what} ${possible}.`
        : `${what} misses fixes for ${noun(proven)} (CISA KEV) and ${possible}.`;
    }
    case 'exchange-outdated':
      return v.cves.length === 0
        ? `${what} is behind on security updates: newer builds exist${v.latest === null ? '' : ` (the latest is ${v.latest})`}.`
        : `${what} is behind on security updates (${v.cves.length} CVE${v.cves.length === 1 ? '' : 's'} fixed in newer builds).`;
    case 'exchange-end-of-support':
      return isFinalBuild(v)
        ? `${what} is the final build of ${v.product}, out of support${since}: nothing newer exists, so no more security fixes will come; migrate to a supported version.`
        : `${what} is out of support${since}: no more security fixes.`;
  }
}

/** The host name as it went on the wire (SNI, Host): ASCII, IDN labels in punycode; null when there is none. */
function asciiFqdn(host: string | null): string | null {
  if (host === null) return null;
  const ascii = domainToASCII(host.replace(/\.$/, '')).toLowerCase();
  return ascii === '' ? null : ascii;
}

/**
 * The URL whose response revealed the build (as Shadowserver's destination.url: scheme, host and
 * path, no query — a query may carry what a redirect put there), else the endpoint's root.
 */
function probedUrl(r: ResultRecord, fqdn: string | null): string {
  const evidence = primaryEvidence(r);
  if (evidence !== undefined) {
    try {
      const u = new URL(evidence.url);
      if (u.protocol === 'https:' || u.protocol === 'http:') return `${u.origin}${u.pathname}`;
    } catch {
      // a cut or malformed URL: fall back to the endpoint
    }
  }
  const host = fqdn ?? (r.ip !== null && r.ip.includes(':') ? `[${r.ip}]` : (r.ip ?? ''));
  return new URL(`${r.scheme}://${host}:${r.port}/`).href;
}

/** "exchange;cve-2021-26855;cve-2021-27065": the product and the CVEs, lower case, as Shadowserver tags. */
function tagOf(v: ExchangeVerdict): string {
  return ['exchange', ...v.cves.map((c) => c.id.toLowerCase())].join(';');
}

/** The event for one record, or null when the record is not a finding. Pure. */
export function intelmqEvent(
  r: ResultRecord,
  run: IntelMqRunInfo,
  options: IntelMqOptions = {},
  /** The key of the endpoint's server (report/server-grouping.ts): endpoints of one machine share it. */
  server: string | null = null,
): IntelMqEvent | null {
  const v = r.exchange;
  if (r.status !== 'exchange' || v === null) return null;
  const id = identifierOf(v);
  if (id === null) return null;
  const observed = intelmqTime(r.observedAt);
  const fqdn = asciiFqdn(r.host);
  const severity = severityOf(v, id);
  const event: IntelMqEvent = {
    __type: 'Event',
    'feed.name': run.name,
    'feed.code': 'owa-audit',
    'feed.documentation': INTELMQ_DOCUMENTATION,
    'classification.taxonomy': 'vulnerable',
    'classification.type': 'vulnerable-system',
    'classification.identifier': id,
    'protocol.application': r.scheme,
    'protocol.transport': 'tcp',
    'source.port': r.port,
    'event_description.text': description(v, id),
    'destination.url': probedUrl(r, fqdn),
  };
  if (options.topLevelSeverity === true) event.severity = severity;
  if (run.provider !== null) event['feed.provider'] = run.provider;
  if (r.ip !== null) event['source.ip'] = r.ip;
  // FQDN per the harmonization: ASCII (punycode), lower case, no final dot.
  if (fqdn !== null) event['source.fqdn'] = fqdn;
  if (observed !== null) {
    event['time.source'] = observed;
    event['time.observation'] = observed;
  }
  const contact = abuseContact(r.owner?.contact ?? null);
  if (contact !== null) event['source.abuse_contact'] = contact;
  const kev = v.cves.filter((c) => c.kev);
  Object.assign(event, {
    'extra.severity': severity,
    'extra.tag': tagOf(v),
    'extra.product': v.product,
    'extra.build': v.build,
    'extra.build_precision': v.precision,
    'extra.release': v.release,
    'extra.release_date': v.releaseDate,
    'extra.patch_level': v.patchLevel,
    'extra.certainty': v.certainty,
    'extra.supported': v.supported,
    'extra.end_of_support': v.endOfSupport,
    'extra.latest_build': v.latest,
    'extra.cves': v.cves.map((c) => c.id),
    'extra.kev_cves': kev.map((c) => c.id),
    'extra.kev_cves_confirmed': kev.filter((c) => c.certainty === 'confirmed').map((c) => c.id),
    'extra.endpoint_key': endpointKey(r),
    'extra.server': server,
    'extra.target': r.target,
    'extra.owner': r.owner?.name ?? null,
    'extra.owner_contact': r.owner?.contact ?? null,
    'extra.scan_reference': run.reference,
    'extra.tool_version': run.toolVersion,
    'extra.data_version': run.dataVersion,
  } satisfies IntelMqEvent);
  // IntelMQ drops null values anyway; leaving them out keeps lines short and strict parsers happy.
  return Object.fromEntries(Object.entries(event).filter(([, val]) => val !== null));
}

// JSON.stringify escapes the C0 controls but leaves U+0085, U+2028 and U+2029 as they are, and
// Python's str.splitlines() — which IntelMQ's JSON parser uses with splitlines: true — breaks
// lines there too: a server could split an event in two. Escaped, they stay inside their string.
const PYTHON_LINE_BREAKS = /[\u0085\u2028\u2029]/g;

/** One JSON line per event, with no character that any line splitter would break on. */
export function intelmqLine(event: IntelMqEvent): string {
  const json = JSON.stringify(event).replace(
    PYTHON_LINE_BREAKS,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${json}\n`;
}
