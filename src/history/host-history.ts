// Per-host history from the observations of one endpoint over all recorded runs. Pure.
//
// firstSeen           the first observation as on-premises Exchange
// firstSeenVulnerable the first observation as vulnerable (known-exploited CVEs)
// vulnerableSince     when vulnerable now: the first observation of the unbroken vulnerable
//                     streak that ends now. Observations where the endpoint could not be read
//                     (unreachable, error) do not break the streak — nothing was learned — but
//                     one that saw it not vulnerable, or not Exchange, does.
// daysExposed         whole days from vulnerableSince to now's observation: a lower bound of
//                     how long the server has been exposed.
// vulnerableChecks    checks in that streak that saw it vulnerable (1: only this one), so that
//                     two checks on one day are not told as "vulnerable since this check".

export interface HostObservation {
  observedAt: string;
  status: string;
  patchLevel: string | null;
}

export interface HostHistory {
  /** Observations counted (earlier runs plus the current one). */
  observations: number;
  firstSeen: string | null;
  firstSeenVulnerable: string | null;
  vulnerableSince: string | null;
  daysExposed: number | null;
  /** Vulnerable checks in the current streak, this one included; 0 when not vulnerable now. */
  vulnerableChecks: number;
}

const DAY_MS = 86_400_000;

const isVulnerable = (o: HostObservation): boolean =>
  o.status === 'exchange' && o.patchLevel === 'vulnerable';
const tellsNothing = (o: HostObservation): boolean => o.status === 'unreachable' || o.status === 'error';

function time(iso: string): number | null {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** `earlier`: previous observations (any order); `current`: this run's observation of the endpoint. */
export function hostHistory(earlier: readonly HostObservation[], current: HostObservation): HostHistory {
  const all = [...earlier.filter((o) => time(o.observedAt) !== null), current].sort(
    (a, b) => (time(a.observedAt) ?? 0) - (time(b.observedAt) ?? 0),
  );
  // The current observation is last even when a clock skew put an earlier one after it.
  const list = [...all.filter((o) => o !== current), current];
  const firstSeen = list.find((o) => o.status === 'exchange')?.observedAt ?? null;
  const firstSeenVulnerable = list.find(isVulnerable)?.observedAt ?? null;
  let vulnerableSince: string | null = null;
  let vulnerableChecks = 0;
  if (isVulnerable(current)) {
    for (let i = list.length - 1; i >= 0; i--) {
      const o = list[i];
      if (o === undefined) break;
      if (isVulnerable(o)) {
        vulnerableSince = o.observedAt;
        vulnerableChecks++;
      } else if (!tellsNothing(o)) break;
    }
  }
  const since = vulnerableSince === null ? null : time(vulnerableSince);
  const now = time(current.observedAt);
  const daysExposed = since === null || now === null ? null : Math.max(0, Math.floor((now - since) / DAY_MS));
  return {
    observations: list.length,
    firstSeen,
    firstSeenVulnerable,
    vulnerableSince,
    daysExposed,
    vulnerableChecks,
  };
}
