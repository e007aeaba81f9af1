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

type Env = ReturnType<typeof Handlebars.create>;
type Compiled = ReturnType<Env['compile']>;

/** The compiler stages Handlebars' runtime exposes but its typings leave out. */
interface CompilerStages {
  parse: (input: string, options: object) => unknown;
  Compiler: new () => { compile(ast: unknown, options: object): unknown };
  JavaScriptCompiler: new () => {
    compile(environment: unknown, options: object, context: undefined, asObject: true): unknown;
  };
  template: (spec: unknown) => Compiled;
}

/**
 * `hb.compile` only wraps the source: it is parsed and compiled on the first render, which for a
 * scan is after its last request, though outputs/prepare.ts has reportRenderer called during the
 * probe phase to get that work done by then. So this runs the stages of that first render now;
 * the template, and the text it renders, are the same.
 */
function compileNow(hb: Env, source: string): Compiled {
  const stages = hb as unknown as CompilerStages;
  const options = { ...COMPILE_OPTIONS, data: true }; // data: hb.compile's default
  const ast = stages.parse(source, options);
  const environment = new stages.Compiler().compile(ast, options);
  return stages.template(new stages.JavaScriptCompiler().compile(environment, options, undefined, true));
}

let cached: { dir: string; render: ReportRenderer } | null = null;

/** Compiles templates/report.hbs with its partials and CSS (once per directory), all of it now. */
export function reportRenderer(dir: string = TEMPLATE_DIR): ReportRenderer {
  if (cached?.dir === dir) return cached.render;
  const hb = Handlebars.create();
  const partialDir = join(dir, 'partials');
  for (const file of readdirSync(partialDir).sort()) {
    if (!file.endsWith('.hbs')) continue;
    const name = file.slice(0, -'.hbs'.length);
    hb.registerPartial(
      name,
      compileNow(hb, checkTemplate(file, readFileSync(join(partialDir, file), 'utf8'))),
    );
  }
  // The stylesheet is our own file, included verbatim as a partial: CSS must not be HTML-escaped.
  const css = readFileSync(join(dir, 'report.css'), 'utf8');
  if (css.includes('{{') || /<\/style/i.test(css))
    throw new Error('report.css must not contain "{{" or "</style"');
  // Compiled now too: a partial registered as a string is compiled when first rendered.
  hb.registerPartial('styles', compileNow(hb, css));
  const template = compileNow(hb, checkTemplate('report.hbs', readFileSync(join(dir, 'report.hbs'), 'utf8')));
  const render: ReportRenderer = (view) =>
    template(view, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
  cached = { dir, render };
  return render;
}
