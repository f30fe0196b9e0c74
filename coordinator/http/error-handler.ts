import type { Middleware } from 'koa';
import { ZodError } from 'zod';
import { AppError, RateLimitedError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';

/** Maps typed errors to `{"error":{"code","message"}}`; anything else is logged and answered as an opaque 500. */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: { code: 'NOT_FOUND', message: `no route for ${ctx.method} ${ctx.path}` } };
      } else if (ctx.status === 405 && ctx.body === undefined) {
        ctx.body = { error: { code: 'METHOD_NOT_ALLOWED', message: `${ctx.method} is not allowed on ${ctx.path}` } };
      }
    } catch (err) {
      if (err instanceof ZodError) {
        ctx.status = 400;
        ctx.body = { error: { code: 'VALIDATION_FAILED', message: err.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '), details: err.issues.map((i) => ({ path: i.path, message: i.message })) } };
        return;
      }
      if (err instanceof AppError) {
        ctx.status = err.status;
        if (err instanceof RateLimitedError) ctx.set('Retry-After', String(Math.ceil(err.retryAfterSeconds)));
        ctx.body = { error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } };
        return;
      }
      if (ctx.req.aborted || (err as NodeJS.ErrnoException).code === 'ECONNRESET') {
        // The client went away mid-request: nothing to answer and nothing wrong on our side.
        logger.debug({ method: ctx.method, path: ctx.path }, 'client closed the connection');
        ctx.status = 400;
        return;
      }
      logger.error({ err, method: ctx.method, path: ctx.path }, 'unhandled error');
      ctx.status = 500;
      ctx.body = { error: { code: 'INTERNAL', message: 'internal error' } };
    }
  };
}
