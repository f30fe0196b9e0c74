import type { Middleware } from 'koa';
import { RateLimitedError } from '../../shared/errors.js';

/**
 * Refuses device requests with 503 + Retry-After while more than `maxInFlight` are being served,
 * so a thundering herd after an outage drains instead of piling up. The advised wait is spread
 * over `retryAfterSeconds` so returning agents do not arrive together again.
 */
export function loadShed(maxInFlight: number, retryAfterSeconds: [number, number], onShed: () => void): Middleware {
  let inFlight = 0;
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/device/')) return next();
    if (inFlight >= maxInFlight) {
      onShed();
      const [lo, hi] = retryAfterSeconds;
      throw new RateLimitedError('coordinator is busy; retry later', lo + Math.floor(Math.random() * (hi - lo + 1)), 503);
    }
    inFlight++;
    try { await next(); } finally { inFlight--; }
  };
}
