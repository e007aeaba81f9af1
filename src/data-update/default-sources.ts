// What `owa-audit data update` reads when no --from is given. A module of its own so the CLI's
// help text can list the URLs without loading the feed readers.
export const DEFAULT_SOURCES: readonly string[] = [
  'https://raw.githubusercontent.com/microsoft/Get-ExchangeBuildNumber/HEAD/ExchangeBuildNumbers.csv',
  'https://learn.microsoft.com/en-us/exchange/new-features/build-numbers-and-release-dates',
  'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json',
];
