import type { Clock } from '../clock.js';

/**
 * Byte-rate cap: `ratePerSecond` tokens refill continuously up to `burst`; `take(n)` waits until n
 * tokens are there (a take larger than the burst waits for a full bucket and drives it negative).
 * A rate of 0 means unlimited.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly ratePerSecond: number, private readonly burst: number, private readonly clock: Clock) {
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Waits (in FIFO order) until `n` bytes may pass. */
  take(n: number, signal?: AbortSignal): Promise<void> {
    if (this.ratePerSecond <= 0) return Promise.resolve();
    const turn = this.queue.then(() => this.wait(n, signal));
    this.queue = turn.catch(() => {});
    return turn;
  }

  private async wait(n: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
      this.last = now;
      const need = Math.min(n, this.burst);
      if (this.tokens >= need) { this.tokens -= n; return; }
      await this.clock.sleep(Math.ceil(((need - this.tokens) / this.ratePerSecond) * 1000), signal);
    }
  }
}
