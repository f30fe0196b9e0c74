/** Source of time and timers; inject it so tests and simulations can advance time instead of sleeping. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` of this clock's time, or rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Wall-clock time and real timers. */
export class SystemClock implements Clock {
  now(): number { return Date.now(); }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => { clearTimeout(timer); reject(signal!.reason); };
      const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** A clock that moves only when told to; sleepers wake as `advance` passes their deadline. */
export class ManualClock implements Clock {
  private current: number;
  private sleepers: { at: number; resolve: () => void }[] = [];
  private sleepWaiters: (() => void)[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) { this.current = start; }

  now(): number { return this.current; }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const sleeper = { at: this.current + Math.max(0, ms), resolve };
      this.sleepers.push(sleeper);
      for (const w of this.sleepWaiters.splice(0)) w();
      signal?.addEventListener('abort', () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal.reason);
      }, { once: true });
    });
  }

  /** Resolves once something is sleeping on this clock (so a test can advance past it). */
  whenSleeping(): Promise<void> {
    if (this.sleepers.length) return Promise.resolve();
    return new Promise((resolve) => this.sleepWaiters.push(resolve));
  }

  /** Moves time forward by `ms`, waking every sleeper whose deadline has passed, in deadline order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const due = this.sleepers.filter((s) => s.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.sleepers = this.sleepers.filter((s) => s !== due);
      this.current = Math.max(this.current, due.at);
      due.resolve();
      await new Promise((r) => setImmediate(r));
    }
    this.current = target;
  }
}
