/**
 * The requests a server is still handling, so a graceful stop can let them finish (and their writes
 * land) before the connections are cut and the database closes.
 */
export class InFlightRequests {
  private count = 0;
  private idle: (() => void)[] = [];
  private readonly done = () => {
    if (--this.count > 0) return;
    const waiting = this.idle;
    this.idle = [];
    for (const wake of waiting) wake();
  };

  /** Follows one request's handling until it settles. */
  track(handling: unknown): void {
    if (!(handling instanceof Promise)) return;
    this.count++;
    handling.then(this.done, this.done);
  }

  get size(): number {
    return this.count;
  }

  /** Resolves true once every tracked request has settled (requests tracked meanwhile included), false after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      new Promise<true>((resolve) => { this.idle.push(() => resolve(true)); }),
      new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); }),
    ]);
    clearTimeout(timer);
    return drained;
  }
}
