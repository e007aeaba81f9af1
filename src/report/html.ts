// HTML rendering. A private Handlebars environment in strict mode with no helpers at all
// (knownHelpersOnly and an empty list): templates can only print view-model values through
// `{{ }}`, which escapes them, and can only branch and loop with the built-ins. The view model
// does all formatting, so no helper can ever turn hostile text into markup.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { PACKAGE_ROOT } from '../util/version.js';
import type { ReportView } from './report-model.js';

export const TEMPLATE_DIR = join(PACKAGE_ROOT, 'templates');

const COMPILE_OPTIONS = {
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: {},
  preventIndent: true,
} as const;

/** `{{{` would print unescaped: our templates never use it, and refuse to load if one does. */
const TRIPLE_STASH = /\{\{\{|\{\{&/;

function checkTemplate(name: string, source: string): string {
  if (TRIPLE_STASH.test(source))
    throw new Error(`template ${name} uses an unescaped expression ({{{ or {{&)`);
  return source;
}

export type ReportRenderer = (view: ReportView) => string;

let cached: { dir: string; render: ReportRenderer } | null = null;

/** Compiles templates/report.hbs with its partials and CSS (once per directory). */
export function reportRenderer(dir: string = TEMPLATE_DIR): ReportRenderer {
  if (cached?.dir === dir) return cached.render;
  const hb = Handlebars.create();
  const partialDir = join(dir, 'partials');
  for (const file of readdirSync(partialDir).sort()) {
    if (!file.endsWith('.hbs')) continue;
    const name = file.slice(0, -'.hbs'.length);
    hb.registerPartial(
      name,
      hb.compile(checkTemplate(file, readFileSync(join(partialDir, file), 'utf8')), COMPILE_OPTIONS),
    );
  }
  // The stylesheet is our own file, included verbatim as a partial: CSS must not be HTML-escaped.
  const css = readFileSync(join(dir, 'report.css'), 'utf8');
  if (css.includes('{{') || /<\/style/i.test(css))
    throw new Error('report.css must not contain "{{" or "</style"');
  hb.registerPartial('styles', css);
  const template = hb.compile(
    checkTemplate('report.hbs', readFileSync(join(dir, 'report.hbs'), 'utf8')),
    COMPILE_OPTIONS,
  );
  const render: ReportRenderer = (view) =>
    template(view, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
  cached = { dir, render };
  return render;
}
