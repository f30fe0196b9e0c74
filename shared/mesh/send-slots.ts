/**
 * At most `size` holders at once, the others waiting in FIFO order. An uploader sends its responses a
 * few at a time, each at the full upload rate, instead of all at once each at a sliver of it: a chunk
 * then reaches its requester (and can be passed on) in a fraction of the time. A request that has waited
 * `maxWaitMs` goes ahead without a slot, so on a slow link no requester waits long without a byte (and
 * gives up on its stall timeout).
 */
export class SendSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number, private readonly maxWaitMs = 10_000) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`send slots must be a whole number ≥ 1, got ${size}`);
    this.free = size;
  }

  /** Waits for a slot (at most `maxWaitMs`); call the returned function (once) to give it back. */
  async acquire(): Promise<() => void> {
    if (this.free > 0) {
      this.free -= 1;
      return this.releaser();
    }
    const granted = await new Promise<boolean>((resolve) => {
      const grant = () => { clearTimeout(timer); resolve(true); };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(grant), 1);
        resolve(false);
      }, this.maxWaitMs);
      this.waiting.push(grant);
    });
    return granted ? this.releaser() : () => {};
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next(); else this.free += 1;
    };
  }
}
