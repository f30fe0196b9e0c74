/** Pulls exact byte counts out of an async byte stream, holding at most one pending input block. */
export class ByteReader {
  private readonly it: AsyncIterator<Uint8Array>;
  private head: Uint8Array = new Uint8Array(0);
  private done = false;

  constructor(source: AsyncIterable<Uint8Array>, private readonly signal?: AbortSignal) {
    this.it = source[Symbol.asyncIterator]();
  }

  /** The next `n` bytes, or fewer when the stream ends first. */
  async read(n: number): Promise<Uint8Array> {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n && (this.head.length > 0 || await this.pull())) {
      const take = Math.min(n - filled, this.head.length);
      out.set(this.head.subarray(0, take), filled);
      this.head = this.head.subarray(take);
      filled += take;
    }
    return filled === n ? out : out.subarray(0, filled);
  }

  /** True when no byte is left. */
  async atEnd(): Promise<boolean> {
    return this.head.length === 0 && !(await this.pull());
  }

  /** Stops the underlying stream early (e.g. after an error). */
  async close(): Promise<void> {
    if (!this.done) {
      this.done = true;
      await this.it.return?.();
    }
  }

  private async pull(): Promise<boolean> {
    while (!this.done) {
      this.signal?.throwIfAborted();
      const next = await this.it.next();
      if (next.done) {
        this.done = true;
        return false;
      }
      if (next.value.length > 0) {
        this.head = next.value;
        return true;
      }
    }
    return false;
  }
}
