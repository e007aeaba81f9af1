// `npm run templates`: compiles templates/ into src/report/templates.generated.ts
// (precompile.ts says why). `--check`: exits 1, writing nothing, when that file is not current.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompileTemplates } from './precompile.js';

// dist-tools/tools/templates/ → the repository root.
const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const GENERATED = join(ROOT, 'src', 'report', 'templates.generated.ts');

const text = precompileTemplates(join(ROOT, 'templates'));
if (process.argv.includes('--check')) {
  const current = readFileSync(GENERATED, 'utf8');
  if (current !== text) {
    process.stderr.write(`${GENERATED} is not current: run \`npm run templates\`\n`);
    process.exitCode = 1;
  }
} else {
  writeFileSync(GENERATED, text);
  process.stdout.write(`templates: wrote ${GENERATED}\n`);
}
