// `npm run bench:readme -- FILE`: prints README's Performance table (Markdown) from a bench run's
// results file, e.g. a committed docs/bench-results/<date>.json — so the README's figures are
// reproducible from one run.
import { readFile } from 'node:fs/promises';
import { markdownReport } from './markdown.js';
import { BENCH_SCHEMA, type BenchResults } from './results.js';

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: npm run bench:readme -- RESULTS.json\n');
  process.exit(2);
}
const parsed = JSON.parse(await readFile(file, 'utf8')) as { schema?: unknown };
if (parsed.schema !== BENCH_SCHEMA) {
  process.stderr.write(`${file}: schema ${String(parsed.schema)}, expected ${BENCH_SCHEMA}\n`);
  process.exit(2);
}
process.stdout.write(markdownReport(parsed as BenchResults));
