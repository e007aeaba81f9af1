// The layers of src/ (docs/ARCHITECTURE.md draws them), enforced by `npm run lint`
// (`depcruise src tools`). Each folder names the folders it may import; everything else under src/
// is forbidden to it. The table is a partial order — a folder never lists one that lists it, so
// no two folders can import each other (test/layers.test.ts checks both the order and the rule).
//
// dependency-cruiser rather than eslint's restricted paths: it resolves imports as TypeScript
// does (a `.js` specifier to its `.ts` file, type-only imports included), so a rule is about
// folders, not about how a specifier happens to be spelt, and it finds cycles.

/** Folder → the folders below it that it may import (its own files always). */
export const LAYERS = {
  // Layer 0: the shared vocabulary (result schema and closed lists, errors, probe response type,
  // build numbers, text neutralising, time, CSV parsing, addresses). Pure: imports nothing.
  core: [],
  // Layer 0: small I/O mechanisms (atomic writes, directories, colour policy, the package's
  // own version and location).
  util: ['core'],
  // Pure domain: responses → fingerprint; build → verdict. Knowledge comes in as data.
  fingerprint: ['core'],
  classify: ['core'],
  // Scan files: syntax (YAML, zod, target files), then what they authorise.
  scanfile: ['core', 'util'],
  scope: ['scanfile', 'core', 'util'],
  // The edge that reads the knowledge base from data/, the user's overlay and the environment.
  knowledge: ['classify', 'core', 'util'],
  // The run directory: run.json (one model), lock, resume, results writer and reader.
  'run-store': ['scanfile', 'core', 'util'],
  shard: ['scope', 'scanfile', 'run-store', 'core', 'util'],
  // Network: the probe loop and the engine (sessions, connector, rate gate, resolver).
  probe: ['fingerprint', 'core'],
  engine: ['scope', 'core', 'util'],
  // Outputs of a run.
  history: ['run-store', 'core', 'util'],
  report: ['history', 'knowledge', 'classify', 'run-store', 'core', 'util'],
  export: ['core', 'util'],
  notify: ['report', 'history', 'run-store', 'core', 'util'],
  outputs: ['report', 'notify', 'export', 'history', 'knowledge', 'classify', 'run-store', 'core', 'util'],
  // Pipelines, sharing outputs/finish-run.ts.
  scan: [
    'engine',
    'probe',
    'fingerprint',
    'classify',
    'knowledge',
    'run-store',
    'outputs',
    'scope',
    'scanfile',
    'shard',
    'core',
    'util',
  ],
  merge: ['outputs', 'run-store', 'shard', 'knowledge', 'classify', 'core', 'util'],
  reclassify: ['outputs', 'history', 'run-store', 'knowledge', 'classify', 'core', 'util'],
  'data-update': ['knowledge', 'classify', 'core', 'util'],
  // The simulated fleet: a leaf that only the demo (and tests, tools) use.
  fleet: ['core'],
  demo: ['scan', 'outputs', 'fleet', 'run-store', 'core', 'util'],
  // The command line on top of everything but the fleet.
  cli: [
    'scan',
    'merge',
    'reclassify',
    'data-update',
    'demo',
    'outputs',
    'report',
    'notify',
    'export',
    'history',
    'shard',
    'run-store',
    'engine',
    'probe',
    'scope',
    'scanfile',
    'knowledge',
    'classify',
    'fingerprint',
    'core',
    'util',
  ],
};

const layerRules = Object.entries(LAYERS).map(([folder, allowed]) => ({
  name: `layer-${folder}`,
  comment: `src/${folder}/ may import only ${allowed.length === 0 ? 'its own files' : `src/{${allowed.join(',')}}/`} (see docs/ARCHITECTURE.md)`,
  severity: 'error',
  from: { path: `^src/${folder}/` },
  to: { path: '^src/', pathNot: `^src/(${[folder, ...allowed].join('|')})/` },
}));

/** Node's network modules and the HTTP client: only where the product talks to the network. */
const NETWORK = '^(net|tls|dns|dns/promises|http|https|http2|dgram)$|^node_modules/undici/';

export default {
  forbidden: [
    ...layerRules,
    {
      name: 'layer-unknown',
      comment: 'every folder of src/ has a place in the layer table of .dependency-cruiser.js',
      severity: 'error',
      from: { path: '^src/', pathNot: `^src/(${Object.keys(LAYERS).join('|')})/|^src/index\\.ts$` },
      to: {},
    },
    {
      name: 'no-entry-import',
      comment: 'src/index.ts is the library entry: nothing inside src/ imports it',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/index\\.ts$' },
    },
    {
      name: 'no-network-outside-probe-and-engine',
      comment:
        'the scan talks to the network only in src/probe/ and src/engine/; data-update/fetch.ts fetches the feeds; the fleet serves on loopback',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(engine|probe|fleet)/|^src/data-update/fetch\\.ts$' },
      to: { path: NETWORK },
    },
    {
      name: 'pure-core',
      comment:
        'core/, fingerprint/ and classify/ are pure: no file system, network, processes or environment (node:crypto hashes, zod validates)',
      severity: 'error',
      from: { path: '^src/(core|fingerprint|classify)/' },
      to: {
        dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        pathNot: '^crypto$|^node_modules/zod/',
      },
    },
    {
      name: 'no-tools-or-tests-in-product',
      comment: 'src/ ships; tools/ and test/ do not',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(tools|test)/' },
    },
    {
      name: 'no-dev-dependency-in-product',
      comment: 'src/ runs where only "dependencies" are installed',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'no-circular',
      comment:
        'no module imports itself through others at run time (a cycle of type-only imports inside one folder is no dependency of the running code; cycles between folders are excluded by the layers)',
      severity: 'error',
      from: { path: '^(src|tools)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'every import resolves',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports are dependencies of the design too.
    tsPreCompilationDeps: true,
    reporterOptions: { text: { highlightFocused: true } },
  },
};
