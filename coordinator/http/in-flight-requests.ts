/**
 * The requests a server is still handling, so a graceful stop can let them finish (and their writes
 * land) before the connections are cut and the database closes.
 */
export class InFlightRequests {
  private readonly pending = new Set<Promise<unknown>>();

  /** Follows one request's handling until it settles. */
  track(handling: unknown): void {
    if (!(handling instanceof Promise)) return;
    const settled = handling.catch(() => undefined).finally(() => this.pending.delete(settled));
    this.pending.add(settled);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves true once every tracked request has settled (requests tracked meanwhile included), false after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(this.pending), new Promise((resolve) => { timer = setTimeout(resolve, left); })]);
      clearTimeout(timer);
    }
    return true;
  }
}
