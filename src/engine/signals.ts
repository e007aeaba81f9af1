// Small AbortSignal helpers. AbortSignal.any() is avoided on purpose: on Node 20 it retains its
// sources for the lifetime of a long-lived parent (the scan-wide signal), which would leak one
// entry per endpoint over a 100,000-endpoint scan. These helpers remove their listeners.

/** The reason a signal was aborted, as an Error (AbortSignal.reason can be anything). */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException(typeof reason === 'string' ? reason : 'aborted', 'AbortError');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw abortReason(signal);
}

/** A ref'd timer: a sleeping gate or deadline is real pending work the process must wait for. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface LinkedController {
  readonly signal: AbortSignal;
  abort(reason: Error): void;
  /** Detach from the parents; call when the child's work is done. */
  dispose(): void;
}

/** A controller that also aborts (with the parent's reason) when any parent aborts. */
export function linkedController(...parents: (AbortSignal | undefined)[]): LinkedController {
  const controller = new AbortController();
  const attached: { parent: AbortSignal; listener: () => void }[] = [];
  for (const parent of parents) {
    if (parent === undefined) continue;
    if (parent.aborted) {
      controller.abort(abortReason(parent));
      break;
    }
    const listener = (): void => {
      controller.abort(abortReason(parent));
    };
    parent.addEventListener('abort', listener, { once: true });
    attached.push({ parent, listener });
  }
  return {
    signal: controller.signal,
    abort: (reason) => {
      controller.abort(reason);
    },
    dispose: () => {
      for (const { parent, listener } of attached) parent.removeEventListener('abort', listener);
      attached.length = 0;
    },
  };
}

/** Settle with `p`, or reject with the abort reason as soon as `signal` aborts. */
export function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', onAbort);
    });
  });
}
