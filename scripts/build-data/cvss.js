// CVSS v3.x base score from a vector, to check every transcribed score against its vector, and the
// qualitative severity rating of a score (the scale of the CVSS v3.1 specification, section 5).
// Microsoft's records sometimes label a score with its own severity (e.g. 4.8 "HIGH"), so the
// rating is always derived from the score.
const WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
};

/** CVSS v3.1 Roundup: the smallest number with one decimal that is >= the input. */
function roundUp(x) {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

/** Base score of a "CVSS:3.x/AV:…/AC:…/PR:…/UI:…/S:…/C:…/I:…/A:…" vector; null when malformed. */
export function baseScore(vector) {
  const m = /^CVSS:3\.[01]\/AV:([NALP])\/AC:([LH])\/PR:([NLH])\/UI:([NR])\/S:([UC])\/C:([HLN])\/I:([HLN])\/A:([HLN])$/.exec(
    vector,
  );
  if (m === null) return null;
  const [, av, ac, pr, ui, s, c, i, a] = m;
  const changed = s === 'C';
  const prWeight = { N: 0.85, L: changed ? 0.68 : 0.62, H: changed ? 0.5 : 0.27 }[pr];
  const iss = 1 - (1 - WEIGHTS.CIA[c]) * (1 - WEIGHTS.CIA[i]) * (1 - WEIGHTS.CIA[a]);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability = 8.22 * WEIGHTS.AV[av] * WEIGHTS.AC[ac] * prWeight * WEIGHTS.UI[ui];
  if (impact <= 0) return 0;
  return roundUp(Math.min((changed ? 1.08 : 1) * (impact + exploitability), 10));
}

/** The CVSS v3.1 qualitative rating of a base score. */
export function severityOf(score) {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'none';
}
