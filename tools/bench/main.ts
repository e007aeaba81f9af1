// `npm run bench`: the figures behind the claims of speed, politeness and bounded memory, measured
// against the simulated fleet on loopback, printed as they come, then as one table and as JSON
// (bench-results.json in --out). The fleet and every measured job run in child processes of their
// own (children.ts); all of them end with this process.
import { join } from 'node:path';
import { writeFile, mkdir } from 'node:fs/promises';
import { openFileLimit } from './children.js';
import { createContext, round } from './context.js';
import { locateBrowser } from '../../src/report/chromium.js';
import { browserText, describeBrowser, describeMachine } from './machine.js';
import { parseBenchArgs, USAGE, type Section } from './options.js';
import { BENCH_SCHEMA, RESULTS_FILE, type BenchResults } from './results.js';
import { command } from './sections/command.js';
import { history } from './sections/history.js';
import { memory, memory12 } from './sections/memory.js';
import { pool } from './sections/pool.js';
import { rate } from './sections/rate.js';
import { render } from './sections/render.js';
import { requestsPerEndpoint } from './sections/requests.js';
import { startup } from './sections/startup.js';
import { throughput } from './sections/throughput.js';
import { summaryTable } from './table.js';

/** The whole run stops by itself even if a section hangs somewhere the per-job timeouts miss (the /12 alone takes ~15 minutes). */
const RUN_LIMIT_MS = 90 * 60_000;

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseBenchArgs(argv);
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const started = performance.now();
  const write = (text: string): void => void process.stdout.write(text);
  const ctx = createContext(options, write);
  await mkdir(options.out, { recursive: true });
  const located = await locateBrowser();
  const browser = await describeBrowser('tried' in located ? null : located);
  const results: BenchResults = {
    schema: BENCH_SCHEMA,
    mode: options.quick ? 'quick' : 'full',
    command: `node --expose-gc dist-tools/tools/bench/main.js ${argv.join(' ')}`.trim(),
    machine: describeMachine(await openFileLimit(), browser),
    wallSeconds: 0,
    sectionSeconds: {},
    throughput: [],
    wholeCommand: null,
    startup: null,
    rate: null,
    requests: null,
    memory: [],
    memory12: [],
    render: [],
    history: [],
    pool: null,
    notes: ctx.notes,
    failures: [],
  };
  const m = results.machine;
  ctx.log(
    `owa-audit bench (${results.mode}): ${m.nproc} CPU ${m.cpuModel}, ${m.ramGb} GB, Node ${m.node}, load ${m.loadAverage}; PDFs printed by ${browserText(m) ?? '–'}; output in ${options.out}`,
  );
  if (m.loadAverage > m.nproc)
    ctx.note(
      `the machine was busy when the bench started (load ${m.loadAverage} on ${m.nproc} CPUs): figures are lower than on an idle machine`,
    );

  const run: Record<Section, () => Promise<void>> = {
    throughput: async () => void (results.throughput = await throughput(ctx)),
    command: async () => void (results.wholeCommand = await command(ctx)),
    startup: async () => void (results.startup = await startup(ctx)),
    rate: async () => void (results.rate = await rate(ctx)),
    requests: async () => void (results.requests = await requestsPerEndpoint(ctx)),
    memory: async () => void (results.memory = await memory(ctx)),
    memory12: async () => void (results.memory12 = await memory12(ctx)),
    render: async () => void (results.render = await render(ctx)),
    history: async () => void (results.history = await history(ctx)),
    pool: async () => void (results.pool = await pool(ctx)),
  };
  for (const section of options.sections) {
    const t = performance.now();
    try {
      await run[section]();
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      results.failures.push({ section, error });
      ctx.log(`  FAILED: ${error}`);
    }
    results.sectionSeconds[section] = round((performance.now() - t) / 1000);
  }
  results.wallSeconds = round((performance.now() - started) / 1000);
  const file = join(options.out, RESULTS_FILE);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`, 'utf8');
  write(`\n${summaryTable(results)}\nfigures: ${file}\n`);
  return results.failures.length > 0 ? 1 : 0;
}

const limit = setTimeout(() => {
  process.stderr.write(`bench: still running after ${RUN_LIMIT_MS / 60_000} minutes; stopping\n`);
  process.exit(1);
}, RUN_LIMIT_MS);
limit.unref();

// Explicit exit: a child or socket left behind by a failed section must not keep the bench alive.
process.exit(await main(process.argv.slice(2)));
