// Bundles the compiled CLI (dist/cli/run.js and everything it imports, dependencies included)
// into dist/bundle/: the program bin/owa-audit.js runs. Node resolves, reads and links every ES
// module and package file separately — a scan's start loaded ~400 files, 0.2–0.4 s of a
// `scan` before its first request (docs/bench.md) — where the bundle has a few dozen chunks.
// Each command's import() stays a chunk of its own, so `--version` loads only what it did.
//
// Left out: better-sqlite3 (a native addon found through its own package directory). The
// manifest (dist/bundle/manifest.json) lists each chunk's modules and static imports, so a test
// can say what any set of loaded chunks contains (test/cli-bundle.integration.test.ts).
//
// Runs after `tsc -p tsconfig.build.json` (npm run build, and prepare on npm ci). Plain JavaScript:
// it runs before anything under tools/ is compiled.
import { rmSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { build } from 'rolldown';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const ENTRY = resolve(ROOT, 'dist', 'cli', 'run.js');
const OUT = resolve(ROOT, 'dist', 'bundle');
/**
 * Packages the bundle replaces with a stand-in that refuses, because owa-audit never takes the
 * path that uses them, and loading them cost every start of the PDF path:
 * - `proxy-agent`, the HTTP agent of @puppeteer/browsers' downloads (its httpUtil.js), with the
 *   PAC-file stack behind it (an ECMAScript parser and a QuickJS interpreter in WebAssembly, about
 *   a megabyte of the bundle, ~70 ms). owa-audit never downloads a browser (report/chromium.ts only
 *   looks for installed ones): nothing in the bundle can send a request that way.
 * - `ws`, the WebSocket client of puppeteer's NodeWebSocketTransport, which puppeteer's launcher
 *   imports for browsers it talks to over a DevTools port. owa-audit talks to Chromium through a
 *   pipe (report/pdf.ts: `pipe: true`, no port on localhost), so the client is never made (~25 ms).
 */
const STAND_INS = {
  'proxy-agent':
    'export class ProxyAgent {\n' +
    '  constructor() {\n' +
    "    throw new Error('owa-audit downloads nothing: @puppeteer/browsers has no proxy agent in this bundle');\n" +
    '  }\n' +
    '}\n',
  ws:
    'export default class WebSocket {\n' +
    '  constructor() {\n' +
    "    throw new Error('owa-audit talks to Chromium through a pipe: this bundle has no WebSocket client');\n" +
    '  }\n' +
    '}\n',
};
const STAND_IN_PREFIX = '\0owa-audit:stand-in:';
const standIns = {
  name: 'owa-audit-stand-ins',
  resolveId: (id) => (Object.hasOwn(STAND_INS, id) ? `${STAND_IN_PREFIX}${id}` : null),
  load: (id) => (id.startsWith(STAND_IN_PREFIX) ? STAND_INS[id.slice(STAND_IN_PREFIX.length)] : null),
};
/** Packages loaded from node_modules as they are. */
const EXTERNAL = ['better-sqlite3'];

rmSync(OUT, { recursive: true, force: true });
const output = await build({
  input: ENTRY,
  platform: 'node',
  external: (id) => id.startsWith('node:') || EXTERNAL.some((p) => id === p || id.startsWith(`${p}/`)),
  logLevel: 'warn',
  plugins: [standIns],
  output: {
    dir: OUT,
    format: 'esm',
    entryFileNames: 'owa-audit.js',
    chunkFileNames: '[name]-[hash].js',
  },
});

const chunks = output.output.filter((o) => o.type === 'chunk');
const manifest = {
  entry: 'owa-audit.js',
  chunks: Object.fromEntries(
    chunks.map((c) => [
      c.fileName,
      {
        imports: c.imports,
        dynamicImports: c.dynamicImports,
        modules: c.moduleIds.filter((id) => !id.startsWith('\0')).map((id) => relative(ROOT, id)),
      },
    ]),
  ),
};
writeFileSync(resolve(OUT, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
process.stdout.write(`bundle: ${chunks.length} chunks in ${relative(ROOT, OUT)}\n`);
