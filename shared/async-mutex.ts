/** A FIFO async mutex: `run(fn)` executes `fn` when every earlier caller has finished. */
export class AsyncMutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `fn` exclusively and returns its result. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
