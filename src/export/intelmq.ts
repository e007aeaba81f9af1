// IntelMQ events (JSON Lines), one per on-premises Exchange endpoint that needs action, so a
// CERT's pipeline (IntelMQ, or anything that speaks its harmonization) can ingest the findings.
// Field names are IntelMQ's harmonization (intelmq/etc/harmonization.conf): flat dotted keys,
// `extra.*` for what the harmonization has no field for, and "__type": "Event" so every line is a
// serialised IntelMQ Event that the JSON parser bot reads as it is.
//
// Which endpoints: patch level vulnerable (a known-exploited CVE applies) → exchange-kev-vulnerable;
// outdated → exchange-outdated; else out of support → exchange-end-of-support. Current and supported
// servers, and versions the data cannot place (unknown, supported) are not findings.
import type { ExchangeVerdict, ResultRecord } from '../results/schema.js';
import { endpointKey } from '../results/schema.js';
import { mailboxOf } from '../notify/plain.js';

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

export type IntelMqEvent = Record<string, string | number | boolean | string[] | null>;

export function identifierOf(v: ExchangeVerdict): IntelMqIdentifier | null {
  if (v.patchLevel === 'vulnerable') return 'exchange-kev-vulnerable';
  if (v.patchLevel === 'outdated') return 'exchange-outdated';
  if (!v.supported) return 'exchange-end-of-support';
  return null;
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
  switch (id) {
    case 'exchange-kev-vulnerable':
      return `${what} misses fixes for ${kev} known-exploited ${kev === 1 ? 'vulnerability' : 'vulnerabilities'} (CISA KEV).`;
    case 'exchange-outdated':
      return `${what} is behind on security updates (${v.cves.length} CVE${v.cves.length === 1 ? '' : 's'} fixed in newer builds).`;
    case 'exchange-end-of-support':
      return `${what} is out of support${v.endOfSupport === null ? '' : ` since ${v.endOfSupport}`}: no more security fixes.`;
  }
}

/** The event for one record, or null when the record is not a finding. Pure. */
export function intelmqEvent(r: ResultRecord, run: IntelMqRunInfo): IntelMqEvent | null {
  const v = r.exchange;
  if (r.status !== 'exchange' || v === null) return null;
  const id = identifierOf(v);
  if (id === null) return null;
  const observed = intelmqTime(r.observedAt);
  const event: IntelMqEvent = {
    __type: 'Event',
    'feed.name': run.name,
    'feed.code': 'owa-audit',
    'classification.taxonomy': 'vulnerable',
    'classification.type': 'vulnerable-system',
    'classification.identifier': id,
    'protocol.application': r.scheme,
    'protocol.transport': 'tcp',
    'source.port': r.port,
    'event_description.text': description(v, id),
  };
  if (run.provider !== null) event['feed.provider'] = run.provider;
  if (r.ip !== null) event['source.ip'] = r.ip;
  // FQDN per the harmonization: lower case, no final dot.
  if (r.host !== null) event['source.fqdn'] = r.host.toLowerCase().replace(/\.$/, '');
  if (observed !== null) {
    event['time.source'] = observed;
    event['time.observation'] = observed;
  }
  const contact = abuseContact(r.owner?.contact ?? null);
  if (contact !== null) event['source.abuse_contact'] = contact;
  const kev = v.cves.filter((c) => c.kev);
  Object.assign(event, {
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

/** One JSON line per event (JSON.stringify escapes every control character a server could send). */
export function intelmqLine(event: IntelMqEvent): string {
  return `${JSON.stringify(event)}\n`;
}
