/** What a watchdog does when the loop misses its deadline. */
export type StallHandler = (overdueMs: number) => void;

/**
 * Watches a timer loop from outside it: the loop promises, before each wait and cycle, to come back by a deadline;
 * a real interval timer checks the promise and calls `onStall` once when it is broken (a hung await, a lock never
 * released). The daemon exits non-zero there so the service manager (systemd `Restart=on-failure`, launchd
 * `KeepAlive`) starts a fresh process.
 */
export class LoopWatchdog {
  private deadline = Number.POSITIVE_INFINITY;
  private timer?: NodeJS.Timeout;

  constructor(private readonly now: () => number, private readonly onStall: StallHandler, private readonly checkEveryMs = 10_000) {}

  /** Starts checking; the timer never keeps the process alive by itself. */
  start(): void {
    this.timer = setInterval(() => {
      const overdue = this.now() - this.deadline;
      if (overdue <= 0) return;
      this.stop();
      this.onStall(overdue);
    }, this.checkEveryMs);
    this.timer.unref();
  }

  /** The loop will be back (call `expectBy` again) before `deadline`. */
  expectBy(deadline: number): void {
    this.deadline = deadline;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
