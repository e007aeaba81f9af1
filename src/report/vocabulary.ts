// The words the reports use for the closed lists of the result schema. Records typed against
// these tables make a new code in schema.ts a compile error here until it has its plain meaning.
import type {
  Certainty,
  EndpointStatus,
  ErrorCode,
  EvidenceSignal,
  PatchLevel,
  Precision,
} from '../core/result-schema.js';

export const STATUS_LABEL: Record<EndpointStatus, string> = {
  exchange: 'Exchange Server (on-premises)',
  'exchange-online': 'Exchange Online (Microsoft 365)',
  'not-exchange': 'Not Exchange',
  unreachable: 'Unreachable',
  error: 'Could not be read',
};

/** What an error code means for the owner, in plain words. */
export const ERROR_MEANING: Record<ErrorCode, string> = {
  'connection-refused':
    'The address answered but refused a connection on this port: nothing listens there, or a firewall rejects us.',
  'connect-timeout':
    'No connection could be opened in time: the host is down, filtered by a firewall, or dropping our packets.',
  'host-unreachable': 'The network reported that the address cannot be reached (no route to it).',
  'dns-error': 'The host name could not be resolved to an address, so nothing was sent to it.',
  'tls-error':
    'A connection opened but the encrypted (TLS) handshake failed, e.g. an old protocol, a broken certificate chain, or not TLS at all.',
  timeout: 'The server accepted the connection but did not answer in time.',
  reset: 'The server or something in between closed the connection in the middle of an answer.',
  'protocol-error': 'The server answered with something that is not valid HTTP.',
  'response-too-large': 'The answer was larger than the limit this scan reads, so reading stopped.',
  'redirect-loop': 'The server kept redirecting (to itself or too many times), so no page could be read.',
  'out-of-scope':
    'Every address of this target lies outside the authorised scope, so nothing was sent to it.',
  'internal-error': 'owa-audit itself failed on this endpoint (a bug); the message says what happened.',
};

export const SIGNAL_LABEL: Record<EvidenceSignal, string> = {
  'x-owa-version': 'X-OWA-Version header',
  'owa-asset-path': 'OWA resource path (cumulative update)',
  'owa-legacy-asset-path': 'OWA resource path (Exchange 2007/2010 build)',
  'exporttool-manifest': 'ECP export tool manifest version',
  'ecp-version-dir': 'ECP versioned directory',
  'logon-page-marker': 'OWA logon page marker',
  'logon-title': 'Logon page title',
  'owa-redirect': 'Redirect to the OWA logon page',
  'x-feserver': 'X-FEServer header',
  'exchange-online': 'Exchange Online headers',
  'server-header': 'Server header',
  'redirect-out-of-scope': 'Redirect outside the scope (not followed)',
  conflict: 'Conflicting signals',
  'owa-sso-redirect': 'Redirect of OWA to a single sign-on (AD FS)',
  'service-challenge': 'Service asking for credentials (401)',
  'activesync-version': 'MS-Server-ActiveSync header',
  'imitation-suspected': 'Imitation suspected',
};

/** For narrow table cells. */
export const SIGNAL_SHORT: Record<EvidenceSignal, string> = {
  'x-owa-version': 'X-OWA-Version',
  'owa-asset-path': 'OWA path',
  'owa-legacy-asset-path': 'OWA path',
  'exporttool-manifest': 'manifest',
  'ecp-version-dir': 'ECP directory',
  'logon-page-marker': 'logon page',
  'logon-title': 'page title',
  'owa-redirect': 'OWA redirect',
  'x-feserver': 'X-FEServer',
  'exchange-online': 'Exchange Online',
  'server-header': 'Server header',
  'redirect-out-of-scope': 'redirect',
  conflict: 'conflict',
  'owa-sso-redirect': 'SSO redirect',
  'service-challenge': '401',
  'activesync-version': 'ActiveSync',
  'imitation-suspected': 'imitation?',
};

export const PATCH_LEVEL_LABEL: Record<PatchLevel, string> = {
  vulnerable: 'Vulnerable',
  outdated: 'Outdated',
  current: 'Current',
  unknown: 'Unknown',
};

/** One sentence per patch level, for the legend of the summary. */
export const PATCH_LEVEL_MEANING: Record<PatchLevel, string> = {
  vulnerable: 'misses a fix for a vulnerability that is known to be exploited in the wild (CISA KEV list)',
  outdated: 'a newer security update exists for its version, but no known-exploited vulnerability applies',
  current: 'runs the newest security update known to the data',
  unknown: 'the version could not be placed in the data (e.g. newer than the data)',
};

export const CERTAINTY_LABEL: Record<Certainty, string> = {
  confirmed: 'confirmed',
  possible: 'possible',
};

export const PRECISION_LABEL: Record<Precision, string> = {
  exact: 'exact build',
  cu: 'cumulative update only',
  approximate: 'approximate build',
  product: 'product only',
};
