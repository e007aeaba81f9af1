// The report templates are compiled ahead of time (tools/templates/precompile.ts →
// src/report/templates.generated.ts): the compiled file must be what templates/ compiles to now,
// the compiler must refuse a template that could print unescaped text, and the compiled
// templates must keep strict mode (a view without a field the template prints is an error, not
// an empty string).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { precompileTemplates, TemplateRuleError } from '../tools/templates/precompile.js';
import { reportRenderer } from '../src/report/html.js';
import type { ReportView } from '../src/report/report-model.js';

const ROOT = join(import.meta.dirname, '..');
const TEMPLATES = join(ROOT, 'templates');
const work = mkdtempSync(join(tmpdir(), 'owa-templates-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let copies = 0;
/** A copy of templates/ with one file's text changed. */
function templatesWith(file: string, change: (text: string) => string): string {
  const dir = join(work, `t${++copies}`);
  cpSync(TEMPLATES, dir, { recursive: true });
  writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

describe('the compiled report templates', () => {
  it('are what templates/ compiles to now (else: npm run templates)', () => {
    const committed = readFileSync(join(ROOT, 'src', 'report', 'templates.generated.ts'), 'utf8');
    expect(
      committed === precompileTemplates(TEMPLATES),
      'src/report/templates.generated.ts is stale: npm run templates',
    ).toBe(true);
  });

  it('change when a template changes', () => {
    const dir = templatesWith('report.hbs', (t) => t.replace('</body>', '<p>changed</p></body>'));
    expect(precompileTemplates(dir)).not.toBe(precompileTemplates(TEMPLATES));
  });

  it('are refused with an unescaped expression in the document or a partial', () => {
    const main = templatesWith('report.hbs', (t) => t.replace('</body>', '{{{ run.name }}}</body>'));
    expect(() => precompileTemplates(main)).toThrow(TemplateRuleError);
    expect(() => precompileTemplates(main)).toThrow(/report\.hbs uses an unescaped expression/);
    const partial = templatesWith(join('partials', 'verdict.hbs'), (t) => `{{& name }}${t}`);
    expect(() => precompileTemplates(partial)).toThrow(/verdict\.hbs uses an unescaped expression/);
  });

  it('are refused with a stylesheet that could end the style element or print a value', () => {
    const close = templatesWith('report.css', (t) => `${t}\n/* </STYLE><script>x</script> */`);
    expect(() => precompileTemplates(close)).toThrow(TemplateRuleError);
    const value = templatesWith('report.css', (t) => `${t}\n/* {{ run.name }} */`);
    expect(() => precompileTemplates(value)).toThrow(/report\.css must not contain/);
  });

  it('keep strict mode: a view without the fields the document prints is an error', () => {
    const render = reportRenderer();
    expect(() => render({} as ReportView)).toThrow(/not defined|undefined|lookup/i);
  });
});
