// What the owner should do about one verdict. The single call site of the knowledge base's
// remediation(): everything else in the report reads the Remediation it returns.
import type { Remediation } from '../classify/remediation.js';
import type { ExchangeVerdict } from '../core/result-schema.js';

export type { Remediation, UpdateLink } from '../classify/remediation.js';

export type RemediationSource = (verdict: ExchangeVerdict) => Remediation;

/**
 * The remediation for a verdict: from the knowledge base when it is available; otherwise (data
 * missing or broken) a plainer text derived from the verdict alone, so a report is still written.
 */
export function actionsFor(source: RemediationSource | null, verdict: ExchangeVerdict): Remediation {
  if (source !== null) {
    try {
      return source(verdict);
    } catch {
      // Fall through: a verdict the knowledge base cannot explain still gets the plain text.
    }
  }
  return remediationFromVerdict(verdict);
}

function productShort(v: ExchangeVerdict): string {
  return v.product.replace('Exchange Server ', 'Exchange ');
}

/** Verdict-only remediation: no update names or links, but never wrong about what is known. */
export function remediationFromVerdict(v: ExchangeVerdict): Remediation {
  const kev = v.cves.filter((c) => c.kev);
  const product = productShort(v);
  const steps: Remediation['steps'] = [];
  let headline: string;
  switch (v.patchLevel) {
    case 'vulnerable':
      headline = `This ${product} server misses fixes for ${kev.length === 1 ? 'a vulnerability' : `${kev.length} vulnerabilities`} known to be exploited in the wild; patch it now.`;
      break;
    case 'outdated':
      headline = `This ${product} server is behind on security updates.`;
      break;
    case 'current':
      headline = `This ${product} server runs the newest security update known to the data.`;
      break;
    case 'unknown':
      headline = `This ${product} server could not be placed in the update history known to the data.`;
      break;
  }
  if (v.patchLevel === 'vulnerable' || v.patchLevel === 'outdated') {
    steps.push({
      text:
        v.latest === null
          ? `Install the newest security update for ${product}.`
          : `Install the newest security update for ${product} (build ${v.latest} or later).`,
      update: null,
    });
  }
  if (!v.supported) {
    steps.push({
      text: `${product} is out of support${v.endOfSupport === null ? '' : ` since ${v.endOfSupport}`}: plan the move to Exchange Server SE or Exchange Online.`,
      update: null,
    });
  }
  const checkLocally =
    v.certainty === 'possible'
      ? `The build could not be read exactly from outside. On the server, read the file version of ExSetup.exe (PowerShell: Get-Command ExSetup.exe | ForEach-Object { $_.FileVersionInfo }) and compare it with ${v.latest ?? 'the newest published build'}.`
      : null;
  return { headline, steps, checkLocally };
}
