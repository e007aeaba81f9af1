// Every target a scan file lists, inline and in files, as one stream in listing order. Target
// files are read line by line each time the stream is consumed; nothing is kept.
import { InputError } from '../core/errors.js';
import type { ScanFile, SourceRef } from './types.js';
import { parseTarget, type ParsedTarget } from './targets.js';
import { readTargetFile, TargetLineError } from './target-file.js';
import { displayPath, osMessage } from './paths.js';

export interface ListedTarget {
  target: ParsedTarget;
  /** Where it is listed: the scan file's `targets[i]`, or a line of a targets file. */
  source: SourceRef;
  /** Index of the `targets` entry it comes from. */
  entry: number;
}

function isFsError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string';
}

/** Streams the targets of one `file:` entry, reporting problems as InputError. */
export async function* listFileTargets(
  spec: Extract<ScanFile['targets'][number], { kind: 'file' }>,
  entry: number,
): AsyncGenerator<ListedTarget> {
  const file = displayPath(spec.path);
  try {
    for await (const t of readTargetFile(spec.path)) {
      yield { target: t.target, source: { file, line: t.line, field: spec.source.field }, entry };
    }
  } catch (e) {
    if (e instanceof TargetLineError)
      throw new InputError(e.message, { file, line: e.line, field: spec.source.field });
    if (isFsError(e)) throw new InputError(`cannot read targets file ${file}: ${osMessage(e)}`, spec.source);
    throw e;
  }
}

export async function* listTargets(scan: ScanFile): AsyncGenerator<ListedTarget> {
  for (const [entry, spec] of scan.targets.entries()) {
    if (spec.kind === 'inline') {
      const t = parseTarget(spec.value);
      if (!t.ok) throw new InputError(t.error, spec.source);
      yield { target: t.value, source: spec.source, entry };
    } else {
      yield* listFileTargets(spec, entry);
    }
  }
}
