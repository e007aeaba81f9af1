// Summarise a V8 CPU profile (`node --cpu-prof`, or the bench's OWA_BENCH_CPU_PROF, docs/bench.md):
// self time by source file and by function, and inclusive time by function — the first questions
// when a bench figure is off. Plain JavaScript so that it runs without a build.
//
//   node tools/profile-summary.mjs FILE.cpuprofile [--match REGEX] [--top N]
//
// --match keeps only frames whose script URL matches (e.g. `dist/` for the product's own code).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import process from 'node:process';

// Piped into `head`: stop quietly when the reader has had enough.
process.stdout.on('error', () => process.exit(0));
const say = (line) => process.stdout.write(`${line}\n`);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { match: { type: 'string' }, top: { type: 'string', default: '40' } },
});
if (positionals.length !== 1) {
  process.stderr.write('usage: node tools/profile-summary.mjs FILE.cpuprofile [--match REGEX] [--top N]\n');
  process.exit(2);
}
const top = Number(values.top);
const match = values.match === undefined ? null : new RegExp(values.match);
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
/** Microseconds sampled in each node (its self time). */
const self = new Map();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const short = (url) =>
  url.replace(/.*node_modules\//, 'node_modules/').replace(/^file:\/\/.*?\/(dist|src|tools)\//, '$1/');
const fnKey = (n) =>
  `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const fileKey = (n) => {
  const url = n.callFrame.url;
  if (url === '') return n.callFrame.functionName || '(native)';
  if (url.includes('node_modules/')) return `node_modules/${url.split('node_modules/')[1].split('/')[0]}`;
  return short(url);
};

const byFile = new Map();
const byFn = new Map();
const inclusive = new Map();
const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
for (const [id, us] of self) {
  const n = nodes.get(id);
  if (match === null || match.test(n.callFrame.url)) {
    add(byFile, fileKey(n), us);
    add(byFn, fnKey(n), us);
  }
  // Inclusive: once per distinct function on the stack (recursion counted once).
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const frame = nodes.get(cur);
    if (match !== null && !match.test(frame.callFrame.url)) continue;
    const k = fnKey(frame);
    if (seen.has(k)) continue;
    seen.add(k);
    add(inclusive, k, us);
  }
}

const table = (title, m) => {
  say(`--- ${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    say(`${(us / 1000).toFixed(0).padStart(8)} ms  ${k}`);
};
say(`profile: ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms`);
table('self time by file', byFile);
table('self time by function', byFn);
table('inclusive time by function', inclusive);
