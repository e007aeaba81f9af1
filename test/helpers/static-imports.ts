// The static import graph of the sources, as Node's loader walks it before running a line: parsed
// with the TypeScript compiler. With `verbatimModuleSyntax` an import declaration is kept exactly
// unless it says `import type`/`export type`, so the walk sees what the build emits. Packages are
// named, not followed. Used by the start-up tests (test/cli-static-imports.test.ts) and the scan's
// lazy report stack (test/scan-lazy-outputs.test.ts).
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ModuleImports {
  static: string[];
  dynamic: string[];
}

export function importsOf(file: string): ModuleImports {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: ModuleImports = { static: [], dynamic: [] };
  for (const st of source.statements) {
    if (ts.isImportDeclaration(st) && st.importClause?.phaseModifier !== ts.SyntaxKind.TypeKeyword) {
      out.static.push((st.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier !== undefined && !st.isTypeOnly) {
      out.static.push((st.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg !== undefined && ts.isStringLiteral(arg)) out.dynamic.push(arg.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** A relative `.js` specifier of src/ names the `.ts` file beside it; a package its name. */
export function resolveSpecifier(from: string, spec: string): { file: string } | { pkg: string } | null {
  if (spec.startsWith('node:')) return null;
  if (spec.startsWith('.')) return { file: resolve(dirname(from), spec).replace(/\.js$/, '.ts') };
  const parts = spec.split('/');
  return { pkg: spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec) };
}

export interface StaticGraph {
  modules: Map<string, string | null>;
  packages: Map<string, string>;
  dynamic: { from: string; file: string }[];
  /** Packages reached by an import() of a module in the graph (not walked further). */
  dynamicPackages: { from: string; pkg: string }[];
}

export function staticGraph(entries: string[]): StaticGraph {
  const graph: StaticGraph = { modules: new Map(), packages: new Map(), dynamic: [], dynamicPackages: [] };
  const queue = [...entries];
  for (const e of entries) graph.modules.set(e, null);
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const { static: st, dynamic } = importsOf(file);
    for (const spec of dynamic) {
      const r = resolveSpecifier(file, spec);
      if (r === null) continue;
      if ('file' in r) graph.dynamic.push({ from: file, file: r.file });
      else graph.dynamicPackages.push({ from: file, pkg: r.pkg });
    }
    for (const spec of st) {
      const r = resolveSpecifier(file, spec);
      if (r === null) continue;
      if ('pkg' in r) {
        if (!graph.packages.has(r.pkg)) graph.packages.set(r.pkg, file);
      } else if (!graph.modules.has(r.file)) {
        graph.modules.set(r.file, file);
        queue.push(r.file);
      }
    }
  }
  return graph;
}

/** "src/cli/main.ts → src/cli/commands/scan.ts → …": how a module came to be loaded. */
export function chain(graph: StaticGraph, file: string): string {
  const out: string[] = [];
  for (let f: string | null | undefined = file; f != null; f = graph.modules.get(f))
    out.unshift(relative(ROOT, f));
  return out.join(' → ');
}
