import picocolors from 'picocolors';

export type Colors = ReturnType<typeof picocolors.createColors>;

/**
 * Whether output to this stream gets ANSI colour. picocolors' own default turns colour on
 * whenever `CI` is set, even into a pipe; output that scripts and tests read must stay plain
 * unless a person asked for colour (FORCE_COLOR) or is looking at a terminal.
 */
export function wantsColor(
  stream: { isTTY?: boolean | undefined },
  env: Record<string, string | undefined> = process.env,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function colorsFor(
  stream: { isTTY?: boolean | undefined },
  env?: Record<string, string | undefined>,
): Colors {
  return picocolors.createColors(wantsColor(stream, env));
}
