// The shape of the compiled report templates (templates.generated.ts, written by
// tools/templates/precompile.ts): what Handlebars' runtime `template()` takes, for the main
// document, the stylesheet (a partial) and each partial by name. The runtime's own typings
// (handlebars/runtime.d.ts) declare no members; the full package's do, and only its types are
// imported here: the compiler is never loaded.
import type FullHandlebars from 'handlebars';

/** The part of Handlebars' runtime the renderer uses (html.ts). */
export type HandlebarsRuntime = Pick<typeof FullHandlebars, 'create' | 'template'>;

type TemplateSpecification = Parameters<HandlebarsRuntime['template']>[0];

export interface TemplateSpecs {
  main: TemplateSpecification;
  styles: TemplateSpecification;
  partials: Readonly<Record<string, TemplateSpecification>>;
}
