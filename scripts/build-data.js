#!/usr/bin/env node
// Derives the knowledge base (data/*.json) from the project's own sources in data-sources/ (each
// described, with its provenance, in data-sources/README.md). Run by hand when a source changes;
// the output is committed and ships in the package — the tool never reads data-sources/ at run time.
//
//   node scripts/build-data.js [sources-dir] [out-dir]
//
// The output is deterministic, so re-running it without changes in the sources produces no diff.
// Every first fixing build is looked up in the build list by update name — none is typed in — and
// is checked against HealthChecker's table, MSRC's affected lines and CISA's KEV list.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import console from 'node:console';
import { deriveBuilds, linesOf } from './build-data/builds.js';
import { checkAgainstHealthChecker, checkAgainstMsrc, checkKev } from './build-data/checks.js';
import { deriveCve } from './build-data/cves.js';
import { deriveLifecycle } from './build-data/lifecycle.js';
import { metaOf } from './build-data/meta.js';

const here = dirname(fileURLToPath(import.meta.url));
const srcDir = resolve(process.argv[2] ?? join(here, '../data-sources'));
const outDir = resolve(process.argv[3] ?? join(here, '../data'));
const read = (name) => JSON.parse(readFileSync(join(srcDir, name), 'utf8'));

const builds = deriveBuilds(read('builds.json'));
const lines = linesOf(builds);
const hc = read('healthchecker.json');
const kevSource = read('kev.json');
const catalogue = read('cves.json');
const settings = new Map(read('settings.json').settings.map((s) => [s.id, s]));
const kev = new Map(kevSource.entries.map((e) => [e.cve, e]));

const cves = catalogue.cves.map((c) => deriveCve(c, { lines, settings, hc, kev }));
const hcCompared = checkAgainstHealthChecker(cves, hc);
const msrcChecked = checkAgainstMsrc(cves, read('msrc-affected.json'), lines);
checkKev(cves, kevSource);

const products = deriveLifecycle(read('lifecycle.json'));
const meta = metaOf({ builds, cves, notIncluded: read('not-included.json'), hc, kevSource });

mkdirSync(outDir, { recursive: true });
const write = (name, value) => writeFileSync(join(outDir, name), `${JSON.stringify(value, null, 1)}\n`);
write('meta.json', meta);
write('builds.json', { builds });
write('cves.json', { cves });
write('lifecycle.json', { products });
const scored = cves.filter((c) => c.score !== null).length;
console.log(
  `build-data: ${builds.length} builds, ${cves.length} CVEs and advisories (${cves.filter((c) => c.kev).length} KEV, ` +
    `${scored} with a CVSS score), ${products.length} products -> ${outDir}; ` +
    `${hcCompared} first fixing builds agree with HealthChecker, ${msrcChecked} MSRC-listed lines judged`,
);
