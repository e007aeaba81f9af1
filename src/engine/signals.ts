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

/**
 * One long-lived signal (the scan's) seen by many short-lived children (each endpoint's deadline,
 * each pull from the target source) through a single listener. A listener per child on the signal
 * itself costs an EventTarget add and remove per child, each a walk of the signal's whole listener
 * list (Node's EventTarget checks every add for a duplicate) with an endpoint's worth of entries in
 * flight; a Set costs neither.
 */
export class AbortFanout {
  private readonly children = new Set<(reason: Error) => void>();
  private readonly onAbort = (): void => {
    const reason = abortReason(this.signal);
    const children = [...this.children];
    this.children.clear();
    for (const child of children) child(reason);
  };

  constructor(readonly signal: AbortSignal) {
    if (!signal.aborted) signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Calls `child` with the reason when the signal aborts, at once if it already has. */
  add(child: (reason: Error) => void): void {
    if (this.signal.aborted) child(abortReason(this.signal));
    else this.children.add(child);
  }

  delete(child: (reason: Error) => void): void {
    this.children.delete(child);
  }

  /** Children still attached (they detach on abort or by `delete`). */
  get size(): number {
    return this.children.size;
  }

  /** Settle with `p`, or reject with the abort reason as soon as the signal aborts (untilAborted). */
  race<T>(p: Promise<T>): Promise<T> {
    if (this.signal.aborted) return Promise.reject(abortReason(this.signal));
    return new Promise<T>((resolve, reject) => {
      this.children.add(reject);
      p.then(
        (value) => {
          this.children.delete(reject);
          resolve(value);
        },
        (err: unknown) => {
          this.children.delete(reject);
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed on as it came, like untilAborted
          reject(err);
        },
      );
    });
  }

  /** Detach from the signal once the children are done. */
  dispose(): void {
    this.signal.removeEventListener('abort', this.onAbort);
    this.children.clear();
  }
}
