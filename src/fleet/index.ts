// The simulated Exchange fleet on loopback (demo, tests, bench). See docs in types.ts and specs.ts.
export { startFleet } from './fleet.js';
export { standardFleet, scaledFleet, standardFleetLayout, hostAddress } from './specs.js';
export {
  PROFILES,
  PROFILE_IDS,
  EXCHANGE_PROFILE_IDS,
  getProfile,
  isProfileId,
  type ProfileId,
} from './catalogue.js';
export { maxInSlidingWindow } from './request-log.js';
export {
  parseTranscript,
  findExchange,
  TranscriptError,
  TRANSCRIPT_MAGIC,
  type Transcript,
  type ReplayExchange,
} from './replay/transcript.js';
export { loadTranscripts } from './replay/load.js';
export { replayFleet, replayProfile, foreignHosts, type ReplayFleetSpec } from './replay/hosts.js';
export { checkRecord, verdictLine, expectationLine } from './replay/check.js';
export type {
  EndpointCount,
  ExchangeOnlineProfile,
  ExchangeProfile,
  Fleet,
  FleetCertName,
  FleetDnsOptions,
  FleetHostSpec,
  FleetOptions,
  FleetPortSpec,
  FleetRequest,
  FleetRequestLog,
  HostExpectation,
  HostileProfile,
  LegacyExchangeProfile,
  LogFilter,
  PortRole,
  Profile,
  ProfileKind,
  ReplayProfile,
  RunningHost,
  RunningPort,
  WebProfile,
} from './types.js';
