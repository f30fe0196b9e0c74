/**
 * At most `size` holders at once, the others waiting in FIFO order. An uploader sends its responses a
 * few at a time, each at the full upload rate, instead of all at once each at a sliver of it: a chunk
 * then reaches its requester (and can be passed on) in a fraction of the time.
 */
export class SendSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`send slots must be a whole number ≥ 1, got ${size}`);
    this.free = size;
  }

  /** Waits for a slot; call the returned function (once) to give it back. */
  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next(); else this.free += 1;
    };
  }
}
