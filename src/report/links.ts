// Which URLs may become clickable links. Only https URLs to Microsoft (and CISA's KEV catalogue)
// that come from the project's own data or code; a URL seen on a scanned server is never a link —
// it is shown as text.

const LINKABLE_DOMAINS = ['microsoft.com', 'cisa.gov'] as const;

/** The URL when it is an https link to an allowed domain, else null (show as text). */
export function trustedLink(url: string | null): string | null {
  if (url === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || parsed.port !== '')
    return null;
  const host = parsed.hostname.toLowerCase();
  const allowed = LINKABLE_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`));
  return allowed ? parsed.href : null;
}

const CVE_ID = /^(CVE-\d{4}-\d{4,7}|ADV\d{6,8})$/;

/** Microsoft's Security Update Guide page of a CVE or advisory (ADV190018). */
export function cveLink(id: string): string | null {
  return CVE_ID.test(id) ? `https://msrc.microsoft.com/update-guide/vulnerability/${id}` : null;
}

export const KEV_CATALOG_URL = 'https://www.cisa.gov/known-exploited-vulnerabilities-catalog';
export const BUILD_NUMBERS_URL =
  'https://learn.microsoft.com/en-us/exchange/new-features/build-numbers-and-release-dates';
