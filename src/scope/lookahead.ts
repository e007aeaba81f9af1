// Keeps up to `size` items of a stream in flight: `start` runs as each item enters the window
// (e.g. begins its DNS lookup) and items leave in their original order. Memory is bounded by the
// window; an error of the source is raised after the items read before it.

export async function* lookahead<T, U>(
  source: AsyncIterable<T>,
  size: number,
  start: (item: T) => U,
): AsyncGenerator<[T, U]> {
  const window: [T, U][] = [];
  const it = source[Symbol.asyncIterator]();
  let failure: { error: unknown } | null = null;
  let done = false;
  try {
    for (;;) {
      while (!done && failure === null && window.length < size) {
        try {
          const r = await it.next();
          if (r.done === true) done = true;
          else window.push([r.value, start(r.value)]);
        } catch (error) {
          failure = { error };
        }
      }
      const head = window.shift();
      if (head === undefined) break;
      yield head;
    }
    if (failure !== null) throw failure.error;
  } finally {
    if (!done && failure === null) await it.return?.();
  }
}
