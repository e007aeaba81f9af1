// The YAML side of the loader: parse with source positions, refuse what YAML would silently
// misread, and map a field path back to the line it came from.
import {
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  type Document,
  type Node,
} from 'yaml';
import { InputError } from '../core/errors.js';

export type FieldPath = readonly (string | number)[];

export interface YamlSource {
  /** The document as plain JS (maps → objects, sequences → arrays). */
  value: unknown;
  /** Line of the node at `path`; for a path that stops early, the line of the last key found. */
  lineOf(path: FieldPath): number;
  /** Line of the key `key` inside the mapping at `path`. */
  keyLineOf(path: FieldPath, key: string): number;
  /** The source text of the scalar at `path`, for "(got …)" in messages. */
  sourceOf(path: FieldPath): string | null;
}

/** "scope.include[3]", "probe.host_gap_ms", "targets[1].file". */
export function formatField(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

/** The field path of the last node of a chain of YAML ancestors. */
function fieldOf(chain: readonly unknown[]): string {
  const segs: (string | number)[] = [];
  for (let i = 0; i < chain.length - 1; i++) {
    const a = chain[i];
    if (isPair(a) && isScalar(a.key)) segs.push(String(a.key.value));
    else if (isSeq(a)) segs.push(a.items.indexOf(chain[i + 1]));
  }
  return formatField(segs);
}

export function parseYamlSource(text: string, file: string): YamlSource {
  const lc = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number): number => lc.linePos(offset).line;

  const err = doc.errors[0];
  if (err !== undefined) {
    throw new InputError(`not valid YAML: ${firstLine(err.message)}`, { file, line: lineAt(err.pos[0]) });
  }
  visit(doc, {
    Alias(_key, node, ancestors) {
      // A plain "*.acme.example" is a YAML alias, not a wildcard; anchors and aliases have no use
      // in a scan file, so every alias is refused with the likely fix.
      const line = node.range ? lineAt(node.range[0]) : 1;
      const field = fieldOf([...ancestors, node]);
      throw new InputError(`YAML reads *${node.source} as an alias; quote wildcards: "*${node.source}"`, {
        file,
        line,
        field: field === '' ? undefined : field,
      });
    },
  });

  const rootLine = doc.contents?.range ? lineAt(doc.contents.range[0]) : 1;

  interface Found {
    node: unknown;
    line: number;
    complete: boolean;
  }

  function walk(path: FieldPath): Found {
    let node: unknown = doc.contents;
    let line = rootLine;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (pair === undefined) return { node, line, complete: false };
        const key = pair.key as Node;
        if (key.range) line = lineAt(key.range[0]);
        node = pair.value;
        // A scalar value sits on its key's line or its own; a block collection starts on the next
        // line, and its key's line is the better pointer.
        if (isScalar(node) && node.range) line = lineAt(node.range[0]);
      } else if (isSeq(node) && typeof seg === 'number') {
        const item: unknown = node.items[seg];
        if (item === undefined) return { node, line, complete: false };
        node = item;
        if ((isScalar(item) || isMap(item) || isSeq(item) || isAlias(item)) && item.range) {
          line = lineAt(item.range[0]);
        }
      } else {
        return { node, line, complete: false };
      }
    }
    return { node, line, complete: true };
  }

  return {
    value: doc.toJS({ maxAliasCount: 0 }) as unknown,
    lineOf: (path) => walk(path).line,
    keyLineOf(path, key) {
      const parent = walk(path);
      if (isMap(parent.node)) {
        const pair = parent.node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
        const k = pair?.key as Node | undefined;
        if (k?.range) return lineAt(k.range[0]);
      }
      return parent.line;
    },
    sourceOf(path) {
      const f = walk(path);
      if (!f.complete || !isScalar(f.node)) return null;
      const src = f.node.source ?? String(f.node.value);
      return typeof src === 'string' ? src : null;
    },
  };
}
