import type { Middleware } from 'koa';
import { RateLimitedError } from '../../shared/errors.js';

/**
 * Refuses device requests with 503 + Retry-After while more than `maxInFlight` are being served,
 * so a thundering herd after an outage drains instead of piling up. The advised wait is spread
 * over `retryAfterSeconds` so returning agents do not arrive together again. One shedder counts the
 * device requests of both the Koa app and the device routes served without Koa.
 */
export class LoadShedder {
  private inFlight = 0;

  constructor(
    private readonly maxInFlight: number,
    private readonly retryAfterSeconds: [number, number],
    private readonly onShed: () => void,
  ) {}

  /** Counts one more request in flight, or throws RateLimitedError (503) when full; pair with leave(). */
  enter(): void {
    if (this.inFlight >= this.maxInFlight) {
      this.onShed();
      const [lo, hi] = this.retryAfterSeconds;
      throw new RateLimitedError('coordinator is busy; retry later', lo + Math.floor(Math.random() * (hi - lo + 1)), 503);
    }
    this.inFlight++;
  }

  leave(): void {
    this.inFlight--;
  }
}

/** Koa middleware shedding the app's `/device/` requests through `shedder`. */
export function loadShed(shedder: LoadShedder): Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/device/')) return next();
    shedder.enter();
    try { await next(); } finally { shedder.leave(); }
  };
}
