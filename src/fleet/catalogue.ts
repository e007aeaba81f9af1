// The profile catalogue: every profile by id, and the groups the fleet builders draw from.
import { EXCHANGE_PROFILES, LEGACY_PROFILES } from './catalogue-exchange.js';
import { HOSTILE_PROFILES, ONLINE_PROFILES, WEB_PROFILES } from './catalogue-other.js';
import type { Profile } from './types.js';

export const PROFILES = {
  ...LEGACY_PROFILES,
  ...EXCHANGE_PROFILES,
  ...ONLINE_PROFILES,
  ...WEB_PROFILES,
  ...HOSTILE_PROFILES,
};

export type ProfileId = keyof typeof PROFILES;

export const PROFILE_IDS = Object.keys(PROFILES) as ProfileId[];

/** On-premises Exchange profiles that answer normally (no 429 phase, no markup): the bench's hosts. */
export const EXCHANGE_PROFILE_IDS: ProfileId[] = PROFILE_IDS.filter((id) => {
  const p: Profile = PROFILES[id];
  if (p.kind === 'exchange-legacy') return true;
  return p.kind === 'exchange' && p.retryAfterSeconds === undefined && p.markup === undefined;
});

export function isProfileId(value: string): value is ProfileId {
  return Object.hasOwn(PROFILES, value);
}

export function getProfile(id: ProfileId): Profile {
  return PROFILES[id];
}
