// Turns zod issues into the one InputError the user sees: the earliest problem in the file, with
// its line and field path, in one sentence.
import type { z } from 'zod';
import { InputError } from '../core/errors.js';
import { formatField, type FieldPath, type YamlSource } from './yaml-source.js';
import { knownKeysAt } from './schema.js';
import { closestKey } from './suggest.js';
import { show } from './show.js';

type Issue = z.core.$ZodIssue;

function valueAt(root: unknown, path: FieldPath): unknown {
  let v = root;
  for (const seg of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function describe(v: unknown, src: string | null): string {
  return src ?? show(v);
}

/** A plain `2001:db8::` in YAML ends with ":" and becomes a mapping key; say so. */
function yamlMisreadHint(v: unknown): string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return '';
  const keys = Object.keys(v);
  const [key] = keys;
  if (keys.length === 1 && key !== undefined && /^[0-9a-f:.]*:$/i.test(key)) {
    return `; YAML read "${key}:" as a mapping key: quote IPv6 addresses, e.g. "${key}:"`;
  }
  return '';
}

interface Located {
  line: number;
  field: string;
  message: string;
}

/**
 * Replaces a union failure by the issues of the branch that matches the input's shape (a target
 * written as a mapping is reported against the `file:` mapping), so its own problem is reported.
 */
function flatten(issues: readonly Issue[]): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    if (issue.code !== 'invalid_union') {
      out.push(issue);
      continue;
    }
    const branch = issue.errors.find((b) => {
      const first = b[0];
      return first !== undefined && !(first.code === 'invalid_type' && first.path.length === 0);
    });
    if (branch === undefined) out.push(issue);
    else out.push(...flatten(branch.map((i) => ({ ...i, path: [...issue.path, ...i.path] }))));
  }
  return out;
}

const pathKey = (p: readonly PropertyKey[]): string => JSON.stringify(p.map(String));

function locate(issue: Issue, source: YamlSource): Located {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const value = valueAt(source.value, path);
  const got = (): string => describe(value, source.sourceOf(path));

  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0] ?? '';
      const known = knownKeysAt(path);
      const guess = closestKey(key, known);
      const hint = guess !== null ? `did you mean "${guess}"?` : `allowed here: ${known.join(', ')}`;
      return {
        line: source.keyLineOf(path, key),
        field: formatField([...path, key]),
        message: `unknown key "${key}"; ${hint}`,
      };
    }
    case 'invalid_union': {
      return {
        line: source.lineOf(path),
        field: formatField(path),
        message: `must be a target (IP, CIDR or hostname, optionally ":port") or "file: <path>", not ${got()}`,
      };
    }
    default:
      break;
  }

  if (value === undefined && path.length > 0 && issue.code === 'invalid_type') {
    const parent = path.slice(0, -1);
    const message =
      path[0] === 'authorisation'
        ? 'is missing: every scan names its authorisation (by, reference, contact, valid_until) and refuses to start without it'
        : path[0] === 'scope'
          ? 'is missing: scope.include lists what this scan may touch'
          : 'is missing';
    return { line: source.lineOf(parent), field: formatField(path), message };
  }
  if (issue.code === 'custom') {
    return { line: source.lineOf(path), field: formatField(path), message: issue.message };
  }
  return {
    line: source.lineOf(path),
    field: formatField(path),
    message: `${issue.message} (got ${got()})${yamlMisreadHint(value)}`,
  };
}

/** The InputError for the first problem in document order. */
export function issuesToInputError(issues: readonly Issue[], source: YamlSource, file: string): InputError {
  const flat = flatten(issues);
  // A missing key is reported on its mapping's line, which would win over a misspelt key further
  // down that explains it ("valid_til" for valid_until): the unknown key goes first.
  const unknownIn = new Set(flat.filter((i) => i.code === 'unrecognized_keys').map((i) => pathKey(i.path)));
  const isMissing = (i: Issue): boolean =>
    i.path.length > 0 &&
    valueAt(
      source.value,
      i.path.filter((p): p is string | number => typeof p !== 'symbol'),
    ) === undefined;
  const ranked = flat.filter((i) => !(isMissing(i) && unknownIn.has(pathKey(i.path.slice(0, -1)))));
  let best: Located | null = null;
  for (const issue of ranked) {
    const l = locate(issue, source);
    if (best === null || l.line < best.line) best = l;
  }
  if (best === null) return new InputError('is not a valid scan file', { file });
  return new InputError(best.message, {
    file,
    line: best.line,
    field: best.field === '' ? undefined : best.field,
  });
}
