// What the CLI must not load before a command runs (issue 17: start-up in a blink), checked on the
// sources (test/cli-static-imports.test.ts) and on the bundle that runs (cli-bundle.integration).

/** Packages the commands need but the start-up must not load (each costs 20–400 ms). */
export const HEAVY_PACKAGES = [
  'undici',
  'puppeteer-core',
  '@puppeteer/browsers',
  '@sparticuz/chromium',
  'zod',
  'handlebars',
  'better-sqlite3',
  'yaml',
  'nodemailer',
  'tar-fs',
  'p-limit',
  'picocolors',
];

/** Project folders of pipelines, engine, reports and schemas, under `root` (`src` or `dist`). */
export function heavyFolders(root: 'src' | 'dist'): RegExp {
  const folders =
    'scan|engine|probe|report|outputs|merge|reclassify|demo|fleet|scanfile|scope|run-store|notify|export';
  // history/ too, but for its config module (where the history lives), which the CLI reads.
  return new RegExp(`^${root}/(?:(?:${folders})/|history/(?!config))`);
}
