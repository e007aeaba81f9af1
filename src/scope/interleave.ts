// Spreads consecutive endpoints over hosts. Listed targets often come host by host (a masscan
// file lists 443 and 80 of one address on adjacent lines; a name yields all its ports at once);
// the engine's per-host gap would then serialise them. Items are collected in windows of `size`
// and each window is emitted round-robin over its hosts.

export class Interleaver<T> {
  private window: T[] = [];

  constructor(
    private readonly size: number,
    private readonly hostOf: (item: T) => string,
  ) {}

  get full(): boolean {
    return this.window.length >= this.size;
  }

  push(item: T): void {
    this.window.push(item);
  }

  /** Emits the window: first item of every host, then second of every host, and so on. */
  *drain(): Generator<T> {
    const items = this.window;
    this.window = [];
    if (items.length <= 1) {
      yield* items;
      return;
    }
    const groups = new Map<string, T[]>();
    for (const item of items) {
      const key = this.hostOf(item);
      const g = groups.get(key);
      if (g === undefined) groups.set(key, [item]);
      else g.push(item);
    }
    const queues = [...groups.values()];
    for (let round = 0; ; round++) {
      let any = false;
      for (const q of queues) {
        const item = q[round];
        if (item !== undefined) {
          any = true;
          yield item;
        }
      }
      if (!any) break;
    }
  }
}
