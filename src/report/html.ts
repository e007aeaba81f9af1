// HTML rendering with Handlebars' runtime and the report templates compiled at development time
// (templates.generated.ts, from templates/ by tools/templates/precompile.ts, which also enforces
// the rules): strict mode and no helpers at all, so templates can only print view-model values
// through `{{ }}`, which escapes them, and can only branch and loop with the built-ins. The view
// model does all formatting, so no helper can ever turn hostile text into markup.
import runtime from 'handlebars/runtime.js';
import type { ReportView } from './report-model.js';
import type { HandlebarsRuntime } from './template-specs.js';
import { TEMPLATE_SPECS } from './templates.generated.js';

const Handlebars = runtime as unknown as HandlebarsRuntime;

export type ReportRenderer = (view: ReportView) => string;

let cached: ReportRenderer | null = null;

/** The report renderer, made once per process (in a scan, during its probe phase: outputs/prepare.ts). */
export function reportRenderer(): ReportRenderer {
  if (cached !== null) return cached;
  const hb = Handlebars.create();
  for (const [name, spec] of Object.entries(TEMPLATE_SPECS.partials))
    hb.registerPartial(name, hb.template(spec));
  hb.registerPartial('styles', hb.template(TEMPLATE_SPECS.styles));
  const template = hb.template<ReportView>(TEMPLATE_SPECS.main);
  const render: ReportRenderer = (view) =>
    template(view, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
  cached = render;
  return render;
}
